import pytest
from django.db import OperationalError
from django.test import Client

from config import views

pytestmark = pytest.mark.django_db


def test_home_for_anonymous_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/auth/login"' in page
    assert 'href="/auth/register"' in page
    assert 'action="/auth/logout"' not in page


def test_home_for_logged_in_users(client, auth):
    auth.register("alice")
    page = client.get("/").content.decode()
    assert "alice" in page
    assert 'action="/auth/logout"' in page
    assert 'href="/auth/login"' not in page


def test_the_project_name_comes_from_settings(client, settings):
    settings.PROJECT_NAME = "Renamed Site"
    assert "Renamed Site" in client.get("/").content.decode()


def test_paths_have_no_trailing_slash(client):
    assert client.get("/auth/login").status_code == 200
    assert client.get("/auth/login/").status_code == 404
    assert client.get("/notes/").status_code == 404


def test_unknown_path_is_a_404_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Page not found" in response.content.decode()


@pytest.mark.urls("tests.urls")
def test_server_error_page_has_no_traceback():
    response = Client(raise_request_exception=False).get("/boom")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Server error" in page
    assert "secret internals" not in page
    assert "Traceback" not in page


def test_security_headers_on_every_kind_of_response(client, auth):
    auth.register("alice")
    for path in ("/", "/auth/login", "/notes", "/health", "/missing", "/auth/logout"):
        response = client.get(path)
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["X-Frame-Options"] == "DENY", path
    refused = client.post("/notes", {"title": "no token"})
    assert refused.status_code == 403
    assert refused["X-Frame-Options"] == "DENY"


def test_health(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}


class UnreachableDatabase:
    def cursor(self):
        raise OperationalError("connection refused")


def test_health_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(views, "connection", UnreachableDatabase())
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_the_admin_is_at_admin(client, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.com", "a long password")
    client.login(username="root", password="a long password")
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/notes/note/").status_code == 200
