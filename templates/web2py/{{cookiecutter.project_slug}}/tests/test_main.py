import pytest
from conftest import SESSION_COOKIE


def test_home_for_anonymous_visitors(app):
    response = app.get("/")
    assert response.status_int == 200
    assert 'href="/auth/login"' in response.text
    assert 'href="/auth/register"' in response.text
    assert "Log out" not in response.text
    assert SESSION_COOKIE not in app.cookies  # nothing to keep: no session row, no cookie


def test_home_for_logged_in_users(app, user):
    user.register("alice")
    page = app.get("/").text
    assert "alice" in page
    assert 'action="/auth/logout"' in page
    assert 'href="/auth/login"' not in page


@pytest.mark.parametrize(
    "path", ["/no/such/page", "/notes/", "/welcome", "/admin/default/index", "/notes/abc/delete"]
)
def test_unknown_paths_are_a_404_page(app, path):
    response = app.get(path, expect_errors=True)
    assert response.status_int == 404
    assert response.content_type == "text/html"
    assert "Page not found" in response.text


def test_static_files_are_served(app):
    response = app.get("/static/style.css")
    assert response.status_int == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"


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


@pytest.mark.parametrize("path", ["/", "/notes", "/health", "/missing", "/static/style.css"])
def test_security_headers(app, path):
    response = app.get(path, expect_errors=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_health(app):
    response = app.get("/health")
    assert response.status_int == 200
    assert response.content_type == "application/json"
    assert response.json == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://nobody:nothing@127.0.0.1:9/nowhere",  # refused at connection time
        "sqlite:///nonexistent/folder/db.sqlite3",  # refused at the first query
    ],
)
def test_health_when_the_database_is_down(app, monkeypatch, reload_settings, url):
    app.get("/auth/login")  # a session cookie, which the site will look up
    monkeypatch.setenv("DATABASE_URL", url)
    reload_settings.cache_clear()
    response = app.get("/health", expect_errors=True)
    assert response.status_int == 503
    assert response.json == {"status": "error", "database": "error"}
    page = app.get("/auth/login", expect_errors=True)  # a page that needs a session
    assert page.status_int in (500, 503)
    assert "Traceback" not in page.text
