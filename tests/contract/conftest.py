"""The contract suite's deployments: each template baked, installed, released and served.

One deployment per (framework, database), built once per test run and shared by every
contract test of that pair; under pytest-xdist all of a pair's tests run on one worker.
The frameworks are those of the root cookiecutter.json, or the one template named by
WEBCUTTER_TEMPLATE (see support/templates.py).
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import pg
from support.templates import bake, frameworks

from webcutter.runtime import WebProcess, build_venv, project_env, release

# WEBCUTTER_DATABASES=sqlite (or postgresql) narrows the run, as `webcutter check --database` does.
DATABASES = tuple(os.environ.get("WEBCUTTER_DATABASES", "sqlite,postgresql").split(","))
TARGETS = [(framework, database) for framework in frameworks() for database in DATABASES]


def pytest_generate_tests(metafunc):
    if "deployment" in metafunc.fixturenames:
        metafunc.parametrize("deployment", TARGETS, indirect=True, scope="session",
                             ids=[f"{fw}-{db}" for fw, db in TARGETS])


# tryfirst: xdist's own hook reads these groups, and with `pytest tests/contract` this conftest
# is registered before xdist's worker plugin (so it would otherwise run after it).
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "deployment" in callspec.params:
            framework, database = callspec.params["deployment"]
            item.add_marker(pytest.mark.xdist_group(f"{framework}-{database}"))


@dataclass
class Deployment:
    framework: str
    database: str
    project: Path
    bin_dir: Path
    env: dict
    web: WebProcess
    admin_url: str | None

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
def deployment(request, tmp_path_factory):
    framework, database = request.param
    admin_url = None
    overrides = {"WEB_CONCURRENCY": 2}
    if database == "postgresql":
        admin_url = request.getfixturevalue("postgres_admin_url")
        overrides["DATABASE_URL"] = pg.create_database(admin_url, framework)
    project = bake(framework, tmp_path_factory.mktemp(f"{framework}-{database}"),
                   database=database)
    bin_dir = build_venv(project, "-e", ".[dev]")
    env = project_env(bin_dir, **overrides)
    release(project, env)
    web = WebProcess(project, env).start()
    try:
        web.wait_until_serving()
        yield Deployment(framework, database, project, bin_dir, env, web, admin_url)
    finally:
        web.stop()
        if os.environ.get("WEBCUTTER_KEEP_LOGS"):
            print(web.output())
