"""Fixtures: a test client that checks CSRF like a browser's requests, account actions through
the pages' forms, a user made directly in the database, and a clock for the sign-in throttle.

pytest-django gives each test marked ``django_db`` the test database (in-memory SQLite, or
``test_<name>`` on the PostgreSQL server of DATABASE_URL), created once per run and rolled back
after each test; its ``mailoutbox`` fixture holds the mails a test sent.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from accounts.models import ThrottleEvent

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture()
def csrf_client():
    """Django's test client, refusing POSTs without a valid CSRF token as the server does
    (pytest-django's ``client`` skips that check)."""
    return Client(enforce_csrf_checks=True)


class AuthActions:
    """What a visitor does, through the forms of the pages (with their CSRF tokens)."""

    password = "correct horse battery"

    def __init__(self, client):
        self.client = client

    def token(self, path="/"):
        """The CSRF token of the form on ``path``, as a browser would send it back."""
        match = CSRF_INPUT.search(self.client.get(path).content.decode())
        assert match, f"no CSRF token in {path}"
        return match.group(1)

    def post(self, path, data, form_path=None):
        """Post ``data`` to ``path`` with the CSRF token of the page at ``form_path``."""
        return self.client.post(
            path, {"csrfmiddlewaretoken": self.token(form_path or path), **data}
        )

    def register(self, username="alice", email=None, password=None, confirmation=None):
        password = self.password if password is None else password
        return self.post(
            "/auth/register",
            {
                "username": username,
                "email": f"{username}@example.com" if email is None else email,
                "password1": password,
                "password2": password if confirmation is None else confirmation,
            },
        )

    def login(self, username="alice", password=None, next_url=None, path="/auth/login"):
        path += f"?next={next_url}" if next_url else ""
        password = self.password if password is None else password
        return self.post(path, {"username": username, "password": password})

    def logout(self):
        return self.post("/auth/logout", {}, form_path="/")

    def add_note(self, title="A note", body="Its body"):
        return self.post("/notes", {"title": title, "body": body})

    def delete_note(self, note_id, token=None):
        token = token or self.token("/notes")
        return self.client.post(f"/notes/{note_id}/delete", {"csrfmiddlewaretoken": token})

    def request_reset(self, email):
        return self.post("/auth/password-reset", {"email": email})

    def change_password(self, current, new, confirmation=None):
        return self.post(
            "/auth/password",
            {
                "old_password": current,
                "new_password1": new,
                "new_password2": new if confirmation is None else confirmation,
            },
        )


@pytest.fixture()
def auth(csrf_client):
    return AuthActions(csrf_client)


@pytest.fixture()
def alice(db):
    """The account ``alice`` (alice@example.com, ``AuthActions.password``), logged out: made in
    the database, not through the registration form (tests/test_accounts.py covers that)."""
    return get_user_model().objects.create_user("alice", "alice@example.com", AuthActions.password)


class Clock:
    """The throttle's clock, moved by hand: ``clock.advance(seconds=901)``."""

    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture()
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(ThrottleEvent.objects, "clock", clock)
    return clock
