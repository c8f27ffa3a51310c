"""Fixtures: a test client that checks CSRF like a browser's requests, and account helpers.

pytest-django gives each test marked ``django_db`` a migrated test database (in-memory SQLite,
or ``test_<name>`` on the PostgreSQL server of DATABASE_URL) and rolls its changes back.
"""

import re

import pytest
from django.test import Client

PASSWORD = "correct horse battery"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture()
def client():
    """Django's test client, refusing POSTs without a valid CSRF token as the server does."""
    return Client(enforce_csrf_checks=True)


def csrf_token(client, path):
    """The CSRF token of the form on ``path``, as a browser would send it back."""
    match = CSRF_INPUT.search(client.get(path).content.decode())
    assert match, f"no CSRF token in {path}"
    return match.group(1)


class AuthActions:
    """What a visitor does, through the forms of the pages (with their CSRF tokens)."""

    def __init__(self, client):
        self.client = client

    def token(self, path="/"):
        return csrf_token(self.client, path)

    def register(self, username="alice", email=None, password=PASSWORD, confirmation=None):
        return self.client.post(
            "/auth/register",
            {
                "csrfmiddlewaretoken": self.token("/auth/register"),
                "username": username,
                "email": f"{username}@example.com" if email is None else email,
                "password1": password,
                "password2": password if confirmation is None else confirmation,
            },
        )

    def login(self, username="alice", password=PASSWORD, next_url=None):
        path = "/auth/login" + (f"?next={next_url}" if next_url else "")
        data = {"csrfmiddlewaretoken": self.token(path), "username": username, "password": password}
        return self.client.post(path, data)

    def logout(self):
        return self.client.post("/auth/logout", {"csrfmiddlewaretoken": self.token("/")})

    def add_note(self, title="A note", body="Its body"):
        data = {"csrfmiddlewaretoken": self.token("/notes"), "title": title, "body": body}
        return self.client.post("/notes", data)

    def delete_note(self, note_id, token=None):
        token = token or self.token("/notes")
        return self.client.post(f"/notes/{note_id}/delete", {"csrfmiddlewaretoken": token})


@pytest.fixture()
def auth(client):
    return AuthActions(client)
