"""Render the data of ``webcutter compare`` as a terminal table, Markdown, JSON or HTML.

The heart of every report is each concept's code in every framework (its whole definition,
with its file and line range); ``only`` narrows a report to some concepts. The HTML report is
one self-contained file: inline CSS (the Pygments highlighting's too) and inline SVG bar charts,
no scripts, fonts or stylesheets from elsewhere. Its "show only" framework selector is made of
check boxes and CSS, so it works without JavaScript.
"""

import html
import json
import textwrap

from . import snippets
from .concepts import CONCEPTS, DESCRIPTIONS, REQUEST_PATH, slug
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
    ("Memory (PSS) after warm-up", lambda r: r.get("pss_mib", r.get("rss_mib")), "MiB", 0, False),
    ("Memory (PSS) of its libraries alone", lambda r: r.get("libraries_pss_mib"), "MiB", 0, False),
]
for _endpoint in ENDPOINTS:
    for _label, _key, _unit, _decimals, _better in (
        ("requests/s", "rps", "/s", 0, True),
        ("p50", "p50_ms", "ms", 1, False),
        ("p99", "p99_ms", "ms", 1, False),
        ("server CPU per request", "server_cpu_ms", "ms", 3, False),
    ):
        RUNTIME_FIGURES.append(
            (
                f"{_endpoint} {_label}",
                lambda r, e=_endpoint, k=_key: (r.get("endpoints") or {}).get(e, {}).get(k),
                _unit,
                _decimals,
                _better,
            )
        )


def keys(data):
    return [entry["key"] for entry in data["frameworks"]]


def titles(data):
    return {entry["key"]: entry["title"] for entry in data["frameworks"]}


def shape_value(data, key, field):
    value = data["shape"].get(key, {}).get(field)
    return len(value) if isinstance(value, list) else value


REQUEST_ROWS = (
    ("Files to read for GET /notes", "files"),
    ("Lines to read for GET /notes", "lines"),
)
REQUEST_SENTENCE = (
    "Files and lines to read for GET /notes: what a newcomer reads to follow one request from "
    "the URL to the database and back, the definitions the concept map names for "
    f"{', '.join(REQUEST_PATH[:-1])} and {REQUEST_PATH[-1]} (distinct files; non-blank lines, a "
    "line two of them share counted once). "
    "Other lines are non-blank lines of the whole project; tests are the test functions of the "
    "generated suite."
)


def request_value(data, key, field):
    return (data.get("request_path") or {}).get(key, {}).get(field)


def request_problems(data):
    return [
        (key, figures["problem"])
        for key, figures in (data.get("request_path") or {}).items()
        if figures.get("problem")
    ]


def shape_table(data):
    header = ["", *(titles(data)[key] for key in keys(data))]
    rows = [
        [label, *(fmt_int(request_value(data, key, field)) for key in keys(data))]
        for label, field in REQUEST_ROWS
    ]
    rows += [
        [label, *(fmt_int(shape_value(data, key, field)) for key in keys(data))]
        for label, field in SHAPE_ROWS
    ]
    return header, rows


def concept_entry(data, key, concept):
    return data["concepts"].get(key, {}).get(concept)


def where(entry):
    """``file:first-last`` of a located definition."""
    end = entry.get("end")
    span = f"{entry['line']}-{end}" if end and end != entry["line"] else f"{entry['line']}"
    return f"{entry['file']}:{span}"


def problem_text(entry):
    return f"{entry['file']}: {entry['problem']}" if entry["file"] else entry["problem"]


def concept_cell(data, key, concept):
    found = concept_entry(data, key, concept)
    if not found:
        return "no concept map" if key in data["concept_errors"] else "–"
    return problem_text(found) if found["problem"] else where(found)


def concept_table(data):
    header = ["Concept", *(titles(data)[key] for key in keys(data))]
    rows = [
        [concept, *(concept_cell(data, key, concept) for key in keys(data))] for concept in CONCEPTS
    ]
    return header, rows


def snippets_of(data, concept):
    """(framework key, located definition or None) for every framework, in report order."""
    return [(key, concept_entry(data, key, concept)) for key in keys(data)]


