"""Contract §1 "Errors" and §2: a real server error, with and without DEBUG; postgres:// URLs."""

import pytest
from actions import add_note, logged_in_as, registered

from webcutter.runtime import free_port, release

clause = pytest.mark.clause
# What a response must not show unless DEBUG=true: a traceback, an exception, a driver's words.
LEAKS = (
    "Traceback",
    'File "',
    "OperationalError",
    "psycopg",
    "sqlalchemy",
    "SQLAlchemy",
    "pydal",
    "Connection refused",
    "connection refused",
    "could not connect",
)


def failing_page(deployment, debug):
    """A logged-in page of an instance whose database is unreachable: the app fails for real."""
    browser, _ = registered(deployment.url)
    unreachable = f"postgresql://nobody:nothing@127.0.0.1:{free_port()}/nowhere"
    with deployment.web_process(DATABASE_URL=unreachable, DEBUG=debug) as web:
        return browser.copy(web.url).get("/notes", follow=False)


@clause("§1 Errors", "a server error is a 500/503 HTML page with no traceback unless DEBUG")
def test_a_server_error_shows_no_traceback_without_debug(deployment):
    page = failing_page(deployment, "false")
    assert page.status in {500, 503}, f"a failing page answered {page.status}"
    content_type = page.response.headers.get("Content-Type", "")
    assert content_type.startswith("text/html"), (
        f"the error page's Content-Type is {content_type!r}, expected text/html"
    )
    for leak in LEAKS:
        assert leak not in page.text, f"with DEBUG=false the error page shows {leak!r}"
    nosniff = page.response.headers.get("X-Content-Type-Options")
    assert nosniff == "nosniff", f"the error page's X-Content-Type-Options is {nosniff!r}"


@clause("§1 Errors", "with DEBUG=true a server error's page shows the traceback")
def test_a_server_error_shows_the_traceback_with_debug(deployment):
    page = failing_page(deployment, "true")
    assert page.status >= 500, f"a failing page answered {page.status}"
    assert "Traceback" in page.text, "DEBUG=true: the error page shows no traceback"


@clause("§2 Data", "a postgres:// DATABASE_URL works as well as postgresql://")
def test_a_postgres_url_works(deployment):
    if deployment.database != "postgresql":
        pytest.skip("a postgres:// URL names a PostgreSQL database: checked on PostgreSQL")
    url = deployment.env["DATABASE_URL"].replace("postgresql://", "postgres://", 1)
    release(deployment.project, {**deployment.env, "DATABASE_URL": url})
    browser, account = registered(deployment.url)
    with deployment.web_process(DATABASE_URL=url) as web:
        other = browser.copy(web.url)
        assert logged_in_as(other, account.username), (
            "with a postgres:// DATABASE_URL the user registered through postgresql:// is not "
            "logged in (another database?)"
        )
        status = add_note(other, "through postgres://").status
        assert status in {302, 303}, f"adding a note with a postgres:// URL answered {status}"
