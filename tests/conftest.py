"""webcutter's test suite: shared set-up.

A PostgreSQL server is started for the whole run (unless WEBCUTTER_POSTGRES_URL names one),
from the machine's PostgreSQL binaries; tests that need it get its admin URL from the
``postgres_admin_url`` fixture. With CI=true a missing PostgreSQL fails the run instead of
skipping those tests.
"""

import os

import pytest
from support import pg

POSTGRES_ENV = "WEBCUTTER_POSTGRES_URL"


def _in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config):
    config.addinivalue_line("markers", "postgres: needs the test PostgreSQL server")
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


@pytest.fixture(scope="session")
def postgres_admin_url():
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(os.environ.get("WEBCUTTER_POSTGRES_ERROR", "no PostgreSQL server"))
    return url
