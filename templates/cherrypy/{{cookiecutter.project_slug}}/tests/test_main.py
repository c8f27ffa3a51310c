import cherrypy
import webtest
from conftest import make_settings, running


def test_home_for_anonymous_visitors(client):
    response = client.get("/")
    assert response.status_int == 200
    assert 'href="/auth/login"' in response.text
    assert 'href="/auth/register"' in response.text
    assert "Log out" not in response.text


def test_home_for_logged_in_users(client, auth):
    auth.register("alice")
    page = client.get("/").text
    assert "alice" in page
    assert 'action="/auth/logout"' in page
    assert 'href="/auth/login"' not in page


def test_unknown_path_is_a_404_page(client):
    response = client.get("/no/such/page", expect_errors=True)
    assert response.status_int == 404
    assert response.content_type == "text/html"
    assert "Page not found" in response.text
    assert "Traceback" not in response.text


def boom():
    raise RuntimeError("secret internals")


def test_server_error_page_has_no_traceback(app, client):
    app.root.boom = cherrypy.expose(boom)
    response = client.get("/boom", expect_errors=True)
    assert response.status_int == 500
    assert "Server error" in response.text
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert response.headers["X-Frame-Options"] == "DENY"


def test_debug_shows_the_traceback(migrated):
    with running(make_settings(migrated, debug=True)) as app:
        app.root.boom = cherrypy.expose(boom)
        response = webtest.TestApp(app).get("/boom", expect_errors=True)
    assert response.status_int == 500
    assert "Traceback" in response.text
    assert "secret internals" in response.text


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
    ]
    assert [r.status_int for r in responses] == [200, 200, 200, 200, 404, 403, 405, 303]
    for response in responses:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_health(client):
    response = client.get("/health")
    assert response.status_int == 200
    assert response.content_type == "application/json"
    assert response.json == {"status": "ok", "database": "ok"}
    assert "Set-Cookie" not in response.headers


def test_health_when_the_database_is_down(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'missing' / 'dir' / 'db.sqlite3'}"
    with running(make_settings(unreachable)) as app:
        response = webtest.TestApp(app).get("/health", expect_errors=True)
    assert response.status_int == 503
    assert response.json == {"status": "error", "database": "error"}
