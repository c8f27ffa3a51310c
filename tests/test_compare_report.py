"""The comparison report: each concept's code in every framework, side by side.

One `webcutter compare -o report.html -o report.json` over every framework (the command of the
README) feeds most tests here: the committed docs/comparison.* must match it, its HTML is read in
headless chromium at a desktop and a phone width, and its code must be the baked projects' own.
"""

import json
import os
import pty
import re
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support import chrome, report_page
from support.templates import ROOT, frameworks

from webcutter import cli, compare, concepts, report, snippets
from webcutter.concepts import CONCEPTS
from webcutter.progress import Silent
from webcutter.templates import Framework, catalogue

DOCS = ROOT / "docs"
COMMITTED = {fmt: DOCS / f"comparison.{fmt}" for fmt in ("md", "html", "json")}
# What the stale-docs test compares: everything but the runtime figures and the moment and
# machine of the run.
BAKED_SECTIONS = ("frameworks", "answers", "shape", "concepts", "concept_errors", "request_path")
REGENERATE = "python3 dev.py compare --keep-runtime"
WEBCUTTER = [sys.executable, "-m", "webcutter"]
# One bake of the five for the module: tests/conftest.py keeps this module in one process.


def committed():
    return json.loads(COMMITTED["json"].read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The README's `webcutter compare --format html -o report.html` (and the same run's JSON),
    with the answers of the committed report; the baked projects are kept to read them."""
    folder = tmp_path_factory.mktemp("compare")
    answers = [f"{key}={value}" for key, value in committed()["answers"].items()]
    result = subprocess.run(
        [
            *WEBCUTTER,
            "compare",
            "--format",
            "html",
            "-o",
            str(folder / "report.html"),
            "-o",
            str(folder / "report.json"),
            "--workdir",
            str(folder / "baked"),
            *answers,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    return {
        "folder": folder,
        "html": folder / "report.html",
        "baked": folder / "baked",
        "data": json.loads((folder / "report.json").read_text(encoding="utf-8")),
    }


def definition_lines(made, key, entry):
    """The lines ``entry`` names, read from the baked project itself."""
    project = next((made["baked"] / key).iterdir())
    lines = (project / entry["file"]).read_text().splitlines()
    return lines[entry["line"] - 1 : entry["end"]]


def located(data):
    """(framework, concept, entry) of every definition the report shows the code of."""
    return [
        (key, concept, entry)
        for key, found in data["concepts"].items()
        for concept, entry in found.items()
        if report.shows_code(entry)
    ]


# ---------------------------------------------------------------- the report's content


def test_the_report_holds_every_concepts_whole_definition_from_the_baked_projects(made):
    data = made["data"]
    assert [entry["key"] for entry in data["frameworks"]] == frameworks()
    shown = located(data)
    assert {key for key, _, _ in shown} == set(frameworks()), "a framework shows no code at all"
    for key, concept, entry in shown:
        assert entry["code"].splitlines() == definition_lines(made, key, entry), (key, concept)
    for key in frameworks():
        for concept in CONCEPTS:
            entry = data["concepts"][key][concept]
            assert report.shows_code(entry) or entry["problem"], (key, concept)


def test_the_html_report_stands_alone_and_shows_each_snippet_with_its_place(made):
    page = made["html"].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for external in ("<script", "<link", " src=", "@import", "url(", "<iframe"):
        assert external not in page
    assert not re.search(r"""\son[a-z]+\s*=""", page), "an event handler: JavaScript"
    assert not re.search(r"""href=["']?(https?:)?//""", page), "a link to another site"
    assert snippets.css().splitlines()[0] in page  # Pygments' style sheet, inlined
    assert page.count('<section class="concept"') == len(CONCEPTS)
    for key, _, entry in located(made["data"]):
        file, span, symbol = report.snippet_place(entry)
        assert f"<code>{file}</code> {span}" in page, (key, entry["file"])
        if symbol:
            assert f"<code>{symbol}</code>" in page
    # The show-only check boxes are ticked: without a script or a click, every column shows.
    boxes = re.findall(r"<input [^>]*class=\"toggle\"[^>]*>", page)
    assert len(boxes) == len(frameworks()) and all(" checked" in box for box in boxes)


