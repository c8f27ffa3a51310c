"""Pages, routes, errors, /health and the headers of every response."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client

from config import views
from notes.models import Note

pytestmark = pytest.mark.django_db
PROJECT = Path(__file__).resolve().parent.parent


def test_home_page_for_anonymous_visitors(csrf_client):
    response = csrf_client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/auth/login"' in page
    assert 'href="/auth/register"' in page
    assert 'action="/auth/logout"' not in page


def test_home_page_for_logged_in_users(csrf_client, auth):
    auth.register("alice")
    page = csrf_client.get("/").content.decode()
    assert "alice" in page
    assert 'action="/auth/logout"' in page
    assert 'href="/auth/password"' in page
    assert 'href="/auth/login"' not in page


def test_the_project_name_comes_from_settings(csrf_client, settings):
    settings.PROJECT_NAME = "Renamed Site"
    assert "Renamed Site" in csrf_client.get("/").content.decode()


def test_route_paths_have_no_trailing_slash(csrf_client):
    assert csrf_client.get("/auth/login").status_code == 200
    assert csrf_client.get("/auth/login/").status_code == 404
    assert csrf_client.get("/notes/").status_code == 404


def test_unknown_path_is_a_404_page(csrf_client):
    response = csrf_client.get("/no/such/page")
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


FAILING_PAGES = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client

pages = {}
for debug in (False, True):
    settings.DEBUG = debug
    client = Client(raise_request_exception=False, HTTP_HOST="localhost")
    client.cookies["sessionid"] = "a" * 32
    response = client.get("/notes")
    pages[debug] = [response.status_code, response["Content-Type"], response.content.decode()]
print(json.dumps(pages))
"""


@pytest.fixture(scope="module")
def failing_pages():
    """GET /notes with a session cookie, DEBUG off then on, in a process whose database can't be
    reached (a closed port): the page fails for real, at the session's first query."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": "postgresql://nobody:nothing@127.0.0.1:9/nowhere",
    }
    result = subprocess.run(
        [sys.executable, "-c", FAILING_PAGES],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_an_unreachable_database_is_a_503_page_without_a_traceback(failing_pages):
    status, content_type, page = failing_pages["false"]
    assert status == 503
    assert content_type.startswith("text/html")
    assert "cannot reach its database" in page
    for leak in ("Traceback", "OperationalError", "psycopg", "onnection refused"):
        assert leak not in page


def test_an_unreachable_database_shows_the_traceback_with_debug(failing_pages):
    status, _, page = failing_pages["true"]
    assert status == 500
    assert "Traceback" in page
    assert "OperationalError" in page


def test_security_headers_on_every_kind_of_response(csrf_client, auth):
    auth.register("alice")
    responses = [csrf_client.get(path) for path in ("/", "/auth/login", "/notes", "/health")]
    responses += [
        csrf_client.get("/missing"),
        csrf_client.get("/auth/logout"),  # 405
        csrf_client.post("/notes", {"title": "no token"}),  # 403
        Client().get("/notes"),  # a redirect
        Client().get("/", headers={"host": "evil.example"}),  # 400
    ]
    for response in responses:
        assert response["X-Content-Type-Options"] == "nosniff", response
        assert response["Referrer-Policy"] == "same-origin", response
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], response


def test_every_page_has_a_content_security_policy_and_no_inline_script(csrf_client, auth):
    auth.register("alice")
    auth.add_note()
    paths = ["/", "/notes", "/auth/password", "/auth/password-reset", "/missing"]
    for path in paths:
        response = csrf_client.get(path)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "form-action 'self'" in policy, path
        assert "unsafe-inline" not in policy, path
        assert "<script" not in response.content.decode(), path


def test_a_host_outside_allowed_hosts_gets_a_400_page(settings):
    settings.ALLOWED_HOSTS = ["notes.example.com", ".example.org"]
    assert Client().get("/", headers={"host": "notes.example.com"}).status_code == 200
    assert Client().get("/", headers={"host": "www.example.org"}).status_code == 200
    response = Client().get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Bad request" in response.content.decode()


def test_a_body_over_one_mebibyte_gets_413_and_nothing_is_stored(csrf_client, auth):
    auth.register("alice")
    token = auth.token("/notes")
    response = csrf_client.post(
        "/notes", {"csrfmiddlewaretoken": token, "title": "big", "body": "x" * (1024 * 1024)}
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert int(response["Content-Length"]) == len(response.content)
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert not Note.objects.exists()
    assert auth.add_note("small").status_code == 302


def test_only_the_static_folder_is_served_as_files():
    response = Client().get("/static/css/style.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert response["Referrer-Policy"] == "same-origin"
    for path in ("/.env", "/static/../.env", "/static/%2e%2e/.env", "/pyproject.toml"):
        assert Client().get(path).status_code == 404, path


def test_health_route(csrf_client):
    response = csrf_client.get("/health")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}


class UnreachableDatabase:
    def cursor(self):
        raise OperationalError("connection refused")


def test_health_when_the_database_is_down(csrf_client, monkeypatch):
    monkeypatch.setattr(views, "connection", UnreachableDatabase())
    response = csrf_client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_the_admin_is_at_admin(admin_client):
    assert admin_client.get("/admin/").status_code == 200
    assert admin_client.get("/admin/accounts/user/").status_code == 200
    assert admin_client.get("/admin/notes/note/").status_code == 200
    assert admin_client.get("/admin/accounts/throttleevent/").status_code == 200
