"""Fixtures: an app on a migrated test database, a client, and logged-in helpers.

The database is DATABASE_URL from the environment when it is set (PostgreSQL in CI),
otherwise a throw-away SQLite file. The tests empty its tables after each test.
"""

import os
import re

import pytest
from flask_migrate import upgrade

from {{ cookiecutter.project_slug }} import create_app
from {{ cookiecutter.project_slug }}.config import database_uri
from {{ cookiecutter.project_slug }}.extensions import db

# Read before create_app() could load .env: tests never touch the database named there.
ENV_DATABASE_URL = os.environ.get("DATABASE_URL")
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*? value="([^"]+)"')


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if ENV_DATABASE_URL:
        return database_uri(ENV_DATABASE_URL, None)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def make_config(database_url, **extra):
    return {
        "TESTING": True,
        "SECRET_KEY": "test secret key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SESSION_COOKIE_SECURE": False,
        **extra,
    }


@pytest.fixture(scope="session")
def migrated(database_url):
    app = create_app(make_config(database_url))
    with app.app_context():
        upgrade()
    return database_url


@pytest.fixture()
def app(migrated):
    app = create_app(make_config(migrated))
    yield app
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.engine.dispose()


@pytest.fixture()
def client(app):
    return app.test_client()


def csrf_token(client, path):
    """The CSRF token from the form on ``path``, as a browser would send it back."""
    match = CSRF_INPUT.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token in {path}"
    return match.group(1)


class AuthActions:
    def __init__(self, client):
        self.client = client

    def register(self, username="alice", email=None, password="correct horse battery", **extra):
        data = {
            "csrf_token": csrf_token(self.client, "/auth/register"),
            "username": username,
            "email": email or f"{username}@example.com",
            "password": password,
            "password_confirm": password,
            **extra,
        }
        return self.client.post("/auth/register", data=data)

    def login(self, username="alice", password="correct horse battery", next_url=None):
        path = "/auth/login" + (f"?next={next_url}" if next_url else "")
        token = csrf_token(self.client, path)
        data = {"csrf_token": token, "username": username, "password": password}
        return self.client.post(path, data=data)

    def logout(self):
        return self.client.post("/auth/logout", data={"csrf_token": csrf_token(self.client, "/")})

    def token(self, path="/"):
        return csrf_token(self.client, path)

    def delete_note(self, note_id, token=None):
        token = token or self.token("/notes")
        return self.client.post(f"/notes/{note_id}/delete", data={"csrf_token": token})

    def add_note(self, title="A note", body="Its body"):
        data = {"csrf_token": csrf_token(self.client, "/notes"), "title": title, "body": body}
        return self.client.post("/notes", data=data)


@pytest.fixture()
def auth(client):
    return AuthActions(client)
