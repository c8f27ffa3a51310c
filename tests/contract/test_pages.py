"""Contract: public pages, errors, health and response headers."""

import uuid

import pytest
from actions import registered
from support.browser import Browser

clause = pytest.mark.clause


@clause("§1 Routes", "GET / (anonymous) links to /auth/login and /auth/register, no logout")
def test_home_for_anonymous_visitors_links_to_login_and_register(deployment):
    page = Browser(deployment.url).get("/")
    assert page.status == 200, f"GET / answered {page.status}"
    missing = {"/auth/login", "/auth/register"} - page.link_paths()
    assert not missing, f"the home page has no link to {', '.join(sorted(missing))}"
    assert not page.has_form("/auth/logout"), "an anonymous visitor sees a logout form"


@clause("§1 Routes", "GET / (logged in) shows the username and a POST logout form")
def test_home_for_a_logged_in_user_shows_the_name_and_a_logout_button(deployment):
    browser, account = registered(deployment.url)
    page = browser.get("/")
    assert page.status == 200, f"GET / (logged in) answered {page.status}"
    assert account.username in page.text, f"the home page does not show {account.username}"
    method = page.form("/auth/logout").method
    assert method == "post", f"the logout form's method is {method!r}, not post"


@clause("§1 Routes", "every path answers as written, never redirecting to a trailing slash")
def test_paths_are_exact_without_a_trailing_slash(deployment):
    anonymous, (browser, _) = Browser(deployment.url), registered(deployment.url)
    pages = [
        (anonymous, path)
        for path in ("/", "/auth/login", "/auth/register", "/auth/password-reset", "/health")
    ]
    pages += [(browser, path) for path in ("/notes", "/auth/password")]
    for visitor, path in pages:
        page = visitor.get(path, follow=False)
        where = page.response.headers.get("Location", "")
        assert page.status == 200, f"GET {path} answered {page.status} {where}".rstrip()


def visible_kinds(form):
    return [field.type for field in form.fields if field.type != "hidden"]


@clause("§1 Routes", "the register and login forms: POST, their action, their fields by kind")
def test_the_register_and_login_forms_have_their_fields(deployment):
    for path, kinds in (
        ("/auth/register", ["text", "email", "password", "password"]),
        ("/auth/login", ["text", "password"]),
    ):
        form = Browser(deployment.url).get(path).form(path)
        assert form.method == "post", f"{path}: the form's method is {form.method!r}, not post"
        assert visible_kinds(form) == kinds, (
            f"{path}: the form's visible fields are {visible_kinds(form)}, expected {kinds}"
        )


@clause("§1 Routes", "an unknown path is a 404 HTML page without a traceback")
def test_unknown_path_is_a_404_page_without_traceback(deployment):
    page = Browser(deployment.url).get(f"/no-such-page-{uuid.uuid4().hex}")
    assert page.status == 404, f"an unknown path answered {page.status}"
    content_type = page.response.headers.get("Content-Type", "")
    assert content_type.startswith("text/html"), (
        f"the 404 page's Content-Type is {content_type!r}, expected text/html"
    )
    assert "Traceback" not in page.text, "the 404 page shows a traceback"


@clause("§1 Routes", "GET /health is 200 JSON {status: ok, database: ok}")
def test_health_reports_the_database(deployment):
    response = Browser(deployment.url).get("/health").response
    assert response.status_code == 200, f"GET /health answered {response.status_code}"
    content_type = response.headers.get("Content-Type", "")
    assert content_type.startswith("application/json"), (
        f"/health's Content-Type is {content_type!r}, expected application/json"
    )
    body = response.json()
    assert body.get("status") == "ok" and body.get("database") == "ok", (
        f"/health said {body}, expected status and database ok"
    )