def shows_code(entry):
    return bool(entry and not entry["problem"] and entry.get("code"))


def why_no_code(data, key, entry):
    if entry is None:
        return data["concept_errors"].get(key, "no concept map")
    if entry["problem"]:
        return problem_text(entry)
    return f"{where(entry)} (a report saved without the code)"


def display_code(entry):
    """A definition's code as shown: a method or a nested block without its common indent."""
    return textwrap.dedent(entry["code"])


def snippet_place(entry):
    """(file, "lines 12–30", definition) of a located definition: what a snippet's heading
    says; the definition is '' for a whole file."""
    if entry.get("end") and entry["end"] != entry["line"]:
        span = f"lines {entry['line']}–{entry['end']}"
    else:
        span = f"line {entry['line']}"
    symbol = entry.get("symbol") or ""
    return entry["file"], span, "" if symbol == "*" else symbol


def snippet_heading(entry, code=lambda text: text):
    """The line above a snippet, ``code`` marking up the file and definition names."""
    file, span, symbol = snippet_place(entry)
    return f"{code(file)} {span}" + (f" · {code(symbol)}" if symbol else " (whole file)")


def runtime_targets(data):
    return [key for key in keys(data) if key in (data["runtime"] or {})]


# The ceiling of each server model: its key in the runtime figures, and its column's title.
CEILINGS = {"wsgi": ("hello", "hello (ceiling)"), "asgi": ("hello-asgi", "hello ASGI (ceiling)")}


def ceiling_of(data, key):
    """The runtime key of the ceiling ``key`` is measured against (its template's server model;
    reports saved before server models existed are WSGI)."""
    entry = next(e for e in data["frameworks"] if e["key"] == key)
    return CEILINGS[entry.get("server_model", "wsgi")][0]


def ceilings(data):
    """(runtime key, title) of each ceiling the report measured, WSGI first."""
    runtime = data["runtime"] or {}
    return [(key, title) for key, title in CEILINGS.values() if key in runtime]


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
    """Each figure of each framework, with its ratio to the ceiling of its server model, and
    each ceiling's own figures."""
    runtime = data["runtime"] or {}
    targets = runtime_targets(data)
    measured = ceilings(data)
    header = ["", *(titles(data)[key] for key in targets), *(title for _, title in measured)]
    rows = []
    for label, read, unit, decimals, _ in RUNTIME_FIGURES:
        row = [f"{label}"]
        for key in targets:
            reference = read(runtime.get(ceiling_of(data, key), {}))
            if runtime[key].get("ceiling"):  # the ceiling measured right before this target
                reference = read({"endpoints": runtime[key]["ceiling"]}) or reference
            row.append(runtime_cell(read(runtime[key]), reference, unit, decimals))
        row += [
            runtime_cell(read(runtime[key]), None, unit, decimals, with_ratio=False)
            for key, _ in measured
        ]
        rows.append(row)
    rows.append(
        [
            "CPU busy with other work just before its turn",
            *(
                fmt_percent(runtime[key].get("background_cpu_percent"))
                for key in [*targets, *(key for key, _ in measured)]
            ),
        ]
    )
    passed = [
        "Own tests passed",
        *(fmt_int(runtime[key].get("tests_passed")) for key in targets),
        *("–" for _ in measured),
    ]
    rows.insert(2, passed)
    everyone = [*targets, *(key for key, _ in measured)]
    rows.append(
        [
            "Load client's own ceiling (requests/s its core could send, wrk)",
            *(fmt_client_ceiling(runtime[key]) for key in everyone),
        ]
    )
    rows.append(
        [
            "Load client's busiest run (share of its core, wrk)",
            *(fmt_client(runtime[key]) for key in everyone),
        ]
    )
    return header, rows


CLIENT_BUSY = 1 / 3  # the share of its core above which the load client may be what limits


def client_busy(result):
    """The share of its one core wrk used during a load run (older reports: from its rate and
    its capacity, which say the same)."""
    if result.get("client") != "wrk":
        return None
    if result.get("client_busy") is not None:
        return result["client_busy"]
    if result.get("client_capacity_rps"):
        return result.get("rps", 0) / result["client_capacity_rps"]
    return None