def test_the_shape_counts_the_files_and_lines_of_one_request(made):
    """GET /notes through routes, notes view, models and notes template: recomputed here from
    the baked files for every framework whose map locates all four."""
    data = made["data"]
    for key in frameworks():
        figures = data["request_path"][key]
        path = [data["concepts"][key][concept] for concept in concepts.REQUEST_PATH]
        if not all(report.shows_code(entry) for entry in path):
            assert figures["files"] is None and "does not locate" in figures["problem"]
            continue
        lines = {}
        for entry in path:
            numbered = enumerate(definition_lines(made, key, entry), start=entry["line"])
            lines.setdefault(entry["file"], set()).update(n for n, text in numbered if text.strip())
        assert figures == {
            "files": len(lines),
            "lines": sum(map(len, lines.values())),
            "problem": None,
        }
    header, rows = report.shape_table(data)
    assert [row[0] for row in rows[:2]] == [label for label, _ in report.REQUEST_ROWS]


def test_request_path_counts_each_file_once_and_a_shared_line_once(tmp_path):
    project = tmp_path / "acme"
    (project / "acme" / "templates").mkdir(parents=True)
    (project / "acme" / "views.py").write_text(
        'import app\n\n\n@app.route("/notes")\ndef index():\n\n    return 1\n'
    )
    (project / "acme" / "models.py").write_text("class Note:\n    title = 1\n")
    (project / "acme" / "templates" / "notes.html").write_text(
        "{% block content %}\n<p>x</p>\n\n{% endblock %}\n"
    )
    mapping = {concept: {"file": "{slug}/views.py", "symbol": "index"} for concept in CONCEPTS}
    mapping["models"] = {"file": "{slug}/models.py", "symbol": "Note"}
    mapping["notes template"] = {"file": "{slug}/templates/notes.html", "symbol": "block content"}
    found = {loc.concept: compare.location_data(loc) for loc in concepts.locate(project, mapping)}
    # views.py lines 4-7 (one blank) for routes and view alike, models 2, the block 3 of 4
    assert compare.request_path(found) == {"files": 3, "lines": 3 + 2 + 3, "problem": None}
    del found["notes view"]
    assert compare.request_path(found)["problem"] == ("the concept map does not locate notes view")


def test_a_map_being_reworked_shows_what_it_locates_and_why_the_rest_is_missing(tmp_path):
    template, project = tmp_path / "template", tmp_path / "acme"
    template.mkdir()
    (project / "acme").mkdir(parents=True)
    (project / "acme" / "app.py").write_text("def create_app():\n    return 1\n")
    (template / concepts.MAP_FILE).write_text(
        json.dumps(
            {
                "entry point": {"file": "{slug}/app.py", "symbol": "create_app"},
                "routes": {
                    "file": "{slug}/app.py",
                    "symbol": "def create_app(",
                },  # an old, literal one
            }
        )
    )
    data = {"concepts": {}, "concept_errors": {}, "request_path": {}}
    compare.map_concepts(Framework("acme", "Acme", "", template), project, data)
    assert "missing notes view" in data["concept_errors"]["acme"]
    found = data["concepts"]["acme"]
    assert found["entry point"]["code"] == "def create_app():\n    return 1"
    assert found["routes"]["problem"] == "no definition named 'def create_app('"
    assert found["login view"]["problem"] == "not in concepts.json"


# ---------------------------------------------------------------- the committed report


