import pytest
from pyramid.httpexceptions import HTTPSeeOther
from sqlalchemy import func, select

from {{ cookiecutter.project_slug }}.hardening import MAX_BODY_BYTES
from {{ cookiecutter.project_slug }}.models import Note, ThrottleEvent, User
from {{ cookiecutter.project_slug }}.views.default import health


def test_home_page_for_anonymous_visitors(testapp):
    page = testapp.get("/", status=200).text
    assert 'href="/auth/login"' in page
    assert 'href="/auth/register"' in page
    assert "Log out" not in page


def test_home_page_for_logged_in_users(testapp):
    testapp.register("alice")
    page = testapp.get("/", status=200).text
    assert "alice" in page
    assert 'action="/auth/logout"' in page
    assert 'href="/auth/password"' in page
    assert 'href="/auth/login"' not in page


def test_the_layout_links_the_stylesheet_through_static_url(testapp):
    page = testapp.get("/")
    (link,) = page.html.select('link[rel="stylesheet"]')
    assert link["href"] == "http://example.com/static/style.css"
    assert testapp.get("/static/style.css", status=200).content_type == "text/css"


@pytest.mark.parametrize("path", ["/no/such/page", "/notes/", "/health/", "/notes/x/delete"])
def test_unknown_routes_are_a_404_page(testapp, path):
    response = testapp.get(path, status=404)
    assert response.content_type == "text/html"
    assert "Page not found" in response.text


@pytest.mark.parametrize(
    "path", ["/.env", "/static/../.env", "/static/%2e%2e/.env", "/static/..%2f.env", "/%2e%2e/.env"]
)
def test_only_the_static_folder_is_served_as_files(testapp, path):
    response = testapp.get(path, status="*")
    assert response.status_code in (400, 404)
    assert "SECRET_KEY" not in response.text


def test_head_of_a_page_is_its_get_without_a_body(testapp):
    response = testapp.head("/", status=200)
    assert response.body == b""


@pytest.mark.parametrize(
    ("method", "path"), [("PUT", "/"), ("DELETE", "/notes"), ("GET", "/auth/logout")]
)
def test_another_method_on_a_route_is_a_405(testapp, method, path):
    testapp._gen_request(method, path, status=405)


def test_a_path_or_query_of_several_kb_is_not_an_error(testapp):
    assert testapp.get("/" + "a" * 8000, status=404)
    assert testapp.get("/?q=" + "b" * 8000, status=200)
    assert testapp.get("/auth/login?next=/" + "c" * 8000, status=200)


def test_a_query_string_that_is_not_utf8_is_a_400_page(testapp):
    response = testapp.get("/auth/login?next=%ff", status=400)
    assert "not valid UTF-8" in response.text


@pytest.mark.parametrize("debug", [False, True])
def test_server_error_page_shows_a_traceback_only_in_debug(app_with, debug):
    def add_failing_view(config):
        def boom(request):
            raise RuntimeError("secret internals")

        config.add_route("boom", "/boom")
        config.add_view(boom, route_name="boom")

    browser = app_with(debug=str(debug), **{"pyramid.includes": [add_failing_view]})
    response = browser.get("/boom", status=500)
    assert response.content_type == "text/html"
    assert "Server error" in response.text
    assert ("secret internals" in response.text) is debug
    assert ("Traceback" in response.text) is debug


def test_an_http_exception_raised_by_a_view_keeps_pyramids_own_view(app_with):
    """views/errors.py has no copy of Pyramid's exception view for HTTPException: a raised
    redirect is still a redirect, not the Exception view's 500."""

    def add_redirecting_view(config):
        def elsewhere(request):
            raise HTTPSeeOther(location="/notes")

        config.add_route("elsewhere", "/elsewhere")
        config.add_view(elsewhere, route_name="elsewhere")

    browser = app_with(**{"pyramid.includes": [add_redirecting_view]})
    assert browser.get("/elsewhere", status=303).headers["Location"].endswith("/notes")


