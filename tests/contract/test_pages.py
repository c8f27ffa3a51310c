"""Contract: public pages, errors, health and response headers."""

import uuid

from actions import registered
from support.browser import Browser


def test_home_for_anonymous_visitors_links_to_login_and_register(deployment):
    page = Browser(deployment.url).get("/")
    assert page.status == 200
    assert {"/auth/login", "/auth/register"} <= page.link_paths()
    assert not page.has_form("/auth/logout")


def test_home_for_a_logged_in_user_shows_the_name_and_a_logout_button(deployment):
    browser, account = registered(deployment.url)
    page = browser.get("/")
    assert page.status == 200
    assert account.username in page.text
    assert page.form("/auth/logout").method == "post"


def test_unknown_path_is_a_404_page_without_traceback(deployment):
    page = Browser(deployment.url).get(f"/no-such-page-{uuid.uuid4().hex}")
    assert page.status == 404
    assert page.response.headers["Content-Type"].startswith("text/html")
    assert "Traceback" not in page.text


def test_health_reports_the_database(deployment):
    response = Browser(deployment.url).get("/health").response
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"


def test_security_headers_on_every_kind_of_response(deployment):
    browser, _ = registered(deployment.url)
    for path in ("/", "/auth/login", "/notes", "/health", f"/missing-{uuid.uuid4().hex}"):
        headers = browser.get(path).response.headers
        assert headers.get("X-Content-Type-Options") == "nosniff", path
        frame_options = headers.get("X-Frame-Options", "").upper()
        csp = headers.get("Content-Security-Policy", "")
        assert frame_options == "DENY" or "frame-ancestors 'none'" in csp, path