def busiest_run(figures):
    """``(endpoint, run)`` of a target's load runs (its own and its ceiling's) in which wrk was
    busiest, or None."""
    runs = [
        (name, result)
        for group in ("endpoints", "ceiling")
        for name, result in (figures.get(group) or {}).items()
        if client_busy(result) is not None
    ]
    return max(runs, key=lambda run: client_busy(run[1])) if runs else None


def client_ceiling(result):
    """What wrk could have sent on its core at the cost it had in this run, or None."""
    busy = client_busy(result)
    return result.get("rps", 0) / busy if busy else None


def busiest_client(figures):
    """The highest :func:`client_busy` of a target's runs."""
    found = busiest_run(figures)
    return None if found is None else client_busy(found[1])


def fmt_client(figures):
    busy = busiest_client(figures)
    return "–" if busy is None else f"{100 * busy:.0f} %"


def fmt_client_ceiling(figures):
    """The client's ceiling in its busiest run (where it was closest to its limit, so where
    its ceiling tells most)."""
    found = busiest_run(figures)
    ceiling = None if found is None else client_ceiling(found[1])
    return "–" if ceiling is None else f"{ceiling:,.0f}/s"


BUSY_PERCENT = 25  # other processes' share of the CPUs that makes the figures unreliable


def fmt_percent(value):
    return "–" if value is None else f"{value:g} %"


def busy_warning(data):
    """A sentence when other processes kept the CPUs busy just before a target was measured
    (sampled while none of our servers ran, so our own load runs don't count)."""
    busy = [f.get("background_cpu_percent") for f in (data["runtime"] or {}).values()]
    busy = [value for value in busy if value is not None]
    if busy and max(busy) > BUSY_PERCENT:
        return (
            f"The machine was busy while measuring (other processes used up to "
            f"{max(busy):g} % of the CPUs just before a turn): the figures are noisy and the "
            "targets, measured one after another, did not see the same machine. Regenerate "
            "on a quiet machine."
        )
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


def pinning_clause(settings):
    if not settings.get("client_cpus"):
        return ""
    cpus = settings["server_cpus"]
    return (
        f"; under load the servers ran on {cpus} CPU{'s' if cpus != 1 else ''} and the "
        f"client on {'another' if settings['client_cpus'] == 1 else 'other ones'}, so that "
        "the client takes nothing from the servers and every server had the same CPUs to "
        "itself"
    )


def settings_sentence(data):
    s = data["settings"]
    if s.get("client") == "wrk":
        load = (
            f"load came from wrk (Debian's C load generator: one thread, "
            f"{s['concurrency']} connections) on the `GET` endpoints and from "
            f"{s['concurrency']} Python client threads on the login `POST`, for "
            f"{s['duration_s']:g} s per endpoint after {s['warmup_s']:g} s of warm-up on "
            "each; wrk's own CPU time gives its own ceiling and how busy it was (last two "
            "rows: well under its whole core, or it was what limited the rate); the ceiling "
            "(the hello app) was measured again right "
            "before each target, and each ratio is to that measurement" + pinning_clause(s)
        )
    else:
        load = (
            f"load came from {s['concurrency']} client threads for {s['duration_s']:g} s "
            f"per endpoint, after {s['warmup_s']:g} s of warm-up on each"
        )
    return (
        f"Each server ran its `Procfile` `web` command with `WEB_CONCURRENCY={s['workers']}` "
        f"on {s['host']}; {load}; the cold start is the median of three fresh starts, "
        "polled every 5 ms; memory is the proportional set (PSS: a page the workers share "
        "with the server counts once) of the server's processes (master and workers), "
        f"read after the warm-up; `GET /notes` is logged in with {s['notes']} "
        "notes; each login `POST` uses a fresh session and its form's CSRF token (the form's "
        '`GET` is not in the latency). The ceiling is a bare WSGI app answering "hello" on '
        "gunicorn with the same worker count" + asgi_ceiling_sentence(data) + "; the figure "
        "in brackets is each value's ratio to the ceiling of its server model. Client and "
        "servers share the machine" + (", not its CPUs." if s.get("client_cpus") else ".")
    )


