"""Fixtures: an app on a migrated test database, a client, logged-in helpers, the mail outbox
and a clock the tests move by hand.

The database is DATABASE_URL from the environment when it is set (PostgreSQL in CI),
otherwise a throw-away SQLite file. It is migrated once per session, by the one app of the
session, which every test shares; the tests empty its tables after each test. A test that
needs other settings makes an app of its own with ``make_app``.
"""

import os
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import event

from {{ cookiecutter.project_slug }} import create_app
from {{ cookiecutter.project_slug }}.config import load_config
from {{ cookiecutter.project_slug }}.extensions import db

# Read before create_app() could load .env: tests never touch the database named there.
ENV_DATABASE_URL = os.environ.get("DATABASE_URL")
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*? value="([^"]+)"')


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """The test database's URL, as DATABASE_URL spells it."""
    return ENV_DATABASE_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def make_config(database, environ=None, **extra):
    """A test app's configuration: what the app reads from an environment that holds only
    ``environ``, a secret key and ``database``, then the test's own Flask settings."""
    environ = {
        "SECRET_KEY": "test secret key",
        "SECURE_COOKIES": "false",
        "DATABASE_URL": database,
        **(environ or {}),
    }
    return {
        **load_config(os.devnull, environ),  # (no instance folder: DATABASE_URL is set)
        "TESTING": True,
        "MAIL_BACKEND": "locmem",  # Flask-Mailman's outbox
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",  # fast, for tests only
        **extra,
    }


def sqlite_without_fsync(dbapi_connection, _connection_record):
    """A throw-away test database needs no durability: commits skip the disk flush (WAL mode,
    the busy timeout and foreign keys stay as in production)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


def new_app(config):
    """An app for ``config``, its SQLite connections (if any) without the disk flush."""
    app = create_app(config)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", sqlite_without_fsync)
    return app


@pytest.fixture(scope="session")
def session_app(database):
    """The app every test shares, on the freshly migrated test database."""
    app = new_app(make_config(database))
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture()
def app(session_app):
    """The session's app; after the test, its tables are emptied and its mail outbox and
    throttle clock put back."""
    throttle, mailman = session_app.extensions["throttle"], session_app.extensions["mailman"]
    clock = throttle.clock
    mailman.outbox = []
    yield session_app
    throttle.clock = clock
    with session_app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()


@pytest.fixture()
def make_app(app, database):
    """Another app on the test database (emptied after the test by ``app``), as if the
    environment also held ``environ``."""
    apps = []

    def make(environ=None, **extra):
        apps.append(new_app(make_config(database, environ, **extra)))
        return apps[-1]

    yield make
    for other in apps:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def outbox(app):
    """The mails the app sent, as Flask-Mailman's ``EmailMessage`` objects."""
    mailman = app.extensions["mailman"]
    mailman.outbox = []
    return mailman.outbox


class Clock:
    """The time the sign-in throttle sees: now, until a test moves it on."""

    def __init__(self):
        self.now = datetime.now(UTC)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


@pytest.fixture()
def clock(app):
    app.extensions["throttle"].clock = clock = Clock()
    return clock


def csrf_token(client, path):
    """The CSRF token from the form on ``path``, as a browser would send it back."""
    match = CSRF_INPUT.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token in {path}"
    return match.group(1)


class AuthActions:
    """A visitor's actions through ``client``, a browser of its own."""

    password = "correct horse battery"  # noqa: S105

    def __init__(self, client):
        self.client = client

    def another_browser(self, app=None):
        """A visitor with a browser of its own, on this app or on ``app``."""
        return AuthActions((app or self.client.application).test_client())

    def token(self, path="/"):
        return csrf_token(self.client, path)

    def post(self, path, page=None, **data):
        """Post ``data`` to ``path`` with the CSRF token of the form on ``page`` (or ``path``)."""
        return self.client.post(path, data={"csrf_token": self.token(page or path), **data})

    def register(self, username="alice", email=None, password=None, **extra):
        data = {
            "username": username,
            "email": email or f"{username}@example.com",
            "password": password or self.password,
            "password_confirm": password or self.password,
            **extra,
        }
        return self.post("/auth/register", **data)

    def login(self, username="alice", password=None, next_url=None):
        path = "/auth/login" + (f"?next={next_url}" if next_url else "")
        return self.post(path, username=username, password=password or self.password)

    def logout(self):
        return self.post("/auth/logout", page="/")

    def add_note(self, title="A note", body="Its body"):
        return self.post("/notes", title=title, body=body)

    def delete_note(self, note_id, token=None):
        data = {"csrf_token": token or self.token("/notes")}
        return self.client.post(f"/notes/{note_id}/delete", data=data)


@pytest.fixture()
def auth(client):
    return AuthActions(client)
