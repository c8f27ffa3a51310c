"""What keeps ``--measure`` honest: the load client on a CPU of its own, its busiest run shown, and
the memory floor of a project's libraries measured next to the project."""

import importlib.util
import io
import os
import sys

import pytest
from support.templates import ROOT

from webcutter import measure, report
from webcutter.progress import Progress
from webcutter.runtime import WebProcess, build_venv, group_processes, project_env

TWO_CPUS = pytest.mark.skipif(
    len(os.sched_getaffinity(0)) < 2, reason="pinning needs two CPUs or more"
)
# A server that answers /health and, like gunicorn, forks a worker once it runs.
FORKING_SERVER = """\
import http.server, os, sys, time

class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass

time.sleep(0.2)  # as an app's imports take a while before the workers start
if os.fork() == 0:
    time.sleep(60)
    os._exit(0)
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Health).serve_forever()
"""


def load_targets():
    spec = importlib.util.spec_from_file_location("targets", ROOT / "benchmarks" / "targets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_client_gets_the_last_cpu_and_the_servers_the_others():
    available = sorted(os.sched_getaffinity(0))
    server, client = measure.Settings().cpus()
    if len(available) < 2:
        assert (server, client) == (None, None)
    else:
        assert client == {available[-1]} and server == set(available[:-1])
    assert measure.Settings(pin=False).cpus() == (None, None)


@TWO_CPUS
def test_under_load_the_server_and_its_workers_run_on_the_server_cpus(tmp_path):
    (tmp_path / "serve.py").write_text(FORKING_SERVER)
    (tmp_path / "Procfile").write_text(f"web: {sys.executable} serve.py $PORT\n")
    settings = measure.Settings()
    server_cpus, client_cpus = settings.cpus()
    mine = os.sched_getaffinity(0)
    server = WebProcess(tmp_path, dict(os.environ)).start()
    try:
        with measure.pinned(server, settings):
            assert os.sched_getaffinity(0) == client_cpus  # where wrk starts from
            processes = [int(entry.name) for entry in group_processes(server.process.pid)]
            assert len(processes) == 2  # the server and the worker it forked
            for pid in processes:
                assert os.sched_getaffinity(pid) == server_cpus
        assert os.sched_getaffinity(0) == mine
    finally:
        server.stop()


@pytest.mark.parametrize("pin", [True, False], ids=["pinned", "shared"])
def test_the_load_starts_once_the_server_answers(tmp_path, pin):
    """Pinned or not, the block runs only once the server answers (this one sleeps before it
    listens), so no warm-up or memory reading meets a server still starting."""
    (tmp_path / "serve.py").write_text(FORKING_SERVER)
    (tmp_path / "Procfile").write_text(f"web: {sys.executable} serve.py $PORT\n")
    server = WebProcess(tmp_path, dict(os.environ)).start()
    try:
        with measure.pinned(server, measure.Settings(pin=pin)):
            assert server.health_status() == 200
    finally:
        server.stop()


def test_the_busiest_run_of_the_client_is_its_share_of_its_core():
    assert report.client_busy({"client": "wrk", "client_busy": 0.25, "rps": 9}) == 0.25
    older = {"client": "wrk", "rps": 5000.0, "client_capacity_rps": 20_000}  # no client_busy
    assert report.client_busy(older) == 0.25
    assert report.client_busy({"client": "python", "rps": 10.0}) is None
    figures = {
        "endpoints": {"GET /": {"client": "wrk", "client_busy": 0.1}},
        "ceiling": {"GET /": {"client": "wrk", "client_busy": 0.2}},
    }
    assert report.busiest_client(figures) == 0.2
    assert report.fmt_client(figures) == "20 %"
    figures["ceiling"]["GET /"]["rps"] = 6000.0
    assert report.fmt_client_ceiling(figures) == "30,000/s"  # 6,000/s at a fifth of its core


def runtime(**figures):
    base = {
        "tests_s": 2.0,
        "cold_start_s": 0.5,
        "pss_mib": 30.0,
        "endpoints": {
            "GET /": {"rps": 3000.0, "errors": 0, "client": "wrk", "client_busy": 0.05},
            "GET /notes": {"rps": 1500.0, "errors": 0, "client": "wrk", "client_busy": 0.03},
        },
        "ceiling": {
            "GET /": {"rps": 6000.0, "client": "wrk", "client_busy": 0.15},
            "GET /notes": {"rps": 6000.0, "client": "wrk", "client_busy": 0.15},
        },
    }
    return {**base, **figures}


def data(app, busy=0.15):
    hello = runtime(pss_mib=25.0)
    hello["ceiling"]["GET /"]["client_busy"] = busy
    return {
        "frameworks": [{"key": "app"}],
        "runtime": {"hello": hello, "app": app},
        "generated": "now",
        "machine": {"cpus": 2},
        "settings": {"client": "wrk", "server_cpus": 1, "client_cpus": 1},
    }


def test_the_benchmark_says_whether_the_client_could_have_been_the_bottleneck():
    targets = load_targets()
    text, ok = targets.table(data(runtime(pss_mib=30.0)))
    assert ok, text
    assert "the servers on 1, the client on 1 of its own" in text
    assert "used 15 % of its core, so its own ceiling is 40,000/s: not the bottleneck" in text
    text, ok = targets.table(data(runtime(pss_mib=30.0), busy=0.6))
    assert "used 60 % of its core, so its own ceiling is 10,000/s: TOO CLOSE" in text


def test_a_memory_miss_is_printed_with_the_floor_of_the_libraries():
    targets = load_targets()
    app = runtime(pss_mib=100.0, libraries_pss_mib=70.0, libraries_modules=[40, 42])
    text, ok = targets.table(data(app))
    assert not ok
    assert "memory (PSS) / the ceiling's (reached 4)" in text
    assert "the 40 (of 42) library modules the app loads is already 2.80x the ceiling" in text
    assert "cannot be met with these libraries" in text


def test_the_floor_imports_the_apps_libraries_and_nothing_of_the_app(tmp_path):
    """For real: a gunicorn project whose app imports one library (MarkupSafe)."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(
        "import markupsafe\n\n"
        "def app(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [markupsafe.escape('<ok>').encode()]\n"
    )
    (project / "Procfile").write_text("web: gunicorn --preload --bind 0.0.0.0:$PORT app:app\n")
    bin_dir = build_venv(project, "gunicorn>=23", "markupsafe")
    figures = {}
    settings = measure.Settings(workers=1, concurrency=2, duration=0.3, warmup=0.1)
    measure.measure_libraries(
        project,
        project_env(bin_dir),
        bin_dir,
        settings,
        Progress(1, stream=io.StringIO()),
        "project",
        figures,
    )
    assert "libraries_error" not in figures, figures
    assert figures["libraries_pss_mib"] > 0
    imported, total = figures["libraries_modules"]
    assert imported == total >= 1
    floor = (tmp_path / "project-libraries" / "libraries.py").read_text()
    assert "'markupsafe'" in floor and "'app'" not in floor
