import pydal.base
import pytest
from conftest import SESSION_COOKIE


def test_home_page_for_anonymous_visitors(app):
    response = app.get("/")
    assert response.status_int == 200
    assert 'href="/auth/login"' in response.text
    assert 'href="/auth/register"' in response.text
    assert "Log out" not in response.text
    assert SESSION_COOKIE not in app.cookies  # nothing to keep: no session row, no cookie


def test_home_page_for_logged_in_users(app, user):
    user.register("alice")
    page = app.get("/").text
    assert "alice" in page
    assert 'action="/auth/logout"' in page
    assert 'href="/auth/password"' in page
    assert 'href="/auth/login"' not in page


@pytest.mark.parametrize(
    "path",
    [
        "/no/such/page",
        "/notes/",
        "/welcome",
        "/admin/default/index",
        "/notes/abc/delete",
        "/{{ cookiecutter.project_slug }}/default/server_error",
        "/.env",
        "/static/../.env",
        "/static/%2e%2e/.env",
        "/" + "a" * 5000,
    ],
)
def test_unknown_paths_route_to_a_404_page(app, path):
    response = app.get(path, expect_errors=True)
    assert response.status_int in (400, 404)
    assert "SECRET_KEY" not in response.text


def test_a_404_page_is_html(app):
    response = app.get("/no/such/page", expect_errors=True)
    assert response.status_int == 404
    assert response.content_type == "text/html"
    assert "Page not found" in response.text


def test_static_files_are_served(app):
    response = app.get("/static/style.css")
    assert response.status_int == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_long_query_string_is_harmless(app):
    assert app.get("/?" + "q=" + "x" * 8000).status_int == 200


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_on_a_page_are_405(app, method):
    assert app.request("/", method=method, expect_errors=True).status_int == 405


def test_head_of_the_home_page(app):
    response = app.head("/")
    assert response.status_int == 200


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"title=\xff\xfe&body=x", "application/x-www-form-urlencoded"),
        (b'{"title": "json"}', "application/json"),
        (b"title=a&title=b&body=x", "application/x-www-form-urlencoded"),
    ],
)
def test_hostile_bodies_never_give_a_server_error(app, user, body, content_type):
    user.register("alice")
    response = app.post("/notes", body, content_type=content_type, expect_errors=True)
    assert response.status_int < 500


def test_a_body_over_one_mebibyte_is_413(app):
    response = app.post("/auth/login", b"x" * (1024 * 1024 + 1), expect_errors=True)
    assert response.status_int == 413


def test_a_host_outside_allowed_hosts_is_400(app):
    response = app.get("/", headers={"Host": "evil.example"}, expect_errors=True)
    assert response.status_int == 400


def test_server_error_page_has_no_traceback(app, monkeypatch):
    import {{ cookiecutter.project_slug }}.redirects

    def broken(target):
        raise RuntimeError("secret internals")

    monkeypatch.setattr({{ cookiecutter.project_slug }}.redirects, "safe_next", broken)
    response = app.get("/auth/login", expect_errors=True)
    assert response.status_int == 500
    assert "Server error" in response.text
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert "/admin/" not in response.text


def test_server_error_page_shows_the_traceback_with_debug(app, monkeypatch, reload_settings):
    import {{ cookiecutter.project_slug }}.redirects

    def broken(target):
        raise RuntimeError("secret internals")

    reload_settings(DEBUG="true")
    monkeypatch.setattr({{ cookiecutter.project_slug }}.redirects, "safe_next", broken)
    response = app.get("/auth/login", expect_errors=True)
    assert response.status_int == 500
    assert "Traceback" in response.text
    assert "secret internals" in response.text


@pytest.mark.parametrize("path", ["/", "/notes", "/health", "/missing", "/static/style.css"])
def test_security_headers(app, path):
    response = app.get(path, expect_errors=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_pages_hold_no_inline_script(app, user):
    for path in ("/", "/auth/login", "/auth/register", "/auth/password-reset"):
        assert "<script" not in app.get(path).text
    user.register("alice")
    for path in ("/notes", "/auth/password"):
        assert "<script" not in app.get(path).text


def test_health(app):
    response = app.get("/health")
    assert response.status_int == 200
    assert response.content_type == "application/json"
    assert response.json == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://nobody:nothing@127.0.0.1:9/nowhere",  # refused at connection time
        "sqlite:////nonexistent/folder/db.sqlite3",  # refused at the first query
    ],
)
@pytest.mark.parametrize("debug", ["false", "true"])
def test_health_and_pages_when_the_database_is_down(
    app, user, reload_settings, monkeypatch, url, debug
):
    # pydal pauses a second after a failed connection, even after its last attempt: not here.
    monkeypatch.setattr(pydal.base.time, "sleep", lambda seconds: None)
    user.register("alice")  # a logged-in session cookie, which the site will look up
    reload_settings(DATABASE_URL=url, DEBUG=debug)
    response = app.get("/health", expect_errors=True)
    assert response.status_int == 503
    assert response.json == {"status": "error", "database": "error"}
    page = app.get("/notes", expect_errors=True)
    assert page.status_int == 503
    assert page.content_type == "text/html"
    assert ("Traceback" in page.text) is (debug == "true")
