"""Fixtures in the style of Pyramid's starter: a migrated database, the app, and a WebTest app
whose requests share one transaction per test, rolled back at its end.

The database is DATABASE_URL from the environment when it is set (PostgreSQL in CI), otherwise
a throw-away SQLite file. Its tables are dropped and migrated again at the start of the run.
"""

import os
import re

import alembic.command
import alembic.config
import pytest
import transaction
import webtest
from argon2 import PasswordHasher, profiles
from pyramid.scripting import prepare
from pyramid.testing import DummyRequest
from sqlalchemy import delete, text

from {{ cookiecutter.project_slug }} import main, models
from {{ cookiecutter.project_slug }}.models import user
from {{ cookiecutter.project_slug }}.models.meta import Base
from {{ cookiecutter.project_slug }}.settings import database_url

# Read before anything could load .env: tests never touch the database named there.
ENV_DATABASE_URL = os.environ.get("DATABASE_URL")
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct horse battery"


def alembic_config(connection):
    config = alembic.config.Config()
    config.set_main_option("script_location", "{{ cookiecutter.project_slug }}:alembic")
    config.attributes["connection"] = connection
    return config


def migrate(engine):
    """Drop every table, then build them with the migrations, as `alembic upgrade head` does."""
    with engine.begin() as connection:
        Base.metadata.drop_all(connection)
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    with engine.begin() as connection:
        alembic.command.upgrade(alembic_config(connection), "head")


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """argon2id still, at the lowest cost: the tests hash many passwords, and need no strength."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(user, "password_hasher", PasswordHasher.from_parameters(profiles.CHEAPEST))
        yield


@pytest.fixture(scope="session")
def app_settings(tmp_path_factory):
    if ENV_DATABASE_URL:
        url = database_url(ENV_DATABASE_URL, None)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    return {
        "sqlalchemy.url": url,
        "secret_key": "test secret key",
        "secure_cookies": "false",
        "debug": "false",
        "retry.attempts": "3",
    }


@pytest.fixture(scope="session")
def dbengine(app_settings):
    engine = models.get_engine(app_settings)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def app(app_settings, dbengine):
    return main({}, dbengine=dbengine, **app_settings)


@pytest.fixture()
def tm():
    """One transaction for the whole test, never committed."""
    tm = transaction.TransactionManager(explicit=True)
    tm.begin()
    tm.doom()
    yield tm
    tm.abort()


@pytest.fixture()
def dbsession(app, tm):
    return models.get_tm_session(app.registry["dbsession_factory"], tm)


class TestApp(webtest.TestApp):
    """WebTest's app, with the steps of a user: forms filled in with the page's CSRF token."""

    def csrf_token(self, path="/"):
        match = CSRF_INPUT.search(self.get(path).text)
        assert match, f"no CSRF token in {path}"
        return match.group(1)

    def register(self, username="alice", email=None, password=PASSWORD, **fields):
        data = {
            "csrf_token": self.csrf_token("/auth/register"),
            "username": username,
            "email": f"{username}@example.com" if email is None else email,
            "password": password,
            "password_confirm": password,
            **fields,
        }
        return self.post("/auth/register", data, status="*")

    def login(self, username="alice", password=PASSWORD, next_url=None):
        path = "/auth/login" + (f"?next={next_url}" if next_url else "")
        data = {"csrf_token": self.csrf_token(path), "username": username, "password": password}
        return self.post(path, data, status="*")

    def logout(self):
        return self.post("/auth/logout", {"csrf_token": self.csrf_token("/")}, status="*")

    def add_note(self, title="A note", body="Its body"):
        data = {"csrf_token": self.csrf_token("/notes"), "title": title, "body": body}
        return self.post("/notes", data, status="*")

    def delete_note(self, note_id, token=None):
        token = token or self.csrf_token("/notes")
        return self.post(f"/notes/{note_id}/delete", {"csrf_token": token}, status="*")


@pytest.fixture()
def testapp(app, tm, dbsession):
    # Every request joins the test's transaction: pyramid_tm leaves an active one alone.
    return TestApp(
        app,
        extra_environ={
            "HTTP_HOST": "example.com",
            "tm.active": True,
            "tm.manager": tm,
            "app.dbsession": dbsession,
        },
    )


@pytest.fixture()
def committing_testapp(app, dbengine):
    """A WebTest app whose requests commit, as in production; the rows it wrote go after."""
    yield TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    with dbengine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))


@pytest.fixture()
def app_request(app, tm, dbsession):
    """A real request, bound to the app and the test's transaction (to call views directly)."""
    with prepare(registry=app.registry) as env:
        request = env["request"]
        request.host = "example.com"
        request.dbsession = dbsession
        request.tm = tm
        yield request


@pytest.fixture()
def dummy_request(tm, dbsession):
    request = DummyRequest()
    request.host = "example.com"
    request.dbsession = dbsession
    request.tm = tm
    return request
