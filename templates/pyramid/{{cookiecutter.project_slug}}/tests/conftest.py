"""Fixtures in the style of Pyramid's starter: settings from an ini file (``--ini``, testing.ini
by default), a migrated database, the app, and a WebTest app whose requests share one
transaction per test, rolled back at its end.

The database is DATABASE_URL from the environment when it is set (PostgreSQL in CI), otherwise
a throw-away SQLite file. Its tables are dropped and migrated again at the start of the run.
Mail goes to pyramid_mailer's DummyMailer (testing.ini), time comes from a clock the tests move,
and passwords are hashed with argon2's cheapest parameters.
"""

import gc
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import alembic.command
import alembic.config
import pytest
import transaction
import webtest
from argon2 import PasswordHasher, profiles
from pyramid.paster import get_appsettings
from pyramid.scripting import prepare
from pyramid.testing import DummyRequest
from pyramid_mailer import get_mailer
from sqlalchemy import delete, text

from {{ cookiecutter.project_slug }} import main, models
from {{ cookiecutter.project_slug }}.models import user
from {{ cookiecutter.project_slug }}.models.meta import Base
from {{ cookiecutter.project_slug }}.settings import database_settings

PROJECT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"


def pytest_addoption(parser):
    parser.addoption("--ini", default=str(PROJECT / "testing.ini"), help="the settings file")


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


class Clock:
    """The app's clock (``registry["clock"]``): the real time, moved on by ``advance()``."""

    def __init__(self):
        self.offset = timedelta()

    def __call__(self):
        return datetime.now(UTC) + self.offset

    def advance(self, seconds):
        self.offset += timedelta(seconds=seconds)


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """argon2id still, at the lowest cost: the tests hash many passwords, and need no strength."""
    cheap = PasswordHasher.from_parameters(profiles.CHEAPEST)
    user.dummy_hash.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(user, "password_hasher", cheap)
        yield
    user.dummy_hash.cache_clear()


@pytest.fixture(scope="session")
def ini_file(request):
    return os.path.abspath(request.config.option.ini)


@pytest.fixture(scope="session")
def app_settings(ini_file, tmp_path_factory):
    settings = get_appsettings(ini_file)
    if not os.environ.get("DATABASE_URL"):
        settings["sqlalchemy.url"] = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    return settings


@pytest.fixture(scope="session")
def clock_instance():
    return Clock()


@pytest.fixture(scope="session")
def dbengine(app_settings):
    engine = models.get_engine(database_settings(app_settings))
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def app(app_settings, dbengine, clock_instance):
    app = main({}, dbengine=dbengine, clock=clock_instance, **app_settings)
    # What is loaded by now lives as long as the run: out of the garbage collector's scans
    # (as gunicorn.conf.py does for the server), its full collections stay cheap.
    gc.freeze()
    return app


@pytest.fixture()
def clock(clock_instance):
    """The app's clock, back at the real time after each test."""
    yield clock_instance
    clock_instance.offset = timedelta()


@pytest.fixture()
def mailer(app):
    """pyramid_mailer's DummyMailer: ``mailer.outbox`` holds what the app sent."""
    dummy = get_mailer(app.registry)
    dummy.outbox.clear()
    return dummy


@pytest.fixture()
def tm():
    """One transaction for the whole test, never committed."""
    tm = transaction.TransactionManager(explicit=True)
    tm.begin()
    tm.doom()
    yield tm
    tm.abort()


@pytest.fixture()
def dbsession(app, dbengine, tm):
    return models.get_tm_session(app.registry["dbsession_factory"], tm)


class TestApp(webtest.TestApp):
    """WebTest's app, with the steps of a user: each form is found on its page by its action
    and submitted through WebTest's form API, with the CSRF token the page gave."""

    def form(self, path, action=None):
        """The form of the page at ``path`` whose action (without its query) is ``action``
        (default: the path of ``path``)."""
        action = urlsplit(action or path).path
        forms = self.get(path).forms.values()
        found = [form for form in forms if urlsplit(form.action).path == action]
        assert found, f"no form with action {action} on {path}"
        return found[0]

    def submit(self, path, action=None, **fields):
        form = self.form(path, action)
        for name, value in fields.items():
            form[name] = value
        return form.submit(status="*")

    def csrf_token(self, path="/auth/login"):
        """The session's CSRF token, as a form of the page at ``path`` carries it."""
        forms = self.get(path).forms.values()
        return next(form for form in forms if "csrf_token" in form.fields)["csrf_token"].value

    def register(self, username="alice", email=None, password=PASSWORD, **fields):
        fields = {"password_confirm": password, **fields}
        email = f"{username}@example.com" if email is None else email
        return self.submit(
            "/auth/register", username=username, email=email, password=password, **fields
        )

    def login(self, username="alice", password=PASSWORD, next_url=None):
        path = "/auth/login" + (f"?next={next_url}" if next_url else "")
        return self.submit(path, username=username, password=password)

    def logout(self):
        return self.form("/", "/auth/logout").submit(status="*")

    def add_note(self, title="A note", body="Its body"):
        return self.submit("/notes", title=title, body=body)

    def delete_note(self, note_id, token=None):
        token = token or self.csrf_token("/notes")
        return self.post(f"/notes/{note_id}/delete", {"csrf_token": token}, status="*")


def make_testapp(app, **environ):
    return TestApp(app, extra_environ={"HTTP_HOST": "example.com", **environ})


@pytest.fixture()
def visitor(app, tm, dbsession, mailer, clock):
    """Makes WebTest apps (one per visitor, each with its own cookies and ``environ``) whose
    requests join the test's transaction: pyramid_tm leaves an active one alone."""

    def make(**environ):
        return make_testapp(
            app, **{"tm.active": True, "tm.manager": tm, "app.dbsession": dbsession, **environ}
        )

    return make


@pytest.fixture()
def testapp(visitor):
    return visitor()


def delete_all_rows(engine):
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))


@pytest.fixture()
def committing_testapp(app, dbengine, mailer, clock):
    """A WebTest app whose requests commit, as in production; the rows it wrote go after."""
    yield make_testapp(app)
    delete_all_rows(dbengine)


@pytest.fixture()
def app_with(app_settings, dbengine, clock):
    """Makes a WebTest app of the app built with other settings (``app_with(debug="true")``).
    Its requests commit; the rows they wrote go after the test. ``dbengine=None`` builds the
    app's own engine from ``sqlalchemy.url``."""

    def make(dbengine=dbengine, **settings):
        settings = {**app_settings, **settings}
        return make_testapp(main({}, dbengine=dbengine, clock=clock, **settings))

    yield make
    delete_all_rows(dbengine)


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
