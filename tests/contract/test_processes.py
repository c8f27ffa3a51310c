"""Contract: more than one server process, start-up refusal, database outage."""

import time

import pytest
import requests
from actions import add_note, logged_in_as, note_ids, registered
from support.browser import Browser

from webcutter.runtime import free_port


def test_a_second_web_process_serves_the_same_logged_in_user(deployment):
    browser, account = registered(deployment.url)
    add_note(browser, "written through the first process")
    with deployment.web_process() as other:
        second = Browser(other.url)
        second.session.cookies = browser.session.cookies  # cookies are per host, not per port
        assert logged_in_as(second, account.username)
        page = second.get("/notes")
        assert "written through the first process" in page.text
        add_note(second, "written through the second process")
    assert len(note_ids(browser.get("/notes"))) == 2


@pytest.mark.parametrize("secret", ["", "   "])
def test_refuses_to_start_without_a_secret_key(deployment, secret):
    web = deployment.web_process(SECRET_KEY=secret, DEBUG="false").start()
    try:
        deadline = time.monotonic() + 45
        while web.process.poll() is None and time.monotonic() < deadline:
            try:
                response = requests.get(f"{web.url}/health", timeout=2)
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.3)
                continue  # nothing listens, or a master process whose workers can't boot
            pytest.fail(f"served {response.status_code} without SECRET_KEY")
        assert web.process.poll() not in (None, 0), "still running (or exited 0) without a key"
        assert "SECRET_KEY" in web.output()
    finally:
        web.stop()


def test_health_is_503_when_the_database_is_unreachable(deployment):
    unreachable = f"postgresql://nobody:nothing@127.0.0.1:{free_port()}/nowhere"
    with deployment.web_process(DATABASE_URL=unreachable) as web:
        response = requests.get(f"{web.url}/health", timeout=30)
        assert response.status_code == 503
        assert response.json()["database"] == "error"
        assert "Traceback" not in response.text