def asgi_ceiling_sentence(data):
    figures = (data["runtime"] or {}).get(CEILINGS["asgi"][0])
    if figures is None:
        return ""
    worker = figures.get("worker_class", "its worker class")
    return (
        f' (for ASGI templates, a bare ASGI app answering "hello" on gunicorn with the '
        f"template's worker class, `{worker}`)"
    )


def machine_line(m):
    memory = f", {m['memory_gib']} GiB" if m.get("memory_gib") else ""
    load = ", ".join(str(x) for x in m.get("load_average", []))
    return f"{m['os']}, {m['cpu']}, {m['cpus']} CPUs{memory} (load average {load})"


def tools_line(versions):
    return ", ".join(
        f"{name.replace('_', ' ')} {version}" for name, version in versions.items() if version
    )


def about(data):
    answers = ", ".join(f"{k}={v}" for k, v in data["answers"].items()) or "the defaults"
    return [
        f"Generated {data['generated']}",
        f"Machine: {machine_line(data['machine'])}",
        f"Versions: {tools_line(data['versions'])}",
        f"Answers: {answers}",
    ]


def runtime_provenance(data):
    """When, where and with what a report's runtime figures were measured (a report saved
    before they were recorded apart measured them when it was generated)."""
    return data.get("runtime_measured") or {
        key: data[key] for key in ("generated", "machine", "versions")
    }


def measured_sentence(data):
    """When and where the runtime figures were measured: they may be older than the report."""
    measured = runtime_provenance(data)
    text = (
        f"Measured {measured['generated']} on {machine_line(measured['machine'])}, with "
        f"{tools_line(measured['versions'])}."
    )
    if measured["generated"] != data["generated"]:
        text += (
            f" The shape and code of this report are newer ({data['generated']}): the "
            "templates may have changed since these figures were measured."
        )
    return text


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
    lines = [
        "  ".join(
            str(cell).ljust(width) for cell, width in zip(header, widths, strict=True)
        ).rstrip(),
        "  ".join("-" * width for width in widths),
    ]
    for row in rows:
        lines.append(
            "  ".join(
                str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)
            ).rstrip()
        )
    return "\n".join(lines)


def render_text(data, only=None, colour=False):
    if only:
        return "\n\n".join(text_concept(data, concept, colour) for concept in only) + "\n"
    parts = ["\n".join(about(data)), "SHAPE", text_table(*shape_table(data)), REQUEST_SENTENCE]
    parts += [f"{key}: {problem}" for key, problem in request_problems(data)]
    parts += ["WHERE EACH CONCEPT LIVES", text_table(*concept_table(data))]
    for key, error in data["concept_errors"].items():
        parts.append(f"{key}: {error}")
    parts.append(
        "The code of one concept, side by side: webcutter compare --concept NAME "
        "[FRAMEWORK ...]; all of it: --format html or md."
    )
    if data["runtime"]:
        parts += [
            "RUNTIME",
            measured_sentence(data),
            text_table(*runtime_table(data)),
            settings_sentence(data).replace("`", ""),
        ]
        if busy_warning(data):
            parts.append(busy_warning(data))
        parts += [f"{key}: {message}" for key, message in runtime_problems(data)]
        parts += framework_versions(data)
    return "\n\n".join(parts) + "\n"


BOLD, RESET = "\033[1m", "\033[0m"


def text_concept(data, concept, colour=False):
    """One concept's code in every framework, one after the other, for a terminal."""

    def strong(text):
        return f"{BOLD}{text}{RESET}" if colour else text

    parts = [strong(f"{concept} — {DESCRIPTIONS[concept]}")]
    for key, entry in snippets_of(data, concept):
        title = titles(data)[key]
        if shows_code(entry):
            code = display_code(entry)
            if colour:
                code = snippets.terminal(code, snippets.language(entry["file"], code))
            parts.append(f"{strong(f'── {title}')} · {snippet_heading(entry)}\n{code}")
        else:
            parts.append(f"{strong(f'── {title}')} · not shown: {why_no_code(data, key, entry)}")
    return "\n\n".join(parts)


# ---------------------------------------------------------------- markdown


def md_escape(cell):
    return str(cell).replace("|", "\\|")


