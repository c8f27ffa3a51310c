import pytest
import webtest

from {{ cookiecutter.project_slug }} import main
from {{ cookiecutter.project_slug }}.views.default import health


def test_home_for_anonymous_visitors(testapp):
    page = testapp.get("/", status=200).text
    assert 'href="/auth/login"' in page
    assert 'href="/auth/register"' in page
    assert "Log out" not in page


def test_home_for_logged_in_users(testapp):
    testapp.register("alice")
    page = testapp.get("/", status=200).text
    assert "alice" in page
    assert 'action="/auth/logout"' in page
    assert 'href="/auth/login"' not in page


@pytest.mark.parametrize("path", ["/no/such/page", "/notes/", "/health/", "/notes/x/delete"])
def test_unknown_paths_are_a_404_page(testapp, path):
    response = testapp.get(path, status=404)
    assert response.content_type == "text/html"
    assert "Page not found" in response.text


def browse(app):
    """A WebTest app of its own, with its own transactions (not the test's)."""
    return webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})


def add_failing_view(config):
    def boom(request):
        raise RuntimeError("secret internals")

    config.add_route("boom", "/boom")
    config.add_view(boom, route_name="boom")


@pytest.mark.parametrize("debug", [False, True])
def test_server_error_page_shows_a_traceback_only_in_debug(app_settings, dbengine, debug):
    settings = {**app_settings, "debug": str(debug), "pyramid.includes": [add_failing_view]}
    response = browse(main({}, dbengine=dbengine, **settings)).get("/boom", status=500)
    assert "Server error" in response.text
    assert ("secret internals" in response.text) is debug
    assert ("Traceback" in response.text) is debug


@pytest.mark.parametrize("path", ["/", "/health", "/auth/login", "/notes", "/missing"])
def test_security_headers_on_every_response(testapp, path):
    response = testapp.get(path, status="*")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_health(testapp):
    response = testapp.get("/health", status=200)
    assert response.content_type == "application/json"
    assert response.json == {"status": "ok", "database": "ok"}


def test_health_view(app_request):
    assert health(app_request) == {"status": "ok", "database": "ok"}


def test_health_when_the_database_is_down(app_settings, tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'missing' / 'dir' / 'db.sqlite'}"
    app = main({}, **{**app_settings, "sqlalchemy.url": unreachable})
    response = browse(app).get("/health", status=503)
    assert response.json == {"status": "error", "database": "error"}
