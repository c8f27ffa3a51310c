"""The contract suite's deployments: each template baked, installed, released and served.

One deployment per (framework, database), built once per test run and shared by every
contract test of that pair; under pytest-xdist all of a pair's tests run on one worker (see
``pytest_xdist_make_scheduler`` in tests/conftest.py).
The frameworks are those of the root cookiecutter.json, or the one template named by
WEBCUTTER_TEMPLATE (see support/templates.py).

With WEBCUTTER_KEEP_LOGS=1, a failing test's report carries what the project's servers (the
deployment's ``web`` and any other ``web`` process the test started) wrote to their logs while
the test ran: pytest shows it as a "web log" section, `webcutter check` under the FAIL line; and
each deployment's whole log is printed when it stops.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import pg
from support.answers import HOSTILE
from support.smtp import MailServer
from support.templates import bake, frameworks

from webcutter.runtime import WebProcess, build_venv, project_env, release

KEEP_LOGS = bool(os.environ.get("WEBCUTTER_KEEP_LOGS"))
LOG_LINES = 80  # of each server's log, the last ones: where the failure is
LOGS_KEY = pytest.StashKey()
# WEBCUTTER_DATABASES=sqlite (or postgresql) narrows the run, as `webcutter check --database` does.
DATABASES = tuple(os.environ.get("WEBCUTTER_DATABASES", "sqlite,postgresql").split(","))
TARGETS = [(framework, database) for framework in frameworks() for database in DATABASES]


def pytest_generate_tests(metafunc):
    if "deployment" in metafunc.fixturenames:
        metafunc.parametrize(
            "deployment",
            TARGETS,
            indirect=True,
            scope="session",
            ids=[f"{fw}-{db}" for fw, db in TARGETS],
        )


def web_logs(project):
    """{log file: its size} of every ``web`` process log of the project (runtime.WebProcess)."""
    return {path: path.stat().st_size for path in Path(project).glob("web-*.log")}


def written_since(project, sizes):
    """What each server log of ``project`` gained since ``sizes`` (its last lines), as text."""
    parts = []
    for path, size in sorted(web_logs(project).items()):
        with open(path, "rb") as handle:
            handle.seek(sizes.get(path, 0) if size >= sizes.get(path, 0) else 0)
            lines = handle.read().decode(errors="replace").splitlines()
        if lines:
            cut = [f"... ({len(lines) - LOG_LINES} lines before)"] if len(lines) > LOG_LINES else []
            parts += [f"== {path.name}", *cut, *lines[-LOG_LINES:]]
    return "\n".join(parts)


@pytest.fixture(autouse=True)
def _server_logs_of_the_test(request):
    """With WEBCUTTER_KEEP_LOGS: where the deployment's server logs stood when the test began."""
    if KEEP_LOGS and "deployment" in request.fixturenames:
        project = request.getfixturevalue("deployment").project
        request.node.stash[LOGS_KEY] = (project, web_logs(project))
    yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test's report gets the server logs written during the test (KEEP_LOGS)."""
    report = yield
    if report.failed and LOGS_KEY in item.stash:
        text = written_since(*item.stash[LOGS_KEY])
        if text:
            report.sections.append(("web log", text))
            report.user_properties = [*report.user_properties, ("web_log", text)]
    return report


@pytest.fixture(scope="session")
def mail_server():
    """The real SMTP server every deployment sends its mail to (one per test process)."""
    server = MailServer().start()
    yield server
    server.stop()


@dataclass
class Deployment:
    framework: str
    database: str
    project: Path
    bin_dir: Path
    env: dict
    web: WebProcess
    admin_url: str | None
    mail: MailServer

    @property
    def url(self):
        return self.web.url

    def web_process(self, **env):
        """Another ``web`` process of this project (``with deployment.web_process(...) as w``)."""
        return WebProcess(self.project, {**self.env, **{k: str(v) for k, v in env.items()}})

    def fresh_database_env(self):
        """Environment for the project's own tests: a database of their own."""
        if self.database == "postgresql":
            return {**self.env, "DATABASE_URL": pg.create_database(self.admin_url, "own_tests")}
        return {key: value for key, value in self.env.items() if key != "DATABASE_URL"}


@pytest.fixture(scope="session")
def deployment(request, tmp_path_factory, mail_server):
    framework, database = request.param
    admin_url = None
    # Every visitor of the suite sends its own address in X-Forwarded-For (support/browser.py),
    # believed because the peer, the suite on 127.0.0.1, is a trusted proxy.
    overrides = {
        "WEB_CONCURRENCY": 2,
        "TRUSTED_PROXIES": "127.0.0.1",
        "EMAIL_URL": mail_server.url,
        "EMAIL_FROM": "noreply@contract.example",
    }
    if database == "postgresql":
        admin_url = request.getfixturevalue("postgres_admin_url")
        overrides["DATABASE_URL"] = pg.create_database(admin_url, framework)
    # The answers a person may type that are hardest on every file and page they reach.
    typed = {key: HOSTILE[key] for key in ("project_name", "description", "author_name")}
    project = bake(
        framework,
        tmp_path_factory.mktemp(f"{framework}-{database}"),
        database=database,
        project_slug="my_site",
        **typed,
    )
    bin_dir = build_venv(project, "-e", ".[dev]")
    env = project_env(bin_dir, **overrides)
    release(project, env)
    web = WebProcess(project, env).start()
    try:
        web.wait_until_serving()
        yield Deployment(framework, database, project, bin_dir, env, web, admin_url, mail_server)
    finally:
        web.stop()
        if KEEP_LOGS:
            print(web.output())