def test_the_committed_comparison_is_regenerated_from_the_templates(made):
    """docs/comparison.{md,html,json}: their shape and code are today's templates', and the
    Markdown and HTML are the renderings of the JSON (the runtime figures may be older)."""
    saved, fresh = committed(), made["data"]
    stale = [name for name in BAKED_SECTIONS if saved.get(name) != fresh[name]]
    assert not stale, (
        f"docs/comparison.* are stale ({', '.join(stale)} changed): run "
        f"`{REGENERATE}` (or `python3 dev.py compare` to measure again)"
    )
    assert COMMITTED["md"].read_text(encoding="utf-8") == report.render_md(saved), REGENERATE
    assert COMMITTED["html"].read_text(encoding="utf-8") == report.render_html(saved), REGENERATE


def test_the_committed_runtime_section_says_when_and_where_it_was_measured():
    saved = committed()
    markdown = COMMITTED["md"].read_text(encoding="utf-8")
    if not saved["runtime"]:
        assert "Not measured (run with `--measure`)." in markdown
        return
    measured = report.runtime_provenance(saved)
    runtime = markdown.split("\n## Runtime\n", 1)[1]
    assert f"Measured {measured['generated']} on {measured['machine']['os']}" in runtime
    assert f"{measured['machine']['cpus']} CPUs" in runtime