@pytest.mark.parametrize("debug", [False, True])
def test_an_unreachable_database_is_a_503_page_for_a_logged_in_session(
    app_with, tmp_path, testapp, debug
):
    testapp.register("alice")
    unreachable = f"sqlite:///{tmp_path / 'missing' / 'dir' / 'db.sqlite'}"
    browser = app_with(dbengine=None, debug=str(debug), **{"sqlalchemy.url": unreachable})
    browser.set_cookie("session", testapp.cookies["session"])
    response = browser.get("/notes", status=503)
    assert response.content_type == "text/html"
    assert ("Traceback" in response.text) is debug
    assert ("OperationalError" in response.text) is debug
    assert browser.get("/health", status=503).json == {"status": "error", "database": "error"}


@pytest.mark.parametrize("path", ["/", "/health", "/auth/login", "/notes", "/missing"])
def test_security_headers_on_every_response(testapp, path):
    response = testapp.get(path, status="*")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "form-action 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy


def test_the_debug_toolbar_of_development_ini_works_under_the_policy(app_with):
    """Its own pages (inline scripts) go without the CSP; the app's pages keep it."""
    includes = "pyramid_mailer.testing\npyramid_debugtoolbar"
    browser = app_with(**{"pyramid.includes": includes, "debugtoolbar.hosts": "127.0.0.1"})
    browser.extra_environ["REMOTE_ADDR"] = "127.0.0.1"
    page = browser.get("/", status=200)
    assert "_debug_toolbar" in page.text
    assert "Content-Security-Policy" in page.headers
    toolbar = browser.get("/_debug_toolbar/static/toolbar/toolbar_button.css", status=200)
    assert "Content-Security-Policy" not in toolbar.headers
    assert toolbar.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("host", ["evil.example", "example.com.evil.example", "", "a/b"])
def test_a_host_outside_allowed_hosts_is_a_400(visitor, host):
    response = visitor(HTTP_HOST=host).get("/", status=400)
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_allowed_hosts_are_served(visitor):
    for host in ["example.com", "EXAMPLE.com:8080", "localhost"]:
        visitor(HTTP_HOST=host).get("/", status=200)


def test_a_body_over_one_mib_is_a_413_and_changes_nothing(testapp, dbsession):
    testapp.register("alice")
    token = testapp.csrf_token("/notes")
    body = {"csrf_token": token, "title": "big", "body": "x" * MAX_BODY_BYTES}
    testapp.post("/notes", body, status=413)
    assert dbsession.scalar(select(func.count()).select_from(Note)) == 0
    small = {"csrf_token": token, "title": "small", "body": "x" * 10_000}
    testapp.post("/notes", small, status=303)


def test_a_chunked_body_is_refused(testapp):
    testapp.post("/auth/login", b"username=a", headers={"Transfer-Encoding": "chunked"}, status=411)


@pytest.mark.parametrize(
    ("trusted", "peer", "forwarded", "client"),
    [
        ("", "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # no proxy trusted: the peer
        ("127.0.0.1", "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from the proxy
        ("127.0.0.1", "127.0.0.1", "198.51.100.1", "198.51.100.1"),
        ("127.0.0.1", "127.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # right-most
        ("127.0.0.1,10.0.0.2", "127.0.0.1", "198.51.100.1, 10.0.0.2", "198.51.100.1"),
    ],
)
def test_the_client_address_behind_trusted_proxies(app_with, trusted, peer, forwarded, client):
    """The address a failed sign-in is counted for: the peer, or behind a trusted proxy the
    right-most X-Forwarded-For entry that is not a trusted proxy."""
    browser = app_with(trusted_proxies=trusted)
    browser.extra_environ.update(REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    browser.login("nobody", "wrong password")
    query = select(ThrottleEvent.key).where(ThrottleEvent.kind == "address")
    with browser.app.registry["dbsession_factory"]() as db:
        assert db.scalars(query).all() == [client]


def test_health(testapp):
    response = testapp.get("/health", status=200)
    assert response.content_type == "application/json"
    assert response.json == {"status": "ok", "database": "ok"}


def test_health_view(app_request):
    assert health(app_request) == {"status": "ok", "database": "ok"}


def test_nothing_is_stored_for_hostile_registrations(testapp, dbsession):
    for fields in [
        {"username": "nul\x00name"},
        {"email": "nul\x00@example.com"},
        {"password": "nul\x00password", "password_confirm": "nul\x00password"},
    ]:
        response = testapp.register(**{"username": "eve", **fields})
        assert response.status_code == 200
        assert "Remove the control character" in response.text
    assert dbsession.scalar(select(func.count()).select_from(User)) == 0