def md_table(header, rows, code_cells=False):
    def cell(value, column):
        text = md_escape(value)
        if code_cells and column > 0 and ":" in str(value) and " " not in str(value):
            return f"`{text}`"
        return text

    lines = [
        "| " + " | ".join(md_escape(h) for h in header) + " |",
        "|"
        + "|".join(
            "---" if i == 0 else "---:" if not code_cells else "---" for i in range(len(header))
        )
        + "|",
    ]
    lines += [
        "| " + " | ".join(cell(value, i) for i, value in enumerate(row)) + " |" for row in rows
    ]
    return "\n".join(lines)


REGENERATE = (
    "Regenerate this file and its twins ([comparison.md](comparison.md), "
    "[comparison.html](comparison.html), [comparison.json](comparison.json)) with "
    "`python3 dev.py compare` (`python3 dev.py compare --keep-runtime` bakes again and "
    "keeps the runtime figures)."
)
CODE_SENTENCE = (
    "Each concept of the [contract](contract.md) as every framework implements it: "
    "the whole definition that the template's `concepts.json` names, from the "
    "project baked with the answers above, with its file and line range."
)


def md_toc(only=None):
    concepts = only or CONCEPTS
    links = ", ".join(f"[{concept}](#{slug(concept)})" for concept in concepts)
    if only:
        return f"- [Code by concept](#code-by-concept): {links}"
    return "\n".join(
        [
            "- [Shape](#shape)",
            "- [Where each concept lives](#where-each-concept-lives)",
            f"- [Code by concept](#code-by-concept): {links}",
            "- [Runtime](#runtime)",
        ]
    )


def md_concept(data, concept):
    parts = [f"### {concept}", f"{DESCRIPTIONS[concept]}."]
    for key, entry in snippets_of(data, concept):
        title = titles(data)[key]
        if shows_code(entry):
            parts.append(f"**{title}** · {snippet_heading(entry, lambda text: f'`{text}`')}")
            code = display_code(entry)
            parts.append(snippets.fence(code, snippets.language(entry["file"], code)))
        else:
            parts.append(f"**{title}** · not shown: {md_escape(why_no_code(data, key, entry))}")
    return "\n\n".join(parts)


def md_code(data, only=None):
    parts = ["## Code by concept", CODE_SENTENCE]
    parts += [md_concept(data, concept) for concept in only or CONCEPTS]
    return parts


def render_md(data, only=None):
    names = ", ".join(titles(data)[key] for key in keys(data))
    parts = [
        "# Comparison of the generated skeletons",
        f"The webcutter templates ({names}) baked with the same answers and compared by "
        f"`webcutter compare`. {REGENERATE}",
        "\n".join(f"- {line}" for line in about(data)),
        md_toc(only),
    ]
    if only:
        return "\n\n".join(parts + md_code(data, only)) + "\n"
    parts += ["## Shape", REQUEST_SENTENCE, md_table(*shape_table(data))]
    if request_problems(data):
        parts.append(
            "\n".join(f"- {key}: {md_escape(problem)}" for key, problem in request_problems(data))
        )
    parts.append("### Direct dependencies")
    deps = []
    for key in keys(data):
        listed = data["shape"].get(key, {}).get("dependencies", [])
        deps.append(f"- **{titles(data)[key]}**: " + ", ".join(f"`{d}`" for d in listed))
    parts.append("\n".join(deps))
    parts += [
        "## Where each concept lives",
        "The file and lines of the baked project (slug `my_site` unless answered "
        "otherwise) that implement each concept of the [contract](contract.md), from "
        "each template's `concepts.json`.",
        md_table(*concept_table(data), code_cells=True),
    ]
    if data["concept_errors"]:
        parts.append(
            "\n".join(
                f"- {key}: {md_escape(error)}" for key, error in data["concept_errors"].items()
            )
        )
    parts += md_code(data)
    if data["runtime"]:
        parts += ["## Runtime", measured_sentence(data), settings_sentence(data)]
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


def render_json(data, only=None):
    if only:
        data = {
            **data,
            "concepts": {
                key: {concept: found[concept] for concept in only if concept in found}
                for key, found in data["concepts"].items()
            },
        }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- html

