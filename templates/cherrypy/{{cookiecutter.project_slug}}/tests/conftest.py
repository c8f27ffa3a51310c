"""Fixtures: the CherryPy app on a migrated test database, a WebTest client, logged-in helpers.

The database is DATABASE_URL from the environment when it is set (PostgreSQL in CI), otherwise a
throw-away SQLite file; it is migrated once per test session, reached through one engine, and
emptied after each test. The
app gets a cheap argon2 parameter set, an outbox instead of a mail server and a clock the tests
move on (no sleeping).
"""

import dataclasses
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import cherrypy
import pytest
import webtest
from alembic import command
from alembic.config import Config
from argon2 import PasswordHasher
from sqlalchemy import Engine, event

from {{ cookiecutter.project_slug }} import create_app, env
from {{ cookiecutter.project_slug }}.config import PROJECT_ROOT
from {{ cookiecutter.project_slug }}.db import Base, make_engine
from {{ cookiecutter.project_slug }}.mail import Outbox

# Read before anything could load .env: tests never touch the database named there.
ENV_DATABASE_URL = os.environ.get("DATABASE_URL")
# argon2id at its cheapest: the same code paths, without 64 MiB and 3 passes per hash.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "correct horse battery"


@event.listens_for(Engine, "connect")
def _no_waiting_for_the_disk(dbapi_connection, _connection_record):
    """The test database is thrown away: SQLite need not wait for the disk (fsync) at each
    commit and checkpoint. The app's own settings (sqlite.py) stay as in production."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA synchronous=OFF")


@pytest.fixture(scope="session", autouse=True)
def cherrypy_engine():
    """The CherryPy engine runs as in production, without its HTTP server: WebTest calls the app."""
    cherrypy.config.update({"environment": "test_suite", "log.screen": False})
    cherrypy.server.unsubscribe()
    cherrypy.engine.start()
    yield cherrypy.engine
    cherrypy.engine.exit()


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """The URL of a test database that `alembic upgrade head` has migrated."""
    url = ENV_DATABASE_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    config = Config(PROJECT_ROOT / "alembic.ini")
    config.set_main_option("sqlalchemy.url", env.sqlalchemy_url(url).replace("%", "%%"))
    command.upgrade(config, "head")
    return url


def make_settings(url, **changes):
    """The settings a fresh project reads, on the database ``url``, with ``changes``."""
    environ = {"SECRET_KEY": "test secret key", "SECURE_COOKIES": "false", "DATABASE_URL": url}
    settings = env.load(PROJECT_ROOT / "var" / "unused.sqlite3", environ)
    return dataclasses.replace(settings, **changes)


class Clock:
    """The app's clock in tests: it stands still until a test moves it on."""

    def __init__(self):
        self.now = datetime.now(UTC)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


@pytest.fixture()
def clock():
    return Clock()


@pytest.fixture()
def outbox():
    return Outbox()


@pytest.fixture(scope="session")
def engine(migrated):
    """The test database's one engine: every app a test makes on it shares its pool and its
    compiled statements, as the requests of one server process do."""
    engine = make_engine(migrated)
    yield engine
    engine.dispose()


@pytest.fixture()
def make_app(migrated, engine, outbox, clock):
    """``make_app(**settings)``: another app (another server process, as it were) on the test
    database, with other settings; the test's clock, and its outbox unless ``mailer`` is
    given."""
    apps = []

    def make(mailer=None, **changes):
        settings = make_settings(migrated, **changes)
        app = create_app(
            settings, password_hasher=CHEAP_HASHER, mailer=mailer or outbox, clock=clock
        )
        database = app.config["services"]["database"]
        if settings.database_url == migrated:
            database.engine = engine
            database.sessionmaker.configure(bind=engine)
        database.start()  # as the engine would (on another database: an engine of its own)
        apps.append(app)
        return app

    yield make
    for app in apps:
        database = app.config["services"]["database"]
        if database.engine is engine:
            database.engine = None  # the test session's engine outlives the test
        database.stop()
        database.unsubscribe()
    with engine.begin() as connection:  # every test starts on empty tables
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture()
def app(make_app):
    return make_app()


@pytest.fixture()
def db(app):
    """A database session of the test's own, outside any request."""
    with app.config["services"]["database"].sessionmaker() as session:
        yield session


@pytest.fixture()
def client(app):
    return webtest.TestApp(app)


def location(response):
    """Path and query of a redirect (CherryPy makes Location absolute, on the request's host)."""
    parts = urlsplit(response.headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


def form(page, action):
    """The form of ``page`` that posts to ``action`` (WebTest's form API)."""
    for candidate in page.forms.values():
        if urlsplit(candidate.action).path == action:
            return candidate
    raise AssertionError(f"no form posting to {action}: {[f.action for f in page.forms.values()]}")


def submit(client, path, action=None, **fields):
    """Open ``path``, fill its form (posting to ``action``, default ``path``), submit it."""
    page_form = form(client.get(path), action or urlsplit(path).path)
    for name, value in fields.items():
        page_form[name] = value
    return page_form.submit(expect_errors=True)


class AuthActions:
    """What a visitor does, through the pages' own forms (their CSRF tokens included)."""

    def __init__(self, client):
        self.client = client

    def register(self, username="alice", email=None, password=PASSWORD, confirmation=None):
        return submit(
            self.client,
            "/auth/register",
            username=username,
            email=f"{username}@example.com" if email is None else email,
            password=password,
            password_confirm=password if confirmation is None else confirmation,
        )

    def login(self, username="alice", password=PASSWORD, next_url=None, **environ):
        path = "/auth/login" + (f"?next={next_url}" if next_url else "")
        page_form = form(self.client.get(path, extra_environ=environ), "/auth/login")
        page_form["username"], page_form["password"] = username, password
        return page_form.submit(expect_errors=True, extra_environ=environ)

    def logout(self):
        return form(self.client.get("/"), "/auth/logout").submit(expect_errors=True)

    def token(self, path="/"):
        """This session's CSRF token, as a page gives it to its forms."""
        return self.client.get(path).html.find("input", {"name": "csrf_token"})["value"]

    def add_note(self, title="A note", body="Its body"):
        return submit(self.client, "/notes", title=title, body=body)

    def delete_note(self, note_id, token=None):
        data = {"csrf_token": token or self.token("/notes")}
        return self.client.post(f"/notes/{note_id}/delete", data, expect_errors=True)

    def change_password(self, current=PASSWORD, new="a brand new password", confirmation=None):
        return submit(
            self.client,
            "/auth/password",
            current_password=current,
            new_password=new,
            new_password_confirm=new if confirmation is None else confirmation,
        )

    def logged_in(self):
        """Whether this client's session is logged in (the notes page, not a redirect)."""
        return self.client.get("/notes").status_int == 200


@pytest.fixture()
def auth(client):
    return AuthActions(client)
