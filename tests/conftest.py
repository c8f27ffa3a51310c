"""webcutter's test suite: shared set-up.

A PostgreSQL server is started for the whole run (unless WEBCUTTER_POSTGRES_URL names one),
from the machine's PostgreSQL binaries; tests that need it get its admin URL from the
``postgres_admin_url`` fixture. With CI=true a missing PostgreSQL fails the run instead of
skipping those tests.

The templates' Jinja filters (``local_extensions``, one module linked into every template) are
importable in every test: pytest-cookies renders a template's questions before it calls
cookiecutter, outside the ``sys.path`` change cookiecutter makes for a template's extensions.

Under pytest-xdist (``-n N``) each contract deployment's tests share one worker, and so do the
modules of TOGETHER; the rest is spread (``pytest_xdist_make_scheduler`` below). Without xdist
(``-p no:xdist``, or ``-n 0``) everything runs in one process.
"""

import os
import re

import pytest
from support import pg
from support.templates import frameworks, template_dir

POSTGRES_ENV = "WEBCUTTER_POSTGRES_URL"


def _in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config):
    config.addinivalue_line("markers", "postgres: needs the test PostgreSQL server")
    config.addinivalue_line(
        "markers", "clause(section, text): the rule a test checks, as `webcutter check` shows it"
    )
    is_xdist_worker = hasattr(config, "workerinput")
    if is_xdist_worker or os.environ.get(POSTGRES_ENV):
        return
    try:
        config._webcutter_pg = pg.Cluster().start()
    except pg.PostgresUnavailable as error:
        if _in_ci():
            raise pytest.UsageError(f"CI needs PostgreSQL: {error}") from error
        os.environ["WEBCUTTER_POSTGRES_ERROR"] = str(error)
        return
    os.environ[POSTGRES_ENV] = config._webcutter_pg.admin_url  # xdist workers inherit it


def pytest_unconfigure(config):
    cluster = getattr(config, "_webcutter_pg", None)
    if cluster is not None:
        cluster.stop()


# Modules whose tests share a module-scoped fixture (one bake of all five for the module): they
# run in one process too.
TOGETHER = ("tests/test_compare_report.py", "tests/test_concepts.py")


def deployment_of(nodeid):
    """The deployment (``flask-sqlite``...) a contract test runs against, or None."""
    if not nodeid.startswith("tests/contract/"):
        return None
    names = "|".join(re.escape(name) for name in frameworks())
    match = re.search(rf"\[((?:{names})-(?:sqlite|postgresql))[\]-]", nodeid)
    return match.group(1) if match else None


@pytest.hookimpl(optionalhook=True)  # defined by pytest-xdist, when it is there
def pytest_xdist_make_scheduler(config, log):
    """Under pytest-xdist, every test of one deployment runs in the process that built it (one
    bake, install and server per deployment); every other test goes wherever a worker is free.

    (xdist's own ``loadgroup`` cannot do it under pytest 9: it renames ``item._nodeid``, which
    pytest 9 no longer reads, so the groups silently vanish and each worker builds every
    deployment.)"""
    from xdist.scheduler import LoadScopeScheduling

    class DeploymentScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            module = nodeid.split("::", 1)[0]
            return deployment_of(nodeid) or (module if module in TOGETHER else nodeid)

    return DeploymentScheduling(config, log)


@pytest.fixture(scope="session")
def postgres_admin_url():
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(os.environ.get("WEBCUTTER_POSTGRES_ERROR", "no PostgreSQL server"))
    return url


@pytest.fixture(autouse=True)
def template_extensions_importable(monkeypatch):
    monkeypatch.syspath_prepend(str(template_dir(frameworks()[0])))