CSS = """
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;
background:#fff}
main{max-width:110rem;margin:0 auto;padding:0 1rem 3rem;overflow-wrap:break-word}
main p,main ul{max-width:62rem}
h1{font-size:1.6rem;margin:1.2rem 0 .6rem}
h2{margin-top:2.4rem;border-bottom:1px solid #d8dce4;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.8rem 0;font-size:.9rem}
th,td{border:1px solid #d8dce4;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f2f4f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font:.85rem ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.about{color:#4a5263}.charts{display:grid;
grid-template-columns:repeat(auto-fill,minmax(min(360px,100%),1fr));gap:1rem}
.chart{border:1px solid #d8dce4;border-radius:6px;padding:.6rem}
.chart h3{font-size:.95rem;margin:0 0 .4rem}.wide{overflow-x:auto}
.problem{color:#a11;overflow-wrap:anywhere}
td code{overflow-wrap:anywhere}
.toggle{position:fixed;top:0;left:0;opacity:0;width:1px;height:1px;margin:0;pointer-events:none}
.bar{position:sticky;top:0;z-index:2;display:flex;flex-wrap:wrap;align-items:center;
gap:.35rem .5rem;padding:.45rem 1rem;background:#f7f8fb;border-bottom:1px solid #d8dce4}
.bar .home{font-weight:600;color:inherit;text-decoration:none;margin-right:.5rem}
.bar .chip{border:1px solid #9aa3b5;border-radius:999px;padding:.05rem .7rem;cursor:pointer;
user-select:none;background:#fff;color:#4a5263;text-decoration:line-through}
.bar form{display:inline;margin:0}
.bar button{font:inherit;font-size:.85rem;border:0;background:none;color:#3b6fd4;cursor:pointer;
padding:.1rem .3rem;text-decoration:underline}
@media (max-width:40rem){.bar{position:static}}
.toc ol{padding-left:1.4rem}.toc ol ol{columns:15rem;column-gap:1.5rem;padding-left:1.2rem}
.concept{margin-top:2rem;scroll-margin-top:3.5rem}
.concept h3{font-size:1.2rem;margin:0}.concept h3 a{color:inherit;text-decoration:none}
.what{color:#4a5263;margin:.1rem 0 .6rem}
.columns{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(min(16.5rem,85vw),1fr);
align-items:start;gap:.75rem;overflow-x:auto;padding-bottom:.3rem;scroll-snap-type:x proximity}
.col{min-width:0;display:flex;flex-direction:column;border:1px solid #d8dce4;border-radius:6px;
background:#f8f8f8;scroll-snap-align:start;overflow:hidden}
.col header{padding:.35rem .6rem;border-bottom:1px solid #d8dce4;background:#fff}
.col h4{margin:0;font-size:.95rem}
.where{margin:0;font-size:.8rem;color:#4a5263;overflow-wrap:anywhere}.where code{font-size:.78rem}
.col .problem{margin:0;padding:.6rem;overflow-wrap:anywhere}
.hl pre{margin:0;padding:.5rem .6rem;overflow:auto;max-height:42rem;tab-size:4;
font:.78rem/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.hl pre code{font:inherit}
.hl .linenos{color:#8d95a6;user-select:none;padding-right:1em}
"""


def framework_css(data):
    """The "show only" selector: a hidden check box per framework before the page; while it is
    unchecked, that framework's columns and table cells are hidden (CSS only, no script)."""
    rules = []
    for key in keys(data):
        box, name = f"#show-{fw_class(key)}", fw_class(key)
        rules.append(
            f"{box}:checked~.bar label[for=show-{name}]{{background:#1d2330;"
            "color:#fff;border-color:#1d2330;text-decoration:none}"
        )
        rules.append(
            f"{box}:focus-visible~.bar label[for=show-{name}]{{outline:2px solid "
            "#3b6fd4;outline-offset:2px}"
        )
        rules.append(f"{box}:not(:checked)~main .fw-{name}{{display:none}}")
    return "\n".join(rules)


def fw_class(key):
    return slug(key)


COLOURS = ("#3b6fd4", "#2e9e6a", "#c9732c", "#8a4fc7", "#c4435b", "#2d98a8", "#777")


