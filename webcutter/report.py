"""Render the data of ``webcutter compare`` as a terminal table, Markdown, JSON or HTML.

The HTML report is one self-contained file: inline CSS and inline SVG bar charts, no scripts,
fonts or stylesheets from elsewhere.
"""

import html
import json

from .concepts import CONCEPTS
from .measure import ENDPOINTS

FORMATS = ("text", "md", "json", "html")
SHAPE_ROWS = (
    ("Files", "files"),
    ("Lines of Python", "python_lines"),
    ("Lines of templates", "template_lines"),
    ("Lines of tests", "test_lines"),
    ("Lines of configuration", "config_lines"),
    ("Direct dependencies", "dependencies"),
    ("Tests in the generated suite", "tests"),
)
# (label, how to read it from a runtime dict, unit, decimals, higher is better)
RUNTIME_FIGURES = [
    ("Install", lambda r: r.get("install_s"), "s", 1, False),
    ("Own test suite", lambda r: r.get("tests_s"), "s", 1, False),
    ("Cold start to first 200 from /health", lambda r: r.get("cold_start_s"), "s", 2, False),
    ("Resident memory after warm-up", lambda r: r.get("rss_mib"), "MiB", 0, False),
]
for _endpoint in ENDPOINTS:
    for _label, _key, _unit, _decimals, _better in (("requests/s", "rps", "/s", 0, True),
                                                    ("p50", "p50_ms", "ms", 1, False),
                                                    ("p99", "p99_ms", "ms", 1, False)):
        RUNTIME_FIGURES.append((
            f"{_endpoint} {_label}",
            lambda r, e=_endpoint, k=_key: (r.get("endpoints") or {}).get(e, {}).get(k),
            _unit, _decimals, _better))


def keys(data):
    return [entry["key"] for entry in data["frameworks"]]


def titles(data):
    return {entry["key"]: entry["title"] for entry in data["frameworks"]}


def shape_value(data, key, field):
    value = data["shape"].get(key, {}).get(field)
    return len(value) if isinstance(value, list) else value


def shape_table(data):
    header = ["", *(titles(data)[key] for key in keys(data))]
    rows = [[label, *(fmt_int(shape_value(data, key, field)) for key in keys(data))]
            for label, field in SHAPE_ROWS]
    return header, rows


def concept_cell(data, key, concept):
    if key in data["concept_errors"]:
        return "no concept map"
    found = data["concepts"].get(key, {}).get(concept)
    if not found:
        return "–"
    if found["problem"]:
        return f"{found['file']}: {found['problem']}"
    return f"{found['file']}:{found['line']}"


def concept_table(data):
    header = ["Concept", *(titles(data)[key] for key in keys(data))]
    rows = [[concept, *(concept_cell(data, key, concept) for key in keys(data))]
            for concept in CONCEPTS]
    return header, rows


def runtime_targets(data):
    return [key for key in keys(data) if key in (data["runtime"] or {})]


def ratio(value, reference):
    if value is None or not reference:
        return None
    return value / reference


def fmt_number(value, decimals):
    if value is None:
        return "–"
    if decimals == 0 and 0 < abs(value) < 10:
        decimals = 1  # 3.4/s, not 3/s
    return f"{value:,.{decimals}f}"


def fmt_ratio(share):
    """Two significant digits below 1 (0.0045×), two decimals to 10, whole numbers above."""
    if share >= 10:
        return f"{share:,.0f}×"
    if share >= 1:
        return f"{share:.2f}×"
    return f"{share:.2g}×"


def fmt_int(value):
    return "–" if value is None else f"{value:,}"


def runtime_cell(value, hello, unit, decimals, with_ratio=True):
    if value is None:
        return "–"
    text = f"{fmt_number(value, decimals)} {unit}".replace(" /s", "/s")
    share = ratio(value, hello)
    if with_ratio and share is not None:
        text += f" ({fmt_ratio(share)})"
    return text


