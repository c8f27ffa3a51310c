import pytest


def test_home_page_for_anonymous_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'href="/auth/login"' in page
    assert 'href="/auth/register"' in page
    assert 'action="/auth/logout"' not in page


def test_home_page_for_logged_in_users(client, auth):
    auth.register("alice")
    page = client.get("/").get_data(as_text=True)
    assert "alice" in page
    assert 'href="/auth/password"' in page
    assert 'action="/auth/logout"' in page
    assert 'href="/auth/login"' not in page


def test_routes_are_exact_without_a_trailing_slash(client, auth):
    auth.register("alice")
    assert client.get("/notes").status_code == 200
    assert client.get("/notes/").status_code == 404


def test_unknown_route_is_a_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/auth/login", "/notes", "/health", "/no/such/page"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    policy = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "form-action 'self'", "frame-ancestors 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy


def test_health(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def unreachable(tmp_path):
    return f"sqlite:///{tmp_path / 'missing' / 'dir' / 'db.sqlite3'}"


def test_health_when_the_database_is_down(make_app, tmp_path):
    app = make_app({"DATABASE_URL": unreachable(tmp_path)})
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "error"}


def logged_in_client(app, auth):
    """A browser of ``app`` carrying the session cookie of a user logged in elsewhere."""
    auth.register("alice")
    client = app.test_client()
    client.set_cookie("session", auth.client.get_cookie("session").value)
    return client


@pytest.mark.parametrize("debug", [False, True])
def test_a_page_is_503_when_the_database_is_down(auth, make_app, tmp_path, debug):
    app = make_app({"DATABASE_URL": unreachable(tmp_path), "DEBUG": str(debug)})
    response = logged_in_client(app, auth).get("/notes")
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "Service unavailable" in page
    assert ("Traceback" in page) is debug
    assert ("OperationalError" in page) is debug


@pytest.mark.parametrize("debug", [False, True])
def test_a_server_error_is_a_500_page_with_a_traceback_only_in_debug(make_app, debug):
    app = make_app({"DEBUG": str(debug)})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Server error" in page
    assert ("secret internals" in page) is debug
    assert ("Traceback" in page) is debug
    assert ("RuntimeError" in page) is debug
