"""Pages and routes: the home page, errors, response headers, health, the request guards."""

import cherrypy
import pytest
import webob
import webtest
from conftest import location

from {{ cookiecutter.project_slug }} import hardening


def test_home_page_for_anonymous_visitors(client):
    response = client.get("/")
    assert response.status_int == 200
    assert response.html.find("a", href="/auth/login")
    assert response.html.find("a", href="/auth/register")
    assert not response.html.find("form", action="/auth/logout")


def test_home_page_for_logged_in_users(client, auth):
    auth.register("alice")
    page = client.get("/")
    assert "alice" in page.text
    assert page.html.find("form", action="/auth/logout", method="post")
    assert page.html.find("a", href="/auth/password")
    assert not page.html.find("a", href="/auth/login")


def test_routes_are_exact_and_other_methods_are_405(client):
    assert client.head("/").status_int == 200
    assert client.head("/").body == b""
    assert client.put("/", expect_errors=True).status_int == 405
    assert client.get("/notes").status_int == 303  # no redirect to /notes/


def test_unknown_path_is_a_404_page(client):
    response = client.get("/no/such/page", expect_errors=True)
    assert response.status_int == 404
    assert response.content_type == "text/html"
    assert "Page not found" in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/.env",
        "/static/../.env",
        "/static/%2e%2e/.env",
        "/static/..%2f.env",
        "/%2e%2e/pyproject.toml",
        "/static/../../pyproject.toml",
    ],
)
def test_only_the_static_folder_is_served_as_files(client, path):
    response = client.get(path, expect_errors=True)
    assert response.status_int in {400, 403, 404}
    assert "SECRET_KEY" not in response.text
    assert "[project]" not in response.text


def test_static_files_are_served(client):
    response = client.get("/static/style.css")
    assert response.status_int == 200
    assert response.content_type == "text/css"


def boom():
    raise RuntimeError("secret internals")


def test_server_error_page_has_no_traceback(app, client):
    app.root.boom = cherrypy.expose(boom)
    response = client.get("/boom", expect_errors=True)
    assert response.status_int == 500
    assert response.content_type == "text/html"
    assert "Server error" in response.text
    assert "secret internals" not in response.text
    assert "RuntimeError" not in response.text
    assert "Traceback" not in response.text
    assert response.headers["X-Frame-Options"] == "DENY"


def test_debug_shows_the_traceback(make_app):
    app = make_app(debug=True)
    app.root.boom = cherrypy.expose(boom)
    response = webtest.TestApp(app).get("/boom", expect_errors=True)
    assert response.status_int == 500
    assert "Traceback" in response.text
    assert "secret internals" in response.text


@pytest.mark.parametrize("debug", [False, True])
def test_an_unreachable_database_is_a_503_page_for_a_logged_in_session(
    make_app, auth, client, tmp_path, debug
):
    """The app really fails: a second process on a database that isn't there, with a cookie."""
    auth.register("alice")
    broken = make_app(database_url=f"sqlite:///{tmp_path / 'missing' / 'db.sqlite3'}", debug=debug)
    visitor = webtest.TestApp(broken)
    visitor.set_cookie("session_id", client.cookies["session_id"])
    response = visitor.get("/notes", expect_errors=True)
    assert response.status_int == 503
    assert response.content_type == "text/html"
    assert "can't reach its database" in response.text
    assert ("Traceback" in response.text) is debug
    assert ("OperationalError" in response.text) is debug
    assert "unable to open database file" not in response.text or debug


def test_security_headers_on_every_kind_of_response(client, auth):
    auth.register("alice")
    responses = [
        client.get("/"),
        client.get("/notes"),
        client.get("/health"),
        client.get("/static/style.css"),
        client.get("/missing", expect_errors=True),
        client.post("/notes", {"title": "no token"}, expect_errors=True),
        client.get("/auth/logout", expect_errors=True),
        auth.add_note(),  # a redirect
        client.get("/", headers={"Host": "evil.example"}, expect_errors=True),
    ]
    assert [r.status_int for r in responses] == [200, 200, 200, 200, 404, 403, 405, 303, 400]
    for response in responses:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "form-action 'self'" in policy and "unsafe-inline" not in policy


def test_pages_hold_no_inline_script(client, auth):
    pages = ["/", "/auth/login", "/auth/register", "/auth/password-reset"]
    auth.register("alice")
    pages += ["/notes", "/auth/password"]
    for path in pages:
        assert client.get(path).html.find("script") is None, path


@pytest.mark.parametrize("host", ["evil.example", "localhost.evil.example", "a b", "x@localhost"])
def test_a_host_outside_allowed_hosts_is_a_400(client, host):
    response = client.get("/", headers={"Host": host}, expect_errors=True)
    assert response.status_int == 400


def test_allowed_hosts_come_from_the_settings(make_app):
    client = webtest.TestApp(make_app(allowed_hosts=[".example.com"]))
    assert client.get("/", headers={"Host": "www.example.com"}).status_int == 200
    assert client.get("/", expect_errors=True).status_int == 400  # localhost: not listed now


def test_a_body_over_one_mebibyte_is_a_413_and_changes_nothing(client, auth, db):
    auth.register("alice")
    token = auth.token("/notes")
    too_big = "x" * (hardening.MAX_BODY_BYTES + 1)
    response = client.post(
        "/notes", {"csrf_token": token, "title": "big", "body": too_big}, expect_errors=True
    )
    assert response.status_int == 413
    assert "big" not in client.get("/notes").text


class _Unread:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the oversized body was read")

    readline = read


def test_an_oversized_body_is_refused_by_its_length_before_it_is_read(app):
    request = webob.Request.blank(
        "/notes", method="POST", content_type="application/x-www-form-urlencoded"
    )
    request.environ["wsgi.input"] = _Unread()
    request.environ["CONTENT_LENGTH"] = str(hardening.MAX_BODY_BYTES + 1)
    response = request.get_response(app)
    assert response.status_int == 413


def test_health(client):
    response = client.get("/health")
    assert response.status_int == 200
    assert response.content_type == "application/json"
    assert response.json == {"status": "ok", "database": "ok"}
    assert "Set-Cookie" not in response.headers


def test_health_when_the_database_is_down(make_app, tmp_path):
    broken = make_app(database_url=f"sqlite:///{tmp_path / 'missing' / 'dir' / 'db.sqlite3'}")
    response = webtest.TestApp(broken).get("/health", expect_errors=True)
    assert response.status_int == 503
    assert response.json == {"status": "error", "database": "error"}


def test_flash_messages_are_shown_once(client, auth):
    auth.register("alice")
    response = auth.add_note("first")
    assert location(response) == "/notes"
    page = client.get("/notes")
    assert page.html.find("p", class_="flash").text == "Note added."
    assert not client.get("/notes").html.find("p", class_="flash")