def runtime_table(data):
    runtime = data["runtime"] or {}
    hello = runtime.get("hello", {})
    targets = runtime_targets(data)
    header = ["", *(titles(data)[key] for key in targets), "hello (ceiling)"]
    rows = []
    for label, read, unit, decimals, _ in RUNTIME_FIGURES:
        reference = read(hello)
        row = [f"{label}"]
        for key in targets:
            row.append(runtime_cell(read(runtime[key]), reference, unit, decimals))
        row.append(runtime_cell(reference, None, unit, decimals, with_ratio=False))
        rows.append(row)
    rows.append(["CPU busy with other work just before its turn",
                 *(fmt_percent(runtime[key].get("background_cpu_percent")) for key in targets),
                 fmt_percent(hello.get("background_cpu_percent"))])
    passed = ["Own tests passed", *(fmt_int(runtime[key].get("tests_passed"))
                                    for key in targets), "–"]
    rows.insert(2, passed)
    return header, rows


BUSY_PERCENT = 25  # other processes' share of the CPUs that makes the figures unreliable


def fmt_percent(value):
    return "–" if value is None else f"{value:g} %"


def busy_warning(data):
    """A sentence when other processes kept the CPUs busy just before a target was measured
    (sampled while none of our servers ran, so our own load runs don't count)."""
    busy = [f.get("background_cpu_percent") for f in (data["runtime"] or {}).values()]
    busy = [value for value in busy if value is not None]
    if busy and max(busy) > BUSY_PERCENT:
        return (f"The machine was busy while measuring (other processes used up to "
                f"{max(busy):g} % of the CPUs just before a turn): the figures are noisy and the "
                "targets, measured one after another, did not see the same machine. Regenerate "
                "on a quiet machine.")
    return None


def runtime_problems(data):
    """(target, message) for every target that failed to measure, or whose tests failed."""
    problems = []
    for key, figures in (data["runtime"] or {}).items():
        if figures.get("error"):
            problems.append((key, figures["error"]))
        if figures.get("tests_failed"):
            problems.append((key, "own tests failed: " + " ".join(figures["tests_failed"])))
        for endpoint, load in (figures.get("endpoints") or {}).items():
            if load.get("errors"):
                problems.append((key, f"{endpoint}: {load['errors']} failed requests"))
    return problems


def settings_sentence(data):
    s = data["settings"]
    return (f"Each server ran its `Procfile` `web` command with `WEB_CONCURRENCY={s['workers']}` "
            f"on {s['host']}; load came from {s['concurrency']} client threads for "
            f"{s['duration_s']:g} s per endpoint, after {s['warmup_s']:g} s of warm-up on each; "
            "memory is the resident set of the server's processes (master and workers) summed, "
            f"read after the warm-up; `GET /notes` is logged in with {s['notes']} "
            "notes; each login `POST` uses a fresh session and its form's CSRF token (the form's "
            "`GET` is not in the latency). The ceiling is a bare WSGI app answering \"hello\" on "
            "gunicorn with the same worker count; the figure in brackets is each value's ratio "
            "to it. Client and servers share the machine.")


def about(data):
    m, v = data["machine"], data["versions"]
    memory = f", {m['memory_gib']} GiB" if m.get("memory_gib") else ""
    load = ", ".join(str(x) for x in m.get("load_average", []))
    tools = ", ".join(f"{name} {version}" for name, version in v.items() if version)
    answers = ", ".join(f"{k}={v}" for k, v in data["answers"].items()) or "the defaults"
    return [f"Generated {data['generated']}",
            f"Machine: {m['os']}, {m['cpu']}, {m['cpus']} CPUs{memory} (load average {load})",
            f"Versions: {tools}",
            f"Answers: {answers}"]


def framework_versions(data):
    lines = []
    for key, figures in (data["runtime"] or {}).items():
        versions = figures.get("versions") or {}
        if versions:
            lines.append(f"{key}: " + ", ".join(f"{n} {v}" for n, v in sorted(versions.items())))
    return lines


# ---------------------------------------------------------------- text

