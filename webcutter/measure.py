"""Runtime figures of baked projects, each installed in its own environment and served by its
own ``Procfile`` ``web`` command, and of a bare "hello" app on gunicorn (the ceiling): a WSGI app
for WSGI templates, an ASGI app on the ASGI template's own worker class for ASGI templates (the
template's ``_server_model`` says which).

Everything runs on 127.0.0.1, one target after another, with the same worker count
(``WEB_CONCURRENCY``) and the same bounded load: a fixed number of client threads for a fixed
time per endpoint. Under load, on two CPUs or more, the server runs on all CPUs but the last and
the client on that one (:meth:`Settings.cpus`), and each run records the server's own CPU time
per request (:func:`timed_load`) and how busy the client was.
"""

import contextlib
import math
import os
import re
import subprocess
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from . import wrk
from .client import Client, CookieJar, Visitor, form_posting_to
from .runtime import HOST, WebProcess, build_venv, project_env, read_procfile, release

ENDPOINTS = ("GET /", "GET /notes", "GET /health", "POST /auth/login")
WRK_ENDPOINTS = {"GET /": "/", "GET /notes": "/notes", "GET /health": "/health"}
COLD_STARTS = 3  # fresh starts timed per target; the report keeps the median
NOTES = 50
USERNAME, PASSWORD, EMAIL = "bench", "bench-password-123", "bench@example.com"
HELLO_APP = '''\
def app(environ, start_response):
    """The ceiling: a WSGI app that answers every request with "hello"."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        environ["wsgi.input"].read(length)
    body = b"hello"
    start_response("200 OK", [("Content-Type", "text/plain"),
                              ("Content-Length", str(len(body)))])
    return [body]
'''
HELLO_PROCFILE = "web: gunicorn --bind 0.0.0.0:$PORT hello:app\n"
HELLO_ASGI_APP = '''\
async def app(scope, receive, send):
    """The ASGI ceiling: an ASGI app that answers every HTTP request with "hello"."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    while (await receive()).get("more_body"):  # read the whole request body
        pass
    body = b"hello"
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
'''
HELLO_ASGI_PROCFILE = "web: gunicorn --bind 0.0.0.0:$PORT --worker-class {worker} hello:app\n"
# The libraries' floor: which library modules the project's gunicorn app loads (run by the
# project's own Python with its web command's arguments), and a hello that imports just those.
LIBRARY_MODULES = """\
import shlex, sys, sysconfig
from gunicorn.app.wsgiapp import WSGIApplication
sys.argv = ["gunicorn", *shlex.split(sys.argv[1])[1:]]
before = set(sys.modules)
WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").load()
site = sysconfig.get_paths()["purelib"]
for name, module in list(sys.modules.items()):
    path = getattr(module, "__file__", None) or ""
    if name not in before and path.startswith(site) and "__editable__" not in path:
        print(name)
"""
LIBRARIES_APP = '''\
"""A "hello" that first imports the library modules a project's app loads, and nothing of the
project: what those libraries alone weigh under the same gunicorn."""
import importlib
import sys

MODULES = {modules!r}
imported = 0
for name in MODULES:
    try:
        importlib.import_module(name)
        imported += 1
    except Exception:  # a module that needs the app's own set-up (settings, a config)
        pass
print(f"imported {{imported}} of {{len(MODULES)}} library modules", file=sys.stderr, flush=True)


def app(environ, start_response):
    body = b"hello"
    start_response("200 OK", [("Content-Type", "text/plain"),
                              ("Content-Length", str(len(body)))])
    return [body]
'''
LIBRARIES_PROCFILE = "web: gunicorn --preload --bind 0.0.0.0:$PORT libraries:app\n"
IMPORTED = re.compile(r"imported (\d+) of (\d+) library modules")
# The worker class contract §5 names for an ASGI template, and its distribution.
ASGI_WORKER = "uvicorn_worker.UvicornWorker"
ASGI_WORKER_REQUIREMENT = "uvicorn-worker"
WORKER_OPTION = re.compile(r"(?:^|\s)(?:-k|--worker-class)(?:\s+|=)(\S+)")