def esc(value):
    return html.escape(str(value), quote=True)


def html_table(header, rows, numeric=True, code=False, columns=None, links=None):
    """A table; ``columns`` names each framework column's key (its cells hide with the
    framework), ``links`` maps a row's first cell to an anchor."""

    def cell_class(i, extra=""):
        names = [extra] if extra else []
        if columns and 0 < i <= len(columns) and columns[i - 1]:
            names.append(f"fw-{fw_class(columns[i - 1])}")
        return f' class="{" ".join(names)}"' if names else ""

    out = [
        '<div class="wide"><table><thead><tr>',
        *(f"<th{cell_class(i)}>{esc(h)}</th>" for i, h in enumerate(header)),
        "</tr></thead><tbody>",
    ]
    for row in rows:
        out.append("<tr>")
        for i, cell in enumerate(row):
            if i == 0:
                anchor = (links or {}).get(cell)
                text = f'<a href="#{anchor}">{esc(cell)}</a>' if anchor else esc(cell)
                out.append(f"<th>{text}</th>")
            elif code:
                out.append(f"<td{cell_class(i)}><code>{esc(cell)}</code></td>")
            else:
                out.append(f"<td{cell_class(i, 'num' if numeric else '')}>{esc(cell)}</td>")
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
            f"{fmt_number(value, decimals)} {esc(unit)}</text>"
        )
    hint = "higher is better" if better_high else "lower is better"
    return (
        f'<div class="chart"><h3>{esc(title)} <small>({hint})</small></h3>'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 '
        f'{label_w + chart_w + 110} {height}" role="img" aria-label="{esc(title)}">'
        + "".join(shapes)
        + "</svg></div>"
    )


def html_column(data, key, entry):
    title = esc(titles(data)[key])
    out = [f'<article class="col fw-{fw_class(key)}"><header><h4>{title}</h4>']
    if shows_code(entry):
        heading = snippet_heading(entry, lambda text: f"<code>{esc(text)}</code>")
        code = display_code(entry)
        out.append(f'<p class="where">{heading}</p></header>')
        out.append(snippets.html(code, snippets.language(entry["file"], code), entry["line"]))
    else:
        why = why_no_code(data, key, entry)
        out.append(f'</header><p class="problem">Not shown: {esc(why)}</p>')
    out.append("</article>")
    return "".join(out)


def html_concept(data, concept):
    anchor = slug(concept)
    columns = "".join(html_column(data, key, entry) for key, entry in snippets_of(data, concept))
    return (
        f'<section class="concept" id="{anchor}"><h3><a href="#{anchor}">{esc(concept)}</a>'
        f'</h3><p class="what">{esc(DESCRIPTIONS[concept])}.</p>'
        f'<div class="columns">{columns}</div></section>'
    )


def html_toc(only=None):
    concepts = "".join(f'<li><a href="#{slug(c)}">{esc(c)}</a></li>' for c in only or CONCEPTS)
    code = f'<li><a href="#code-by-concept">Code by concept</a><ol>{concepts}</ol></li>'
    if only:
        return f'<nav class="toc"><h2>Contents</h2><ol>{code}</ol></nav>'
    return (
        '<nav class="toc"><h2>Contents</h2><ol><li><a href="#shape">Shape</a></li>'
        f'{code}<li><a href="#runtime">Runtime</a></li></ol></nav>'
    )


def html_selector(data):
    """The framework check boxes (before everything they hide) and the bar with their labels."""
    boxes = "".join(
        f'<input type="checkbox" class="toggle" id="show-{fw_class(key)}" form="show" checked>'
        for key in keys(data)
    )
    labels = "".join(
        f'<label class="chip" for="show-{fw_class(key)}">{esc(titles(data)[key])}</label>'
        for key in keys(data)
    )
    return (
        boxes + '<div class="bar"><a class="home" href="#top">webcutter compare</a>'
        f'<span>Show only:</span>{labels}<form id="show"><button type="reset">all</button>'
        "</form></div>"
    )