def text_table(header, rows):
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(header, widths, strict=True))
             .rstrip(), "  ".join("-" * width for width in widths)]
    for row in rows:
        lines.append("  ".join(str(cell).ljust(width)
                               for cell, width in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def render_text(data):
    parts = ["\n".join(about(data)), "SHAPE", text_table(*shape_table(data)),
             "WHERE EACH CONCEPT LIVES", text_table(*concept_table(data))]
    for key, error in data["concept_errors"].items():
        parts.append(f"{key}: {error}")
    if data["runtime"]:
        parts += ["RUNTIME", text_table(*runtime_table(data)),
                  settings_sentence(data).replace("`", "")]
        if busy_warning(data):
            parts.append(busy_warning(data))
        parts += [f"{key}: {message}" for key, message in runtime_problems(data)]
        parts += framework_versions(data)
    return "\n\n".join(parts) + "\n"


# ---------------------------------------------------------------- markdown

def md_escape(cell):
    return str(cell).replace("|", "\\|")


def md_table(header, rows, code_cells=False):
    def cell(value, column):
        text = md_escape(value)
        if code_cells and column > 0 and ":" in str(value) and " " not in str(value):
            return f"`{text}`"
        return text

    lines = ["| " + " | ".join(md_escape(h) for h in header) + " |",
             "|" + "|".join("---" if i == 0 else "---:" if not code_cells else "---"
                            for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(cell(value, i) for i, value in enumerate(row)) + " |"
              for row in rows]
    return "\n".join(lines)


def render_md(data):
    names = ", ".join(titles(data)[key] for key in keys(data))
    parts = ["# Comparison of the generated skeletons",
             f"The webcutter templates ({names}) baked with the same answers and compared by "
             "`webcutter compare`. Regenerate this file and its twins "
             "([comparison.html](comparison.html), [comparison.json](comparison.json)) with "
             "`python3 dev.py compare`.",
             "\n".join(f"- {line}" for line in about(data)),
             "## Shape",
             "Lines are non-blank lines; tests are the test functions of the generated suite.",
             md_table(*shape_table(data)),
             "### Direct dependencies"]
    deps = []
    for key in keys(data):
        listed = data["shape"].get(key, {}).get("dependencies", [])
        deps.append(f"- **{titles(data)[key]}**: " + ", ".join(f"`{d}`" for d in listed))
    parts.append("\n".join(deps))
    parts += ["## Where each concept lives",
              "The file and line of the baked project (slug `my_site` unless answered "
              "otherwise) that implements each concept of the [contract](contract.md), from "
              "each template's `concepts.json`.",
              md_table(*concept_table(data), code_cells=True)]
    for key, error in data["concept_errors"].items():
        parts.append(f"- {key}: {md_escape(error)}")
    if data["runtime"]:
        parts += ["## Runtime", settings_sentence(data)]
        if busy_warning(data):
            parts.append(f"**{busy_warning(data)}**")
        parts.append(md_table(*runtime_table(data)))
        problems = runtime_problems(data)
        if problems:
            parts.append("\n".join(f"- **{key}**: {md_escape(msg)}" for key, msg in problems))
        versions = framework_versions(data)
        if versions:
            parts += ["Installed versions:", "\n".join(f"- {line}" for line in versions)]
    else:
        parts += ["## Runtime", "Not measured (run with `--measure`)."]
    return "\n\n".join(parts) + "\n"


# ---------------------------------------------------------------- json

def render_json(data):
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- html

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:1200px;padding:0 1rem;color:#1d2330}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #d8dce4;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.8rem 0;font-size:.9rem}
th,td{border:1px solid #d8dce4;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f2f4f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font:.85rem ui-monospace,SFMono-Regular,Menlo,monospace}
.about{color:#4a5263}.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));
gap:1rem}.chart{border:1px solid #d8dce4;border-radius:6px;padding:.6rem}
.chart h3{font-size:.95rem;margin:0 0 .4rem}.problem{color:#a11}.wide{overflow-x:auto}
td code{overflow-wrap:anywhere}
"""
COLOURS = ("#3b6fd4", "#2e9e6a", "#c9732c", "#8a4fc7", "#c4435b", "#2d98a8", "#777")


def esc(value):
    return html.escape(str(value), quote=True)


def html_table(header, rows, numeric=True, code=False):
    out = ['<div class="wide"><table><thead><tr>', *(f"<th>{esc(h)}</th>" for h in header),
           "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>")
        for i, cell in enumerate(row):
            if i == 0:
                out.append(f"<th>{esc(cell)}</th>")
            elif code:
                out.append(f"<td><code>{esc(cell)}</code></td>")
            else:
                out.append(f"<td class=\"{'num' if numeric else ''}\">{esc(cell)}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def bar_chart(title, bars, unit, decimals, better_high):
    """An inline SVG bar chart: ``bars`` is [(label, value)]."""
    bars = [(label, value) for label, value in bars if value is not None]
    if not bars:
        return ""
    top = max(value for _, value in bars) or 1
    row, label_w, chart_w = 24, 120, 200
    height = row * len(bars) + 6
    shapes = []
    for i, (label, value) in enumerate(bars):
        y = i * row + 3
        width = max(1.0, chart_w * value / top)
        colour = COLOURS[-1] if label.startswith("hello") else COLOURS[i % (len(COLOURS) - 1)]
        shapes.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{esc(label)}</text>"
            f'<rect x="{label_w}" y="{y + 2}" width="{width:.1f}" height="{row - 8}" '
            f'fill="{colour}"><title>{esc(label)}: {fmt_number(value, decimals)} {esc(unit)}'
            f"</title></rect>"
            f'<text x="{label_w + width + 4:.1f}" y="{y + 15}" font-size="12">'
            f"{fmt_number(value, decimals)} {esc(unit)}</text>")
    hint = "higher is better" if better_high else "lower is better"
    return (f'<div class="chart"><h3>{esc(title)} <small>({hint})</small></h3>'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 '
            f'{label_w + chart_w + 110} {height}" role="img" aria-label="{esc(title)}">'
            + "".join(shapes) + "</svg></div>")


def render_html(data):
    names = ", ".join(titles(data)[key] for key in keys(data))
    body = [f"<h1>Comparison of the generated skeletons</h1>"
            f"<p>The webcutter templates ({esc(names)}) baked with the same answers and "
            "compared by <code>webcutter compare</code>.</p>",
            '<ul class="about">' + "".join(f"<li>{esc(line)}</li>" for line in about(data))
            + "</ul>"]
    if data["runtime"]:
        runtime = data["runtime"]
        targets = runtime_targets(data)
        charts = []
        for label, read, unit, decimals, better in RUNTIME_FIGURES:
            bars = [(titles(data)[key], read(runtime[key])) for key in targets]
            bars.append(("hello (ceiling)", read(runtime.get("hello", {}))))  # None: no bar
            charts.append(bar_chart(label, bars, unit, decimals, better))
        body += ["<h2>Runtime</h2>", f"<p>{esc(settings_sentence(data).replace('`', ''))}</p>"]
        if busy_warning(data):
            body.append(f'<p class="problem">{esc(busy_warning(data))}</p>')
        body += ['<div class="charts">' + "".join(charts) + "</div>",
                 html_table(*runtime_table(data))]
        body += [f'<p class="problem">{esc(key)}: {esc(msg)}</p>'
                 for key, msg in runtime_problems(data)]
        versions = framework_versions(data)
        if versions:
            body.append("<p>Installed versions:</p><ul>"
                        + "".join(f"<li>{esc(line)}</li>" for line in versions) + "</ul>")
    else:
        body += ["<h2>Runtime</h2><p>Not measured (run with <code>--measure</code>).</p>"]
    body += ["<h2>Shape</h2><p>Lines are non-blank lines; tests are the test functions of the "
             "generated suite.</p>", html_table(*shape_table(data))]
    deps = "".join(
        f"<li><strong>{esc(titles(data)[key])}</strong>: "
        + ", ".join(f"<code>{esc(d)}</code>"
                    for d in data["shape"].get(key, {}).get("dependencies", [])) + "</li>"
        for key in keys(data))
    body.append(f"<h3>Direct dependencies</h3><ul>{deps}</ul>")
    body += ["<h2>Where each concept lives</h2>",
             html_table(*concept_table(data), numeric=False, code=True)]
    body += [f'<p class="problem">{esc(key)}: {esc(error)}</p>'
             for key, error in data["concept_errors"].items()]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>webcutter: comparison of the generated skeletons</title>"
            f"<style>{CSS}</style></head><body>" + "".join(body) + "</body></html>\n")


RENDERERS = {"text": render_text, "md": render_md, "json": render_json, "html": render_html}
SUFFIXES = {".md": "md", ".markdown": "md", ".json": "json", ".html": "html", ".htm": "html",
            ".txt": "text"}


def render(data, fmt):
    return RENDERERS[fmt](data)