@dataclass
class Settings:
    workers: int = 2  # WEB_CONCURRENCY of every server
    concurrency: int = 8  # open connections (wrk) or client threads per load run
    duration: float = 4.0  # seconds of load per endpoint
    warmup: float = 1.0  # seconds of unrecorded load per endpoint before memory is read
    client: str = "auto"  # "wrk" when installed (else the Python client), "wrk", "python"
    pin: bool = True  # server and load client on separate CPUs, where there are two or more

    def cpus(self):
        """(server CPUs, client CPUs) for the load runs, or (None, None) when not pinned.

        On a shared set of CPUs the client's own work takes CPU from the server in proportion
        to the requests it sends: a fast server (the ceiling) loses more than a slow one, and
        the shares come out too high. Pinned, every server has the same CPUs to itself (all
        but the last) and the client has the last one to itself."""
        try:
            available = sorted(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            return None, None
        if not self.pin or len(available) < 2:
            return None, None
        return set(available[:-1]), {available[-1]}

    def load_client(self):
        if self.client == "python" or (self.client == "auto" and not wrk.find()):
            return "python"
        if not wrk.find():
            raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
        return "wrk"


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies: list = field(default_factory=list, repr=False)

    def as_dict(self):
        return {
            "requests": self.requests,
            "errors": self.errors,
            "rps": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(percentile(self.latencies, 50) * 1000, 2),
            "p99_ms": round(percentile(self.latencies, 99) * 1000, 2),
        }


def background_cpu_percent(seconds=1.0, stat=Path("/proc/stat")):
    """How busy the CPUs are over ``seconds`` (percent, all CPUs together), sampled while no
    server of ours runs: the load of other processes. None where /proc/stat is not readable."""

    def sample():
        fields = [int(x) for x in stat.read_text().splitlines()[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return idle, sum(fields)

    try:
        idle_before, total_before = sample()
        time.sleep(seconds)
        idle_after, total_after = sample()
    except (OSError, ValueError, IndexError):
        return None
    elapsed = total_after - total_before
    return round(100 * (1 - (idle_after - idle_before) / elapsed), 1) if elapsed else 0.0


def percentile(values, pct):
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


# ---------------------------------------------------------------- load


def load(make_request, concurrency, duration):
    """Run ``make_request()`` -> (ok, seconds) from ``concurrency`` threads for ``duration``
    seconds, each thread with its own state (``make_request`` is a factory per thread)."""
    results, lock = [], threading.Lock()
    deadline = time.perf_counter() + duration

    def worker():
        request = make_request()
        latencies, errors = [], 0
        while time.perf_counter() < deadline:
            try:
                ok, seconds = request()
            except OSError:
                ok, seconds = False, 0.0
            if ok:
                latencies.append(seconds)
            else:
                errors += 1
        with lock:
            results.append((latencies, errors))

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = [value for chunk, _ in results for value in chunk]
    return LoadResult(len(latencies), sum(errors for _, errors in results), elapsed, latencies)


def timed(client, method, path, body=None, headers=None, expect=(200,)):
    started = time.perf_counter()
    response = client.request(method, path, body, headers)
    return response.status in expect, time.perf_counter() - started


def endpoint_requests(port, cookies, login_fields, hello=False):
    """Per endpoint, a factory of per-thread request functions."""
    logged_in = dict(cookies.header())
    redirect = (200,) if hello else (302, 303)

    def get(path, headers=None):
        def factory():
            client = Client(HOST, port)
            return lambda: timed(client, "GET", path, headers=headers)

        return factory

    def login():
        client = Client(HOST, port)
        user_field, password_field = login_fields

        def request():
            # A fresh visitor each time: its form (not timed) gives a session and a CSRF token.
            jar = CookieJar()
            page = client.request("GET", "/auth/login")
            jar.update(page)
            form = form_posting_to(page.text, "/auth/login", "/auth/login")
            data = {
                **(form.hidden() if form else {}),
                user_field: USERNAME,
                password_field: PASSWORD,
            }
            return timed(client, "POST", "/auth/login", data, jar.header(), expect=redirect)

        return request

    return {
        "GET /": get("/"),
        "GET /notes": get("/notes", logged_in),
        "GET /health": get("/health"),
        "POST /auth/login": login,
    }


def seed(port):
    """Register the benchmark user (logged in by registering), add NOTES notes; returns the
    visitor's cookies and the login form's field names."""
    visitor = Visitor(HOST, port)
    response = visitor.submit(
        "/auth/register",
        "/auth/register",
        {"text": [USERNAME], "email": [EMAIL], "password": [PASSWORD, PASSWORD]},
    )
    if response.status not in (302, 303):
        raise RuntimeError(f"registering the benchmark user answered {response.status}")
    for number in range(1, NOTES + 1):
        response = visitor.submit(
            "/notes",
            "/notes",
            {"text": [f"Note {number}"], "textarea": [f"Body of note {number}."]},
        )
        if response.status not in (302, 303):
            raise RuntimeError(f"adding note {number} answered {response.status}")
    page = visitor.get("/notes")
    if page.status != 200 or f"Note {NOTES}" not in page.text:
        raise RuntimeError(f"GET /notes after seeding answered {page.status} without the notes")
    anonymous = Visitor(HOST, port)
    form = form_posting_to(anonymous.get("/auth/login").text, "/auth/login", "/auth/login")
    if form is None or len(form.named("text")) != 1 or len(form.named("password")) != 1:
        raise RuntimeError("the login form does not have one text and one password field")
    return visitor.cookies, (form.named("text")[0], form.named("password")[0])


def cold_starts(project, env, settings, count=COLD_STARTS):
    """Seconds from starting the ``web`` command to the first 200 of ``/health``, ``count``
    times (a fresh start each, polled every 5 ms)."""
    seconds = []
    for _ in range(count):
        server = WebProcess(project, {**env, "WEB_CONCURRENCY": str(settings.workers)})
        started = time.perf_counter()
        server.start()
        try:
            seconds.append(
                server.wait_until_serving(timeout=120, status=200, interval=0.005, since=started)
            )
        finally:
            server.stop()
    return seconds


@contextlib.contextmanager
def pinned(server, settings):
    """Wait until ``server`` (just started) answers, then run the block's load on the client's
    CPUs, with the server on the server's: pinned at once, so that the workers it forks inherit
    them, and again once it answers, so that nothing it started in between is left out."""
    server_cpus, client_cpus = settings.cpus()
    if server_cpus is None:
        server.wait_until_serving(timeout=120, status=200)
        yield
        return
    server.pin(server_cpus)
    mine = os.sched_getaffinity(0)
    os.sched_setaffinity(0, client_cpus)  # wrk and the Python client start from here
    try:
        server.wait_until_serving(timeout=120, status=200)
        server.pin(server_cpus)  # again: whatever the web command started meanwhile
        yield
    finally:
        os.sched_setaffinity(0, mine)


def timed_load(server, name, requests, settings, seconds, cookies):
    """:func:`run_load` on ``server``, with the server's own CPU time per answered request
    (its processes' user and system time over the run): a cost that does not depend on how
    much of the machine the client took."""
    before = server.cpu_seconds()
    result = run_load(server.port, name, requests, settings, seconds, cookies)
    spent = server.cpu_seconds() - before
    if result.get("requests"):
        result["server_cpu_ms"] = round(1000 * spent / result["requests"], 4)
    return result


def run_load(port, name, requests, settings, seconds, cookies):
    """One load run on endpoint ``name``: wrk for the GET endpoints when it is the client, the
    Python client otherwise (and for the login POST, which needs a fresh form each time)."""
    if settings.load_client() == "wrk" and name in WRK_ENDPOINTS:
        headers = cookies.header()
        return wrk.run(
            f"http://{HOST}:{port}{WRK_ENDPOINTS[name]}",
            seconds,
            connections=settings.concurrency,
            headers=headers,
        ).as_dict()
    result = load(requests[name], settings.concurrency, seconds).as_dict()
    result["client"] = "python"
    return result


def serve_and_load(
    project, env, settings, progress, label, figures, hello=False, endpoints=ENDPOINTS
):
    """Cold start, seed, warm up, memory, then the timed load of every endpoint, into
    ``figures`` (filled as it goes, so a failure keeps what was measured before it)."""
    progress.step(f"{label}: cold start")
    starts = cold_starts(project, env, settings)
    figures["cold_start_s"] = round(sorted(starts)[len(starts) // 2], 3)
    figures["cold_starts_s"] = [round(value, 3) for value in starts]
    server = WebProcess(project, {**env, "WEB_CONCURRENCY": str(settings.workers)}).start()
    try:
        with pinned(server, settings):
            load_everything(server, settings, progress, label, figures, hello, endpoints)
    finally:
        server.stop()


def load_everything(server, settings, progress, label, figures, hello, endpoints):
    """Seed, warm up, memory, then the timed load of every endpoint on a serving ``server``."""
    if hello:
        cookies, fields = CookieJar(), ("username", "password")
    else:
        progress.note(f"{label}: registering a user and adding {NOTES} notes")
        cookies, fields = seed(server.port)
    requests = endpoint_requests(server.port, cookies, fields, hello)
    progress.note(f"{label}: warming up")
    for name in endpoints:
        run_load(
            server.port,
            name,
            requests,
            settings,
            settings.warmup,
            CookieJar() if name != "GET /notes" else cookies,
        )
    figures["rss_mib"] = server.resident_mib()
    figures["pss_mib"] = server.proportional_mib()
    figures["endpoints"] = {}
    for name in endpoints:
        progress.step(f"{label}: load on {name} ({settings.duration:g} s)")
        figures["endpoints"][name] = timed_load(
            server,
            name,
            requests,
            settings,
            settings.duration,
            CookieJar() if name != "GET /notes" else cookies,
        )


def measure_ceiling(folder, settings, progress, label, figures):
    """The hello ceiling's GET figures right now, into ``figures["ceiling"]``: measured next to
    each target, so that the two share the machine's state."""
    figures["ceiling"] = ceiling = {}
    env = project_env(Path(folder) / ".venv" / "bin")
    server = WebProcess(folder, {**env, "WEB_CONCURRENCY": str(settings.workers)}).start()
    try:
        with pinned(server, settings):
            progress.note(f"{label}: the ceiling, next to it")
            requests = endpoint_requests(server.port, CookieJar(), ("username", "password"), True)
            for name in WRK_ENDPOINTS:
                run_load(server.port, name, requests, settings, settings.warmup, CookieJar())
                ceiling[name] = timed_load(
                    server, name, requests, settings, settings.duration, CookieJar()
                )
    finally:
        server.stop()


def passed_count(output):
    match = re.search(r"(\d+) passed", output)
    return int(match.group(1)) if match else None


def measure_project(project, settings, progress, label, figures):
    """Install, own tests, release, then :func:`serve_and_load`, for one baked project."""
    progress.step(f"{label}: installing")
    started = time.perf_counter()
    bin_dir = build_venv(project, "-e", ".[dev]")
    figures["install_s"] = round(time.perf_counter() - started, 2)
    env = project_env(bin_dir)
    progress.step(f"{label}: its own tests")
    runs = []
    for _ in range(2):  # the first run also compiles the project: the second is every save's
        started = time.perf_counter()
        result = subprocess.run(
            [bin_dir / "pytest", "-q", "-p", "no:cacheprovider"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        runs.append(round(time.perf_counter() - started, 2))
    figures["tests_s"], figures["tests_first_s"] = runs[1], runs[0]
    figures["tests_passed"] = passed_count(result.stdout)
    if result.returncode != 0:
        figures["tests_failed"] = result.stdout.strip().splitlines()[-1:] or ["no output"]
    progress.note(f"{label}: release")
    release(project, env)
    serve_and_load(project, env, settings, progress, label, figures)
    try:
        measure_libraries(project, env, bin_dir, settings, progress, label, figures)
    except (OSError, RuntimeError, subprocess.SubprocessError) as error:  # the rest stands
        figures["libraries_error"] = str(error).splitlines()[0]


def measure_libraries(project, env, bin_dir, settings, progress, label, figures):
    """The memory floor of a project served by gunicorn: a "hello" that imports the library
    modules the project's app loads (found by loading the app as its ``web`` command does),
    under the same gunicorn (``--preload``, the same workers), read after the same warm-up.
    Into ``figures["libraries_pss_mib"]``, with how many modules it imported of how many."""
    command = read_procfile(project).get("web", "")
    if command.split()[:1] != ["gunicorn"]:
        return
    progress.note(f"{label}: the memory of its libraries alone")
    found = subprocess.run(
        [bin_dir / "python", "-c", LIBRARY_MODULES, command.replace("$PORT", "0")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    modules = found.stdout.split()
    if found.returncode != 0 or not modules:
        figures["libraries_error"] = (found.stderr.strip().splitlines() or ["no modules"])[-1]
        return
    folder = Path(project).parent / f"{Path(project).name}-libraries"
    folder.mkdir(exist_ok=True)
    (folder / "libraries.py").write_text(LIBRARIES_APP.format(modules=modules))
    (folder / "Procfile").write_text(LIBRARIES_PROCFILE)
    server = WebProcess(folder, {**env, "WEB_CONCURRENCY": str(settings.workers)}).start()
    try:
        with pinned(server, settings):
            requests = endpoint_requests(server.port, CookieJar(), ("username", "password"), True)
            run_load(server.port, "GET /", requests, settings, settings.warmup, CookieJar())
            figures["libraries_pss_mib"] = server.proportional_mib()
        imported = IMPORTED.search(server.output())
        if imported:
            figures["libraries_modules"] = [int(imported.group(1)), int(imported.group(2))]
    finally:
        server.stop()


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement):
    """The normalised distribution name of a requirement (``uvicorn[standard]>=0.30``: uvicorn)."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return normalise(match.group(1)) if match else ""


def asgi_worker(project):
    """(worker class, requirement) of an ASGI project's ``web`` command: the class its gunicorn
    runs (``-k``/``--worker-class``; the contract's ``uvicorn_worker.UvicornWorker`` when none
    is named) and the project's own dependency that provides it (the one named like the class's
    top-level module), so that the ceiling runs on the same worker class and version range."""
    match = WORKER_OPTION.search(read_procfile(project).get("web", ""))
    worker = match.group(1).strip("'\"") if match else ASGI_WORKER
    module = normalise(worker.split(".")[0])
    try:
        project_data = tomllib.loads((Path(project) / "pyproject.toml").read_text())
        dependencies = project_data.get("project", {}).get("dependencies", [])
    except (OSError, tomllib.TOMLDecodeError):
        dependencies = []
    for requirement in dependencies:
        if requirement_name(requirement) == module:
            return worker, requirement
    return worker, ASGI_WORKER_REQUIREMENT if worker == ASGI_WORKER else module


def measure_hello(folder, settings, progress, label, figures, worker=None):
    """The ceiling: a WSGI "hello" on gunicorn, or with ``worker`` = (worker class,
    requirement) an ASGI "hello" on gunicorn with that worker class."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    requirements = ["gunicorn>=23"]
    if worker:
        (folder / "hello.py").write_text(HELLO_ASGI_APP)
        (folder / "Procfile").write_text(HELLO_ASGI_PROCFILE.format(worker=worker[0]))
        requirements.append(worker[1])
    else:
        (folder / "hello.py").write_text(HELLO_APP)
        (folder / "Procfile").write_text(HELLO_PROCFILE)
    progress.step(f"{label}: installing {', '.join(requirements)}")
    started = time.perf_counter()
    bin_dir = build_venv(folder, *requirements)
    figures["install_s"] = round(time.perf_counter() - started, 2)
    serve_and_load(folder, project_env(bin_dir), settings, progress, label, figures, hello=True)
    figures["libraries_pss_mib"] = figures.get("pss_mib")  # the hello's one library: gunicorn


STEPS_PER_PROJECT = 3 + len(ENDPOINTS)  # install, tests, cold start, one per endpoint
STEPS_FOR_HELLO = 2 + len(ENDPOINTS)  # install, cold start, one per endpoint


def installed_versions(project):
    """Installed distributions of a measured project's venv, as ``{name: version}``."""
    site = sorted((Path(project) / ".venv" / "lib").glob("python3*/site-packages"))
    versions = {}
    for folder in site[:1]:
        for dist in folder.glob("*.dist-info"):
            name, _, version = dist.name[: -len(".dist-info")].partition("-")
            versions[name.lower().replace("_", "-")] = version
    return versions