def html_runtime(data):
    if not data["runtime"]:
        return [
            '<h2 id="runtime">Runtime</h2><p>Not measured (run with <code>--measure</code>).</p>'
        ]
    runtime = data["runtime"]
    targets = runtime_targets(data)
    charts = []
    for label, read, unit, decimals, better in RUNTIME_FIGURES:
        bars = [(titles(data)[key], read(runtime[key])) for key in targets]
        bars += [(title, read(runtime[key])) for key, title in ceilings(data)]
        charts.append(bar_chart(label, bars, unit, decimals, better))
    body = [
        '<h2 id="runtime">Runtime</h2>',
        f"<p>{esc(measured_sentence(data))}</p>",
        f"<p>{esc(settings_sentence(data).replace('`', ''))}</p>",
    ]
    if busy_warning(data):
        body.append(f'<p class="problem">{esc(busy_warning(data))}</p>')
    body += [
        '<div class="charts">' + "".join(charts) + "</div>",
        html_table(*runtime_table(data), columns=targets),
    ]
    body += [
        f'<p class="problem">{esc(key)}: {esc(msg)}</p>' for key, msg in runtime_problems(data)
    ]
    versions = framework_versions(data)
    if versions:
        body.append(
            "<p>Installed versions:</p><ul>"
            + "".join(f"<li>{esc(line)}</li>" for line in versions)
            + "</ul>"
        )
    return body


def render_html(data, only=None):
    names = ", ".join(titles(data)[key] for key in keys(data))
    body = [
        '<main id="top"><h1>Comparison of the generated skeletons</h1>'
        f"<p>The webcutter templates ({esc(names)}) baked with the same answers and "
        "compared by <code>webcutter compare</code>: each concept of the contract as every "
        "framework implements it, side by side. &ldquo;Show only&rdquo; picks the "
        "frameworks to compare.</p>",
        '<ul class="about">' + "".join(f"<li>{esc(line)}</li>" for line in about(data)) + "</ul>",
        html_toc(only),
    ]
    if not only:
        body += [
            '<h2 id="shape">Shape</h2>',
            f"<p>{esc(REQUEST_SENTENCE)}</p>",
            html_table(*shape_table(data), columns=keys(data)),
        ]
        body += [
            f'<p class="problem">{esc(key)}: {esc(problem)}</p>'
            for key, problem in request_problems(data)
        ]
        deps = "".join(
            f'<li class="fw-{fw_class(key)}"><strong>{esc(titles(data)[key])}</strong>: '
            + ", ".join(
                f"<code>{esc(d)}</code>" for d in data["shape"].get(key, {}).get("dependencies", [])
            )
            + "</li>"
            for key in keys(data)
        )
        body.append(f"<h3>Direct dependencies</h3><ul>{deps}</ul>")
    body += [
        '<h2 id="code-by-concept">Code by concept</h2>',
        f"<p>{esc(CODE_SENTENCE.replace('[contract](contract.md)', 'contract'))} The line "
        "numbers are the file's; a wide snippet scrolls sideways, and so does the row of "
        "frameworks on a narrow screen.</p>",
    ]
    if not only:
        body.append(
            html_table(
                *concept_table(data),
                numeric=False,
                code=True,
                columns=keys(data),
                links={c: slug(c) for c in CONCEPTS},
            )
        )
    body += [
        f'<p class="problem">{esc(key)}: {esc(error)}</p>'
        for key, error in data["concept_errors"].items()
    ]
    body += [html_concept(data, concept) for concept in only or CONCEPTS]
    if not only:
        body += html_runtime(data)
    body.append("</main>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>webcutter: comparison of the generated skeletons</title>"
        f"<style>{CSS}{framework_css(data)}\n{snippets.css()}</style></head><body>"
        + html_selector(data)
        + "".join(body)
        + "</body></html>\n"
    )


RENDERERS = {"text": render_text, "md": render_md, "json": render_json, "html": render_html}
SUFFIXES = {
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
}


def render(data, fmt, only=None, colour=False):
    """The report in ``fmt``; ``only`` (concept names) narrows it to those concepts' code,
    ``colour`` highlights the text format's code for a terminal."""
    if fmt == "text":
        return render_text(data, only, colour)
    return RENDERERS[fmt](data, only)