def test_runtime_figures_can_be_kept_from_an_earlier_report(tmp_path):
    earlier = {
        "generated": "2026-01-01 00:00 UTC",
        "frameworks": [{"key": "cherrypy", "title": "CherryPy", "description": ""}],
        "versions": {"python": "3.11.7"},
        "machine": {"os": "Linux", "cpu": "CPU", "cpus": 2, "load_average": [0.5]},
        "runtime": {"cherrypy": {"install_s": 2.0, "versions": {}}},
        "settings": {
            "workers": 2,
            "concurrency": 8,
            "duration_s": 4.0,
            "warmup_s": 1.0,
            "notes": 50,
            "host": "127.0.0.1",
        },
    }
    saved = tmp_path / "earlier.json"
    saved.write_text(json.dumps(earlier))
    result = subprocess.run(
        [*WEBCUTTER, "compare", "cherrypy", "-q", "--runtime-from", str(saved), "--format", "md"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    runtime = result.stdout.split("\n## Runtime\n", 1)[1]
    assert "Measured 2026-01-01 00:00 UTC on Linux, CPU, 2 CPUs (load average 0.5)" in runtime
    assert "The shape and code of this report are newer" in runtime
    assert "| Install | 2.0 s |" in runtime
    data = compare.compare(["cherrypy"], runtime_from=earlier, progress=Silent())
    assert data["runtime"] == earlier["runtime"] and data["settings"] == earlier["settings"]
    assert data["runtime_measured"]["generated"] == "2026-01-01 00:00 UTC"


# ---------------------------------------------------------------- in the browser


@pytest.fixture(scope="module")
def browser():
    driver = chrome.start()
    yield driver
    chrome.stop(driver)


def png_size(path):
    header = Path(path).read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.parametrize("size", [report_page.DESKTOP, report_page.PHONE], ids=["desktop", "phone"])
def test_the_html_report_in_chromium_shows_every_concept_and_never_overflows(
    made, browser, tmp_path, size
):
    layout = report_page.open_report(browser, made["html"], size)
    page_width = browser.execute_script("return document.documentElement.clientWidth")
    assert layout["scrollWidth"] <= page_width, "the page itself scrolls sideways"
    assert [s["id"] for s in layout["sections"]] == [concepts.slug(c) for c in CONCEPTS]
    assert [s["title"] for s in layout["sections"]] == list(CONCEPTS)
    titles = [entry["title"] for entry in made["data"]["frameworks"]]
    keys = frameworks()
    for section, concept in zip(layout["sections"], CONCEPTS, strict=True):
        row = section["row"]
        assert row["left"] >= 0 and row["right"] <= page_width, section["id"]
        assert [col["framework"] for col in section["columns"]] == titles
        for col, key in zip(section["columns"], keys, strict=True):
            assert col["visible"], (section["id"], key)
            assert col["box"]["width"] <= row["width"] + 0.5, (section["id"], key)
            entry = made["data"]["concepts"][key][concept]
            if report.shows_code(entry):
                assert col["code"]["width"] <= col["box"]["width"] + 0.5, (section["id"], key)
                assert col["lines"] == entry["end"] - entry["line"] + 1, (section["id"], key)
        if size == report_page.DESKTOP:
            assert not section["rowScrolls"], f"{section['id']}: five columns fit a desktop"
    shot = report_page.screenshot(browser, made["html"], tmp_path / "report.png", size)
    assert png_size(shot)[0] == size[0]


def test_show_only_hides_the_unticked_frameworks_with_css_alone(made, browser):
    from selenium.webdriver.common.by import By

    report_page.open_report(browser, made["html"], report_page.DESKTOP)
    keys = frameworks()

    def shown(key):
        return [
            element.is_displayed()
            for element in browser.find_elements(By.CSS_SELECTOR, f".fw-{key}")
        ]

    first, second = keys[0], keys[1]
    browser.get(made["html"].resolve().as_uri() + "#login-view")
    top = "return document.getElementById('login-view').getBoundingClientRect().top"
    before = browser.execute_script(top)
    browser.find_element(By.CSS_SELECTOR, f"label[for=show-{first}]").click()
    # A chip toggles its (hidden) check box without moving the page to where that box is: the
    # section read stays where it was (the columns above it may change height).
    assert abs(browser.execute_script(top) - before) < 5
    assert not any(shown(first)) and len(shown(first)) >= len(CONCEPTS)
    assert all(shown(second))
    layout = browser.execute_script(report_page.LAYOUT)
    assert all(
        len([c for c in s["columns"] if c["visible"]]) == len(keys) - 1 for s in layout["sections"]
    )
    browser.find_element(By.CSS_SELECTOR, "form#show button[type=reset]").click()
    assert all(shown(first)) and all(shown(second))


# ---------------------------------------------------------------- Markdown and the terminal


def test_markdown_fences_each_snippet_by_its_file_type_under_one_heading_per_concept(made):
    markdown = report.render_md(made["data"])
    code = markdown.split("\n## Code by concept\n", 1)[1].split("\n## Runtime\n", 1)[0]
    assert re.findall(r"^### (.+)$", code, re.M) == list(CONCEPTS)
    for key, concept, entry in located(made["data"]):
        title = report.titles(made["data"])[key]
        section = code.split(f"\n### {concept}\n", 1)[1].split("\n### ", 1)[0]
        body = section.split(f"**{title}** · ", 1)[1]
        fence = re.match(r"[^\n]*\n\n(`{3,})([\w+-]*)\n(.*?)\n\1(\n|$)", body, re.S)
        assert fence, (key, concept)
        language = fence.group(2)
        assert fence.group(3) == textwrap.dedent(entry["code"]), (key, concept)
        suffix = Path(entry["file"]).suffix
        expected = {
            ".py": {"python"},
            ".html": {"html+jinja", "html+django", "html"},
            ".jinja2": {"html+jinja"},
            "": {"procfile"},
        }.get(suffix)
        if expected:
            assert language in expected, (key, concept, language)


def test_concept_prints_one_concept_for_the_frameworks_named_plain_when_piped(made):
    frameworks_named = frameworks()[-2:]
    result = subprocess.run(
        [
            *WEBCUTTER,
            "compare",
            "--concept",
            "login",
            *frameworks_named,
            "--workdir",
            str(made["folder"] / "login"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b[" not in out
    assert out.startswith(f"login view — {concepts.DESCRIPTIONS['login view']}\n")
    blocks = out.split("\n── ")[1:]
    titles = {entry.key: entry.title for entry in catalogue()}
    assert [block.split(" · ", 1)[0] for block in blocks] == [titles[k] for k in frameworks_named]
    for key, block in zip(frameworks_named, blocks, strict=True):
        entry = made["data"]["concepts"][key]["login view"]
        heading, _, code = block.partition("\n")
        if report.shows_code(entry):
            assert heading == f"{titles[key]} · {report.snippet_heading(entry)}"
            assert code.rstrip("\n") == textwrap.dedent(
                "\n".join(definition_lines(made, key, entry))
            )
        else:
            assert heading.startswith(f"{titles[key]} · not shown: ")
    for other in CONCEPTS:
        if other != "login view":
            assert f"{other} — " not in out


def on_a_terminal(command, env):
    """The output of ``command`` run with a pseudo-terminal as its standard output."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdout=follower, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the pseudo-terminal closed: the command has finished
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0, process.stderr.read()
    return b"".join(chunks).decode()


def test_concept_is_highlighted_on_a_terminal(made):
    """On a terminal the snippets come with ANSI colours (Pygments' terminal formatter);
    NO_COLOR turns them off."""
    command = [
        *WEBCUTTER,
        "compare",
        "--from-json",
        str(made["folder"] / "report.json"),
        "--concept",
        "csrf",
    ]
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    coloured = on_a_terminal(command, {**env, "TERM": "xterm"})
    assert "CSRF set-up — " in coloured and "\x1b[" in coloured
    plain = on_a_terminal(command, {**env, "NO_COLOR": "1"})
    assert "CSRF set-up — " in plain and "\x1b[" not in plain


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("nosuch", "unknown concept 'nosuch' (valid: entry-point, routes, notes-view, "),
        (
            "password",
            "ambiguous concept 'password': password-reset, password-change, "
            "password-hashing (valid: ",
        ),
    ],
)
def test_an_unknown_concept_is_a_one_line_usage_error_naming_the_valid_ones(
    capsys, tmp_path, name, message
):
    status = cli.main(["compare", "--concept", name, "flask", "--workdir", str(tmp_path)])
    _, err = capsys.readouterr()
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith(f"webcutter: {message}")
    assert all(concepts.slug(concept) in err for concept in CONCEPTS)
    assert list(tmp_path.iterdir()) == []  # refused before anything is baked


@pytest.mark.parametrize(
    ("name", "concept"),
    [
        ("login", "login view"),
        ("LOGIN VIEW", "login view"),
        ("csrf", "CSRF set-up"),
        ("session", "session and cookie settings"),
        ("notes-template", "notes template"),
        ("production", "production server"),
        ("tests", "tests"),
    ],
)
def test_a_concept_is_named_by_its_name_slug_or_first_words(name, concept):
    assert concepts.resolve(name) == concept


def test_snippet_languages_and_fences():
    assert snippets.language("my_site/app.py") == "python"
    assert snippets.language("Procfile") == "procfile"
    assert snippets.language("development.ini") == "ini"
    assert snippets.language("t/base.html", "{% block content %}{% endblock %}") == "html+jinja"
    assert snippets.language("t/base.jinja2", "{{ x }}") == "html+jinja"
    assert snippets.language("t/base.html", "{% load static %}{% block a %}") == "html+django"
    assert snippets.language("views/layout.html", "{{extend 'layout.html'}}{{=x}}") == "html"
    assert snippets.fence("a = 1", "python") == "```python\na = 1\n```"
    assert snippets.fence('doc = """```x```"""', "python").startswith("````python\n")
    highlighted = snippets.html("def f():\n    pass", "python", 41)
    assert '<span class="linenos">41</span>' in highlighted
    assert '<span class="linenos">42</span>' in highlighted


def test_the_extending_guide_lists_every_concept_as_concepts_py_defines_it():
    guide = (DOCS / "extending.md").read_text(encoding="utf-8")
    guide = guide.split("### The concept map", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| (.+) \|$", guide, re.M)
    assert rows == [(concept, concepts.DESCRIPTIONS[concept]) for concept in CONCEPTS]


def test_the_readme_shows_a_screenshot_of_the_report():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^!\[[^\]]+\]\(docs/comparison\.png\)$", readme, re.M)
    width, height = png_size(DOCS / "comparison.png")
    assert (width, height) == report_page.DESKTOP
