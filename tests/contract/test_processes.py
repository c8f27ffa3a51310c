"""Contract: more than one server process, start-up refusal, database outage."""

import time

import pytest
import requests
from actions import add_note, logged_in_as, note_ids, registered
from support.browser import Browser

from webcutter.runtime import free_port

clause = pytest.mark.clause


@clause("§3 Security", "a second web process serves the same logged-in user")
def test_a_second_web_process_serves_the_same_logged_in_user(deployment):
    browser, account = registered(deployment.url)
    add_note(browser, "written through the first process")
    with deployment.web_process() as other:
        second = Browser(other.url)
        second.session.cookies = browser.session.cookies  # cookies are per host, not per port
        assert logged_in_as(second, account.username), (
            "a second web process does not know the session: keep sessions where every process "
            "sees them (a signed cookie or the database)"
        )
        page = second.get("/notes")
        assert "written through the first process" in page.text, (
            "the second process does not show the note written through the first"
        )
        add_note(second, "written through the second process")
    count = len(note_ids(browser.get("/notes")))
    assert count == 2, f"{count} notes after one through each process, expected 2"


def assert_refuses_to_start(deployment, name, **env):
    """A ``web`` process with ``env`` never serves, exits non-zero and names ``name``."""
    setting = " ".join(f"{key}={value!r}" for key, value in env.items())
    web = deployment.web_process(**env).start()
    try:
        deadline = time.monotonic() + 90
        while web.process.poll() is None and time.monotonic() < deadline:
            try:
                response = requests.get(f"{web.url}/health", timeout=2)
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.3)
                continue  # nothing listens, or a master process whose workers can't boot
            pytest.fail(f"{setting}: served {response.status_code} instead of refusing to start")
        assert web.process.poll() not in (None, 0), (
            f"{setting}: still running (or exited 0): the master process must exit when the app "
            "cannot start"
        )
        assert name in web.output(), (
            f"{setting}: the refusal does not name {name}; web said: {web.output()[-500:]!r}"
        )
    finally:
        web.stop()


@clause("§3 Security", "web refuses to start without SECRET_KEY and says so")
@pytest.mark.parametrize("secret", ["", "   "])
def test_refuses_to_start_without_a_secret_key(deployment, secret):
    assert_refuses_to_start(deployment, "SECRET_KEY", SECRET_KEY=secret, DEBUG="false")


@clause("§3 Security", "with DEBUG=true the app starts without SECRET_KEY")
def test_starts_without_a_secret_key_when_debug_is_on(deployment):
    with deployment.web_process(SECRET_KEY="", DEBUG="true") as web:
        status = requests.get(f"{web.url}/health", timeout=30).status_code
        assert status == 200, f"DEBUG=true without SECRET_KEY: /health answered {status}"


@clause("§4 Configuration", "a value the app cannot use stops it, naming the variable")
@pytest.mark.parametrize(
    ("variable", "value"),
    [("DEBUG", "maybe"), ("LOGIN_FAILURE_WINDOW", "soon"), ("SECURE_COOKIES", "perhaps")],
)
def test_an_unusable_value_stops_the_app_naming_it(deployment, variable, value):
    assert_refuses_to_start(deployment, variable, **{variable: value})


@clause("§1 Routes", "GET /health is 503 when the database is unreachable")
def test_health_is_503_when_the_database_is_unreachable(deployment):
    unreachable = f"postgresql://nobody:nothing@127.0.0.1:{free_port()}/nowhere"
    with deployment.web_process(DATABASE_URL=unreachable) as web:
        response = requests.get(f"{web.url}/health", timeout=30)
        assert response.status_code == 503, (
            f"/health with an unreachable database answered {response.status_code}"
        )
        content_type = response.headers.get("Content-Type", "")
        assert content_type.startswith("application/json"), (
            f"/health's Content-Type is {content_type!r}, expected application/json"
        )
        body = response.json()
        assert body.get("database") == "error" and body.get("status") == "error", (
            f"/health said {body}, expected status and database error"
        )
        assert "Traceback" not in response.text, "/health shows a traceback"
