"""The webcutter command: list, new, compare (without --measure), check's reporting, and the
pure parts of measuring (percentiles, load generation on loopback, report rendering)."""

import ast
import io
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from support.templates import ROOT, template_context

from webcutter import check, cli, measure, report, shape
from webcutter.client import CookieJar, Form, Visitor, form_posting_to, forms, read_page
from webcutter.concepts import CONCEPTS
from webcutter.progress import Progress
from webcutter.templates import catalogue

CONTRACT = ROOT / "tests" / "contract"


def run_cli(capsys, *argv):
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_list_shows_every_framework_of_the_root_json_with_title_and_description(capsys):
    status, out, _ = run_cli(capsys, "list")
    assert status == 0
    entries = json.loads((ROOT / "cookiecutter.json").read_text())["templates"]
    lines = out.splitlines()
    assert len(lines) == len(entries)
    for line, (key, entry) in zip(lines, entries.items(), strict=True):
        assert line.split()[0] == key
        assert entry["title"] in line and entry["description"] in line


def test_the_console_script_is_installed_and_runs():
    command = Path(sys.executable).parent / "webcutter"
    result = subprocess.run([str(command), "list"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("flask ")


def test_outside_a_clone_every_command_says_so_in_one_line(tmp_path):
    """The package alone (as a wheel installs it), run where no template set is found."""
    import shutil

    shutil.copytree(
        ROOT / "webcutter",
        tmp_path / "site" / "webcutter",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (tmp_path / "work").mkdir()
    env = {key: value for key, value in os.environ.items() if key != "WEBCUTTER_ROOT"}
    env["PYTHONPATH"] = str(tmp_path / "site")
    for argv in (
        ["list"],
        ["new", "flask", "--no-input"],
        ["compare", "flask"],
        ["check", "templates/flask"],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "webcutter", *argv],
            cwd=tmp_path / "work",
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 2, (argv, result.stdout, result.stderr)
        assert result.stderr.splitlines() == [
            "webcutter: no webcutter template set found: run webcutter inside a clone of the "
            "repository or set WEBCUTTER_ROOT"
        ], (argv, result.stderr)
    assert list((tmp_path / "work").iterdir()) == []


def test_start_up_imports_neither_cookiecutter_nor_cruft():
    """They cost a second or more to import: only the commands that need them load them."""
    code = (
        "import sys, webcutter.cli; print(sorted({name.split('.')[0] for name in sys.modules"
        "} & {'cookiecutter', 'cruft', 'git', 'typer', 'jinja2'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_new_bakes_without_input_with_the_answers_given(capsys, tmp_path):
    status, out, _ = run_cli(
        capsys,
        "new",
        "flask",
        "--no-input",
        "-o",
        str(tmp_path),
        "project_name=Acme Notes",
        "database=postgresql",
    )
    assert status == 0
    project = tmp_path / "acme_notes"
    assert f"Generated Flask project in {project}" in out
    assert (project / "Procfile").is_file()
    assert "DATABASE_URL=postgresql://localhost/acme_notes" in (project / ".env").read_text()


def test_new_asks_the_templates_own_questions_without_no_input(tmp_path):
    # a name, four defaults, postgresql, Apache-2.0, no CI: the same prompts as cookiecutter
    answers = "Acme Notes\n\n\n\n\n2\n3\n2\n"
    result = subprocess.run(
        [sys.executable, "-m", "webcutter", "new", "flask", "-o", str(tmp_path)],
        input=answers,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Project name" in result.stdout and "Licence" in result.stdout
    project = tmp_path / "acme_notes"
    assert "DATABASE_URL=postgresql://localhost/acme_notes" in (project / ".env").read_text()
    assert "Apache License" in (project / "LICENSE").read_text()
    assert not (project / ".github").exists()


def test_new_accepts_answers_before_options(capsys, tmp_path):
    status, _, _ = run_cli(capsys, "new", "flask", "ci=none", "-o", str(tmp_path), "--no-input")
    assert status == 0
    assert not (tmp_path / "my_site" / ".github").exists()


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (["new", "nosuch", "--no-input"], "unknown framework 'nosuch' (valid: "),
        (["new", "flask", "--no-input", "colour=blue"], "unknown key 'colour' for flask (valid: "),
        (
            ["new", "flask", "--no-input", "database=mysql"],
            "invalid value 'mysql' for database (valid: sqlite, postgresql)",
        ),
        (["new", "flask", "--no-input", "database"], "expected key=value, got 'database'"),
        (["compare", "nosuch"], "unknown framework 'nosuch' (valid: "),
        (["compare", "flask", "colour=blue"], "unknown key 'colour' for flask (valid: "),
    ],
)
def test_unknown_framework_key_or_value_is_one_line_naming_the_valid_ones(
    capsys, tmp_path, argv, names
):
    status, out, err = run_cli(capsys, *argv, *(["-o", str(tmp_path)] if argv[0] == "new" else []))
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("webcutter: ") and names in lines[0], err
    if "framework" in names:
        assert all(entry.key in lines[0] for entry in catalogue())
    if "unknown key" in names:
        keys = [key for key in template_context("flask") if not key.startswith("_")]
        assert lines[0].endswith(f"(valid: {', '.join(keys)})")
    assert list(tmp_path.iterdir()) == []


def test_new_refuses_a_bad_slug_with_the_hooks_one_line_and_writes_nothing(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "webcutter",
            "new",
            "flask",
            "--no-input",
            "-o",
            str(tmp_path),
            "project_slug=flask",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        line for line in result.stderr.strip().splitlines() if line.startswith("ERROR:")
    ]
    assert "shadow" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- compare without --measure


@pytest.fixture(scope="module")
def compared():
    """`webcutter compare flask` in every format, from one bake per format."""
    outputs = {}
    for fmt in report.FORMATS:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "webcutter",
                "compare",
                "flask",
                "--format",
                fmt,
                "author_name=Ada Lovelace",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
        assert result.returncode == 0, result.stderr
        outputs[fmt] = result.stdout
    return outputs


def test_compare_json_has_shape_and_every_concept_with_its_line(compared):
    data = json.loads(compared["json"])
    assert [entry["key"] for entry in data["frameworks"]] == ["flask"]
    assert data["answers"] == {"author_name": "Ada Lovelace"}
    flask = data["shape"]["flask"]
    assert flask["files"] > 20 and flask["python_lines"] > 100 and flask["tests"] > 5
    assert flask["template_lines"] > 0 and flask["test_lines"] > 0 and flask["config_lines"] > 0
    assert any(dep.lower().startswith("flask>=") for dep in flask["dependencies"])
    mapped = data["concepts"]["flask"]
    assert list(mapped) == list(CONCEPTS)
    web = mapped["production server"]
    assert {key: web[key] for key in ("file", "symbol", "line", "end", "problem")} == {
        "file": "Procfile",
        "symbol": "web",
        "line": 2,
        "end": 2,
        "problem": None,
    }
    assert web["code"].startswith("web: ")
    assert mapped["entry point"]["file"] == "my_site/__init__.py"
    assert all(entry["line"] and not entry["problem"] for entry in mapped.values())
    assert data["runtime"] is None
    assert data["machine"]["cpus"] and data["versions"]["cookiecutter"] == "2.7.1"


def test_compare_text_and_markdown_show_the_tables(compared):
    for fmt in ("text", "md"):
        output = compared[fmt]
        for label, _ in report.SHAPE_ROWS:
            assert label in output
        for concept in CONCEPTS:
            assert concept in output
        assert "Procfile:2" in output and "my_site/auth.py:" in output
    markdown = compared["md"]
    assert "| Concept | Flask |" in markdown and "`Procfile:2`" in markdown
    assert "## Shape" in markdown and "Not measured (run with `--measure`)." in markdown


def test_compare_html_is_one_self_contained_file(compared):
    page = compared["html"]
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<table>" in page and "<code>Procfile:2</code>" in page
    for external in ("<script", "<link", " src=", "@import", "url("):
        assert external not in page


def test_compare_writes_each_output_in_the_format_of_its_suffix(tmp_path, capsys):
    files = [tmp_path / "c.md", tmp_path / "c.json", tmp_path / "c.html"]
    status = cli.main(["compare", "flask", "--quiet", *sum((["-o", str(f)] for f in files), [])])
    assert status == 0
    assert capsys.readouterr().out == ""
    assert files[0].read_text().startswith("# Comparison")
    assert json.loads(files[1].read_text())["frameworks"][0]["key"] == "flask"
    assert files[2].read_text().startswith("<!DOCTYPE html>")


def test_a_saved_json_report_renders_again_without_baking(tmp_path, capsys):
    saved = tmp_path / "c.json"
    saved.write_text(report.render_json(runtime_data()))
    status, out, _ = run_cli(capsys, "compare", "--from-json", str(saved), "--format", "md")
    assert status == 0 and out == report.render_md(runtime_data())
    status, _, err = run_cli(capsys, "compare", "flask", "--from-json", str(saved))
    assert status == 2 and "--from-json renders a saved report" in err


# ---------------------------------------------------------------- rendering of runtime figures


def runtime_data():
    def endpoints(rps, p50, p99):
        return {
            name: {
                "requests": 100,
                "errors": 0,
                "rps": rps,
                "p50_ms": p50,
                "p99_ms": p99,
                "server_cpu_ms": 1000 / rps,
            }
            for name in measure.ENDPOINTS
        }

    return {
        "generated": "2026-01-01 00:00 UTC",
        "machine": {
            "os": "Linux",
            "cpu": "CPU",
            "cpus": 2,
            "memory_gib": 4,
            "load_average": [0.1, 0.2, 0.3],
        },
        "versions": {"python": "3.11.7", "cookiecutter": "2.7.1"},
        "answers": {},
        "frameworks": [{"key": "flask", "title": "Flask", "description": "d"}],
        "shape": {"flask": shape.Shape(files=3, dependencies=["a", "b"]).as_dict()},
        "concepts": {
            "flask": {c: {"file": "Procfile", "line": 1, "problem": None} for c in CONCEPTS}
        },
        "concept_errors": {},
        "settings": {
            "workers": 2,
            "concurrency": 8,
            "duration_s": 4.0,
            "warmup_s": 1.0,
            "notes": 50,
            "host": "127.0.0.1",
            "python": "python",
        },
        "runtime": {
            "hello": {
                "install_s": 0.5,
                "cold_start_s": 0.25,
                "rss_mib": 50.0,
                "libraries_pss_mib": 50.0,
                "endpoints": endpoints(2000.0, 2.0, 8.0),
                "versions": {},
            },
            "flask": {
                "install_s": 2.0,
                "tests_s": 9.0,
                "tests_passed": 33,
                "cold_start_s": 1.0,
                "rss_mib": 150.0,
                "libraries_pss_mib": 110.0,
                "endpoints": endpoints(500.0, 10.0, 40.0),
                "versions": {"flask": "3.1.3"},
            },
        },
    }


def test_runtime_figures_are_shown_with_their_ratio_to_the_hello_ceiling():
    data = runtime_data()
    header, rows = report.runtime_table(data)
    assert header == ["", "Flask", "hello (ceiling)"]
    table = {row[0]: row[1:] for row in rows}
    assert table["GET / requests/s"] == ["500/s (0.25×)", "2,000/s"]
    assert table["GET /notes p50"] == ["10.0 ms (5.00×)", "2.0 ms"]
    assert table["GET /notes server CPU per request"] == ["2.000 ms (4.00×)", "0.500 ms"]
    assert table["Memory (PSS) after warm-up"] == ["150 MiB (3.00×)", "50 MiB"]
    assert table["Memory (PSS) of its libraries alone"] == ["110 MiB (2.20×)", "50 MiB"]
    assert table["Cold start to first 200 from /health"] == ["1.00 s (4.00×)", "0.25 s"]
    assert table["Own test suite"] == ["9.0 s", "–"]
    assert table["Own tests passed"] == ["33", "–"]
    markdown = report.render_md(data)
    assert "| POST /auth/login p99 | 40.0 ms (5.00×) | 8.0 ms |" in markdown
    assert "`WEB_CONCURRENCY=2`" in markdown and "8 client threads for 4 s" in markdown
    assert "logged in with 50 notes" in markdown
    assert "flask: flask 3.1.3" in markdown


def test_the_html_report_draws_a_bar_chart_per_runtime_figure():
    page = report.render_html(runtime_data())
    assert page.count("<svg") == len(report.RUNTIME_FIGURES)
    assert "GET /notes requests/s <small>(higher is better)</small>" in page
    assert "<title>hello (ceiling): 2,000 /s</title>" in page
    assert "<script" not in page and "<link" not in page


def test_a_busy_machine_is_called_out():
    data = runtime_data()
    assert report.busy_warning(data) is None
    data["runtime"]["flask"]["background_cpu_percent"] = 60.0
    warning = report.busy_warning(data)
    assert "other processes used up to 60 % of the CPUs" in warning
    assert warning in report.render_md(data) and warning in report.render_text(data)
    header, rows = report.runtime_table(data)
    assert ["CPU busy with other work just before its turn", "60 %", "–"] in rows


def test_background_cpu_is_read_from_proc_stat(tmp_path):
    stat = tmp_path / "stat"
    samples = iter(["cpu  100 0 100 800 0 0 0 0 0 0\n", "cpu  160 0 140 900 0 0 0 0 0 0\n"])

    class Stat:  # /proc/stat as two readings, one second apart
        def read_text(self):
            return next(samples)

    assert measure.background_cpu_percent(0, Stat()) == 50.0  # 100 busy of 200 jiffies
    stat.write_text("not a stat file")
    assert measure.background_cpu_percent(0, stat) is None


def test_failures_while_measuring_are_reported_not_hidden():
    data = runtime_data()
    data["runtime"]["flask"] = {"error": "web exited with 3", "versions": {}}
    data["runtime"]["hello"]["endpoints"]["GET /"]["errors"] = 4
    assert ("flask", "web exited with 3") in report.runtime_problems(data)
    assert "hello: GET /: 4 failed requests" in report.render_text(data)


# ---------------------------------------------------------------- measuring: pure parts


def test_ratios_and_small_rates_keep_their_significant_digits():
    assert report.runtime_cell(3.4, 670.0, "/s", 0) == "3.4/s (0.0051×)"
    assert report.runtime_cell(1113.0, 4.7, "ms", 1) == "1,113.0 ms (237×)"
    assert report.runtime_cell(2.5, None, "s", 1) == "2.5 s"


def test_percentiles_are_nearest_rank():
    values = list(range(1, 101))
    assert measure.percentile(values, 50) == 50
    assert measure.percentile(values, 99) == 99
    assert measure.percentile([3.0], 99) == 3.0
    assert measure.percentile([5, 1, 3], 50) == 3
    assert measure.percentile([], 50) == 0.0


class _App(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/auth/login":
            form = (
                b'<form method="post" action="/auth/login"><input type="hidden" name="t" '
                b'value="tok"><input name="u"><input type="password" name="p"></form>'
            )
            self._send(200, form, [("Set-Cookie", "session=abc; HttpOnly; Path=/")])
        else:
            self._send(200 if "session=abc" in self.headers.get("Cookie", "") else 403)

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        ok = "t=tok" in body and "session=abc" in self.headers.get("Cookie", "")
        self._send(303 if ok else 400, headers=[("Location", "/notes")])


@pytest.fixture()
def local_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _App)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_the_load_generator_is_bounded_in_time_and_counts_each_request(local_server):
    jar = CookieJar()
    jar.values["session"] = "abc"
    requests = measure.endpoint_requests(local_server, jar, ("u", "p"))
    result = measure.load(requests["GET /notes"], concurrency=2, duration=0.3)
    assert 0.3 <= result.seconds < 3
    assert result.requests > 10 and result.errors == 0
    figures = result.as_dict()
    assert figures["rps"] > 0 and 0 < figures["p50_ms"] <= figures["p99_ms"]
    login = measure.load(requests["POST /auth/login"], concurrency=2, duration=0.3)
    assert login.requests > 0 and login.errors == 0  # a fresh session and token each time
    anonymous = measure.load(
        measure.endpoint_requests(local_server, CookieJar(), ("u", "p"))["GET /notes"],
        concurrency=1,
        duration=0.2,
    )
    assert anonymous.requests == 0 and anonymous.errors > 0  # 403 is not counted as served


def test_a_visitor_keeps_cookies_and_fills_forms_by_kind(local_server):
    visitor = Visitor("127.0.0.1", local_server)
    response = visitor.submit(
        "/auth/login", "/auth/login", {"text": ["ada"], "password": ["secret"]}
    )
    assert response.status == 303 and response.location_path() == "/notes"
    assert visitor.cookies.values == {"session": "abc"}
    page = visitor.get("/auth/login")
    form = form_posting_to(page.text, "/auth/login", "/auth/login")
    assert form.hidden() == {"t": "tok"} and form.named("password") == ["p"]
    with pytest.raises(RuntimeError, match="no form posting to /notes"):
        visitor.submit("/auth/login", "/notes", {})


def test_one_html_reader_for_the_suite_and_the_load_generator():
    """webcutter.client.read_page is what both the contract suite's Browser and compare use."""
    from support import browser

    page = read_page(
        '<html><head><title>T</title><link rel="stylesheet" href="/s.css"></head><body>'
        '<p>Hello &amp; <b>welcome</b></p><script>var x = 1;</script><script src="/a.js"></script>'
        '<form method="POST" action="/notes"><input type="hidden" name="csrf" value="tok">'
        '<input name="title"><textarea name="body">old &lt;text&gt;</textarea>'
        '<button type="submit">Add</button><input type="submit" value="Add"></form>'
        '<a href="/auth/login">in</a></body></html>'
    )
    [form] = page.forms
    assert (form.action, form.method, form.hidden()) == ("/notes", "post", {"csrf": "tok"})
    assert form.named("text") == ["title"] and form.named("textarea") == ["body"]
    assert form.fields[-1].value == "old <text>" and len(form.fields) == 3
    assert page.visible_text == "Hello & welcome Add in"  # a button's text is seen
    assert page.scripts == [None, "/a.js"] and page.stylesheets == ["/s.css"]
    assert page.links == ["/auth/login"]
    assert browser.Form is Form
    assert forms("<form action='/x'></form>")[0].action == "/x"
    assert form_posting_to("<form action='x'></form>", "/a/", "/a/x") is not None


def test_progress_draws_one_line_per_step_when_not_on_a_terminal():
    stream = io.StringIO()
    progress = Progress(4, stream=stream, width=8)
    progress.step("baking flask")
    progress.note("flask: warming up")
    progress.step("flask: load on GET /")
    progress.finish()
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("[##......] 1/4") and lines[0].endswith("baking flask")
    assert lines[2].startswith("[####....] 2/4")
    assert lines[-1].startswith("[########] 4/4") and lines[-1].endswith("done")


def test_shape_sorts_files_into_kinds(tmp_path):
    (tmp_path / "app" / "templates").mkdir(parents=True)
    (tmp_path / "tests").mkdir()
    (tmp_path / "app" / "views.py").write_text("import os\n\nx = 1\n")
    (tmp_path / "app" / "templates" / "base.html").write_text("<p>\n\n</p>\n")
    (tmp_path / "tests" / "test_app.py").write_text(
        "def test_a():\n    pass\n\n\nclass TestB:\n    def test_c(self):\n        pass\n"
    )
    (tmp_path / "Procfile").write_text("web: run\n")
    (tmp_path / ".env").write_text("SECRET_KEY=x\n")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\ndependencies = ["Flask>=3", "gunicorn"]\n'
        '[project.optional-dependencies]\ndev = ["pytest"]\n'
    )
    found = shape.measure(tmp_path)
    assert (found.files, found.python_lines, found.template_lines) == (5, 2, 2)
    assert (found.test_lines, found.tests, found.config_lines) == (5, 2, 5)
    assert found.dependencies == ["Flask>=3", "gunicorn"] and found.dev_dependencies == ["pytest"]


# ---------------------------------------------------------------- check


def unmarked_tests(path):
    """Names of the test functions of ``path`` without a ``clause`` marker."""
    tree = ast.parse(path.read_text())
    missing = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            marks = [
                d
                for d in node.decorator_list
                if isinstance(d, ast.Call) and "clause" in ast.unparse(d.func)
            ]
            if not marks:
                missing.append(node.name)
    return missing


def test_every_contract_test_names_its_clause():
    """`webcutter check` prints each test's clause from its marker: every contract test has one."""
    missing = {path.name: unmarked_tests(path) for path in sorted(CONTRACT.glob("test_*.py"))}
    missing = {name: tests for name, tests in missing.items() if tests}
    assert not missing, f"add @clause(section, text) to: {missing}"


def test_check_prints_one_line_per_clause_with_the_reason():
    passed = {
        "nodeid": "tests/contract/test_pages.py::test_health_reports_the_database[flask-sqlite]",
        "outcome": "passed",
        "reason": "",
        "clause": ["§1 Routes", "GET /health is 200 JSON {status: ok, database: ok}"],
    }
    failed = {
        "nodeid": "tests/contract/test_security.py::test_register_without_a_valid_token_"
        "is_refused[flask-postgresql-forged]@flask-postgresql",
        "outcome": "failed",
        "reason": "AssertionError: assert 302 in (400, 403)",
        "clause": ["§3 Security", "CSRF: a register POST without a valid token is refused"],
    }
    unknown = {
        "nodeid": "tests/contract/test_new.py::test_something_new[flask-sqlite]",
        "outcome": "skipped",
        "reason": "needs chromium",
    }
    assert check.format_line(passed, "flask") == (
        "PASS  §1 Routes     GET /health is 200 JSON {status: ok, database: ok} [sqlite]"
    )
    assert check.format_line(failed, "flask") == (
        "FAIL  §3 Security   CSRF: a register POST without a valid token is refused "
        "[postgresql-forged] — AssertionError: assert 302 in (400, 403)"
    )
    assert check.format_line(unknown, "flask") == (
        "SKIP  Contract      something new [sqlite] — needs chromium"
    )


FAILING_TESTS = """
import pytest

def test_with_a_message():
    content_type = "application/json"
    assert content_type.startswith("text/html"), (
        f"Content-Type is {content_type!r}, expected text/html")

def test_bare():
    class Page:
        status = 302
    assert Page().status in {400, 403}

def test_an_exception():
    raise RuntimeError("web exited with 3:\\nTraceback ...\\nKeyError: 'SECRET_KEY'")

def test_fail():
    pytest.fail("2 of the project's 9 own tests failed; the first, tests/test_a.py::test_b: "
                "assert 1 == 2", pytrace=False)

def test_passes():
    pass
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "xdist"])
def test_check_reports_the_assertions_own_explanation(tmp_path, workers):
    """The plugin's reason is pytest's first E line (the message, else the assertion with its
    values), the other E lines come with it, and object addresses are left out."""
    (tmp_path / "test_sample.py").write_text(FAILING_TESTS)
    report = tmp_path / "report.jsonl"
    env = {**os.environ, "WEBCUTTER_CHECK_REPORT": str(report)}
    env.pop("WEBCUTTER_TEMPLATE", None)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(tmp_path / "test_sample.py"),
            "-p",
            "webcutter.check_plugin",
            "-p",
            "no:cacheprovider",
            "-q",
            *workers,
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    results = {
        json.loads(line)["nodeid"].split("::")[1]: json.loads(line)
        for line in report.read_text().splitlines()
    }
    assert results["test_passes"]["outcome"] == "passed" and not results["test_passes"]["reason"]
    message = results["test_with_a_message"]
    assert message["reason"] == "Content-Type is 'application/json', expected text/html"
    bare = results["test_bare"]
    assert bare["reason"] == "assert 302 in {400, 403}"
    assert all(" at 0x" not in line for line in bare["details"]), bare["details"]
    raised = results["test_an_exception"]
    assert raised["reason"] == "RuntimeError: web exited with 3:"
    assert "KeyError: 'SECRET_KEY'" in raised["details"]
    assert results["test_fail"]["reason"].startswith("2 of the project's 9 own tests failed")


def test_a_fail_line_shows_the_explanation_the_node_id_and_the_log():
    seen = {}
    failed = {
        "nodeid": "tests/contract/test_pages.py::test_unknown_path[bottle-sqlite-a b]"
        "@bottle-sqlite",
        "outcome": "failed",
        "reason": "Content-Type is x",
        "details": ["assert False"],
        "log": "== web-1234.log\nGET /x 404",
    }
    lines = check.failure_lines(failed, seen)
    assert lines == [
        "        assert False",
        "        test: 'tests/contract/test_pages.py::test_unknown_path[bottle-sqlite-a b]'",
        "        server log during the test:",
        "        | == web-1234.log",
        "        | GET /x 404",
    ]
    again = check.failure_lines(
        {**failed, "nodeid": "tests/contract/t.py::test_x[y]", "log": ""}, seen
    )
    assert again == [
        "        (the same failure as tests/contract/test_pages.py::test_unknown_path"
        "[bottle-sqlite-a b])",
        "        test: 'tests/contract/t.py::test_x[y]'",
    ]
    assert check.failure_lines({**failed, "outcome": "passed"}, seen) == []


def test_a_node_id_after_k_runs_that_test():
    nodeid = "tests/contract/test_auth.py::test_x[bottle-sqlite-wrong current]"
    assert check.selection(["-k", nodeid, "-x"]) == (["-x"], [nodeid])
    assert check.selection([f"-k={nodeid}@bottle-sqlite"]) == ([], [nodeid])
    assert check.selection([nodeid]) == ([], [nodeid])
    assert check.selection(["-k", "csrf and not login"]) == (["-k", "csrf and not login"], [])


def test_check_refuses_a_folder_that_is_not_a_template_of_the_set(capsys, tmp_path):
    status, _, err = run_cli(capsys, "check", str(tmp_path))
    assert status == 2 and "is not a template folder" in err
    (tmp_path / "cookiecutter.json").write_text("{}")
    status, _, err = run_cli(capsys, "check", str(tmp_path))
    assert status == 2 and "is not under" in err and len(err.strip().splitlines()) == 1


def test_measuring_goes_on_after_a_target_fails_and_keeps_its_partial_figures(
    monkeypatch, tmp_path
):
    from webcutter import compare

    def hello(folder, settings, progress, label, figures, worker=None):
        assert worker is None  # every template of the set is WSGI
        figures.update(install_s=0.1, cold_start_s=0.2)

    def project(folder, settings, progress, label, figures):
        figures["install_s"] = 1.5
        raise RuntimeError(f"web exited with 3:\n{folder.name} log")

    monkeypatch.setattr(measure, "measure_hello", hello)
    monkeypatch.setattr(measure, "measure_project", project)
    data = compare.compare(
        ["flask"], {}, do_measure=True, workdir=tmp_path, progress=Progress(1, stream=io.StringIO())
    )
    assert data["runtime"]["hello"]["cold_start_s"] == 0.2
    assert data["runtime"]["flask"]["install_s"] == 1.5
    assert data["runtime"]["flask"]["error"] == "web exited with 3:"
    assert data["settings"]["workers"] == 2 and data["settings"]["concurrency"] == 8
    assert "| Install | 1.5 s (15×) | 0.1 s |" in report.render_md(data)
    assert ("flask", "web exited with 3:") in report.runtime_problems(data)
    assert data["frameworks"][0]["server_model"] == "wsgi"


def test_an_asgi_template_is_measured_against_an_asgi_hello_on_its_worker_class():
    data = runtime_data()
    data["frameworks"].append(
        {"key": "fastapi", "title": "FastAPI", "description": "d", "server_model": "asgi"}
    )
    data["shape"]["fastapi"] = data["shape"]["flask"]
    data["concepts"]["fastapi"] = data["concepts"]["flask"]
    asgi = {
        **data["runtime"]["hello"],
        "worker_class": "uvicorn_worker.UvicornWorker",
        "cold_start_s": 0.5,
        "rss_mib": 100.0,
    }
    data["runtime"]["hello-asgi"] = asgi
    data["runtime"]["fastapi"] = {**data["runtime"]["flask"], "cold_start_s": 1.0}
    header, rows = report.runtime_table(data)
    assert header == ["", "Flask", "FastAPI", "hello (ceiling)", "hello ASGI (ceiling)"]
    table = {row[0]: row[1:] for row in rows}
    assert table["Cold start to first 200 from /health"] == [
        "1.00 s (4.00×)",
        "1.00 s (2.00×)",
        "0.25 s",
        "0.50 s",
    ]
    assert table["Memory (PSS) after warm-up"][1] == "150 MiB (1.50×)"
    assert "`uvicorn_worker.UvicornWorker`" in report.settings_sentence(data)
    assert "hello ASGI (ceiling)" in report.render_html(data)


def test_the_asgi_ceiling_runs_the_projects_own_worker_class(tmp_path):
    from webcutter import compare

    project = tmp_path / "api"
    project.mkdir()
    (project / "Procfile").write_text(
        "release: alembic upgrade head\n"
        "web: gunicorn --bind 0.0.0.0:$PORT -k uvicorn.workers.UvicornWorker api:app\n"
    )
    (project / "pyproject.toml").write_text(
        '[project]\nname = "api"\ndependencies = ["FastAPI>=0.115", "uvicorn[standard]>=0.30"]\n'
    )
    assert measure.asgi_worker(project) == (
        "uvicorn.workers.UvicornWorker",
        "uvicorn[standard]>=0.30",
    )
    (project / "Procfile").write_text(
        "web: gunicorn --worker-class=uvicorn_worker.UvicornWorker --bind 0.0.0.0:$PORT api:app\n"
    )
    assert measure.asgi_worker(project) == ("uvicorn_worker.UvicornWorker", "uvicorn-worker")
    flask = catalogue()[0]

    class Asgi:
        key, context = "api", {"_server_model": "asgi", "_key_distributions": ["fastapi"]}

    assert compare.ceilings([flask, Asgi, Asgi], {"api": project}) == [
        ("hello", None),
        ("hello-asgi", ("uvicorn_worker.UvicornWorker", "uvicorn-worker")),
    ]
    assert compare.ceilings([flask], {}) == [("hello", None)]
    assert compare.key_distributions(flask) == set(flask.context["_key_distributions"])


@pytest.mark.parametrize(
    "worker", [None, ("uvicorn_worker.UvicornWorker", "uvicorn-worker")], ids=["wsgi", "asgi"]
)
def test_the_hello_ceilings_serve_under_load(tmp_path, worker):
    """The two ceilings for real: installed, served by gunicorn (an ASGI worker class for the
    ASGI one), loaded briefly on every endpoint."""
    figures = {}
    settings = measure.Settings(workers=1, concurrency=2, duration=0.3, warmup=0.1)
    measure.measure_hello(
        tmp_path / "hello", settings, Progress(20, stream=io.StringIO()), "hello", figures, worker
    )
    assert figures["cold_start_s"] > 0 and figures["rss_mib"] > 0
    for name in measure.ENDPOINTS:
        load = figures["endpoints"][name]
        assert load["requests"] > 0 and load["errors"] == 0, (name, load)
        assert load["server_cpu_ms"] > 0, (name, load)  # the server's own time, per request
    if worker:
        assert "uvicorn_worker.UvicornWorker" in (tmp_path / "hello" / "Procfile").read_text()


def test_check_runs_the_suite_on_one_template_and_prints_a_line_per_clause(monkeypatch):
    """The real loop, narrowed to two quick rules: bake, concept map, pytest with the plugin."""
    monkeypatch.setenv("WEBCUTTER_POSTGRES_URL", "postgresql://unused")  # no server needed here
    out = io.StringIO()
    status = check.run(
        str(ROOT / "templates" / "flask"),
        "sqlite",
        1,
        ["-k", "shared_keys or refuses_a_bad_slug_in_one_line"],
        out=out,
    )
    lines = out.getvalue().splitlines()
    assert status == 0, out.getvalue()
    assert lines[1] == "PASS  Bake          the template bakes with the defaults"
    concept_lines = [line for line in lines if line.startswith("PASS  Concept map")]
    assert len(concept_lines) == len(CONCEPTS)
    assert "PASS  Concept map   production server — Procfile:2" in lines
    assert "PASS  Template set  the shared keys come first, as in every template" in lines
    assert "PASS  Bake          the cookiecutter command refuses a bad slug in one line" in lines
    assert lines[-1].startswith(
        f"{len(CONCEPTS) + 3} passed, 0 failed, 0 skipped (pytest: 2 passed"
    )
