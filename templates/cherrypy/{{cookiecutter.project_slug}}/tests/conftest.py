"""Fixtures: the CherryPy app on a migrated test database, a WebTest client, logged-in helpers.

The database is DATABASE_URL from the environment when it is set (PostgreSQL in CI),
otherwise a throw-away SQLite file. The tests empty its tables after each test.
"""

import os
import re
from contextlib import contextmanager
from urllib.parse import urlsplit

import cherrypy
import pytest
import webtest
from alembic import command
from alembic.config import Config
from argon2 import PasswordHasher, profiles

from {{ cookiecutter.project_slug }} import create_app, security
from {{ cookiecutter.project_slug }}.config import PROJECT_ROOT, Settings, database_url
from {{ cookiecutter.project_slug }}.db import Base

# Read before anything could load .env: tests never touch the database named there.
ENV_DATABASE_URL = os.environ.get("DATABASE_URL")
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session", autouse=True)
def cherrypy_engine():
    """The CherryPy engine runs as in production, without its HTTP server: WebTest calls the app."""
    cherrypy.config.update({"environment": "test_suite", "log.screen": False})
    cherrypy.server.unsubscribe()
    cherrypy.engine.start()
    yield cherrypy.engine
    cherrypy.engine.exit()


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch):
    """argon2id with its cheapest parameters: the same code paths, without 64 MiB per hash."""
    monkeypatch.setattr(security, "password_hasher",
                        PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """The URL of a test database that `alembic upgrade head` has migrated."""
    if ENV_DATABASE_URL:
        url = database_url(ENV_DATABASE_URL)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    config = Config(PROJECT_ROOT / "alembic.ini")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")
    return url


def make_settings(url, **extra):
    extra = {"secret_key": "test secret key", "secure_cookies": False, **extra}
    return Settings(database_url=url, **extra)


@contextmanager
def running(settings):
    """An app mounted with ``settings``; its database plugin started, as the engine would."""
    app = create_app(settings)
    database = app.config["app"]["database"]
    database.start()
    try:
        yield app
    finally:
        database.stop()
        database.unsubscribe()


@pytest.fixture()
def app(migrated):
    with running(make_settings(migrated)) as app:
        yield app
        with app.config["app"]["database"].engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture()
def db(app):
    """A database session of the test's own, outside any request."""
    with app.config["app"]["database"].sessionmaker() as session:
        yield session


@pytest.fixture()
def client(app):
    return webtest.TestApp(app)


def location(response):
    """Path and query of a redirect (CherryPy makes Location absolute, on the request's host)."""
    parts = urlsplit(response.headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


def csrf_token(client, path):
    """The CSRF token from the form on ``path``, as a browser would send it back."""
    match = CSRF_INPUT.search(client.get(path).text)
    assert match, f"no CSRF token in {path}"
    return match.group(1)


class AuthActions:
    def __init__(self, client):
        self.client = client

    def register(self, username="alice", email=None, password="correct horse battery", **extra):
        data = {
            "csrf_token": csrf_token(self.client, "/auth/register"),
            "username": username,
            "email": f"{username}@example.com" if email is None else email,
            "password": password,
            "password_confirm": password,
            **extra,
        }
        return self.client.post("/auth/register", data, expect_errors=True)

    def login(self, username="alice", password="correct horse battery", next_url=None):
        path = "/auth/login" + (f"?next={next_url}" if next_url else "")
        data = {"csrf_token": csrf_token(self.client, path), "username": username,
                "password": password}
        return self.client.post(path, data, expect_errors=True)

    def logout(self):
        data = {"csrf_token": csrf_token(self.client, "/")}
        return self.client.post("/auth/logout", data, expect_errors=True)

    def token(self, path="/"):
        return csrf_token(self.client, path)

    def delete_note(self, note_id, token=None):
        data = {"csrf_token": token or self.token("/notes")}
        return self.client.post(f"/notes/{note_id}/delete", data, expect_errors=True)

    def add_note(self, title="A note", body="Its body"):
        data = {"csrf_token": csrf_token(self.client, "/notes"), "title": title, "body": body}
        return self.client.post("/notes", data, expect_errors=True)


@pytest.fixture()
def auth(client):
    return AuthActions(client)
