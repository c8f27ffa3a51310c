from {{ cookiecutter.project_slug }} import create_app


def test_home_for_anonymous_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'href="/auth/login"' in page
    assert 'href="/auth/register"' in page
    assert "Log out" not in page


def test_home_for_logged_in_users(client, auth):
    auth.register("alice")
    page = client.get("/").get_data(as_text=True)
    assert "alice" in page
    assert 'action="/auth/logout"' in page
    assert 'href="/auth/login"' not in page


def test_unknown_path_is_a_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_server_error_page_has_no_traceback(migrated):
    app = create_app({"SECRET_KEY": "s", "SQLALCHEMY_DATABASE_URI": migrated})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Server error" in page
    assert "secret internals" not in page
    assert "Traceback" not in page


def test_security_headers(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_health(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_when_the_database_is_down(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'missing' / 'dir' / 'db.sqlite3'}"
    app = create_app({"SECRET_KEY": "s", "SQLALCHEMY_DATABASE_URI": unreachable})
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "error"}
