"""Fixtures: the site in-process (WebTest on wsgi.application) over a migrated test database.

The database is DATABASE_URL from the environment when it is set (PostgreSQL in CI),
otherwise a throw-away SQLite file; the tables are emptied after each test. Mail goes to a
real SMTP server on a free port (aiosmtpd), whose messages the ``outbox`` fixture holds.
Passwords are hashed with a single PBKDF2 round, and the clock is the ``clock`` fixture's.
"""

import email
import html
import os
import re
import socket
import tempfile
from urllib.parse import quote_from_bytes, urlsplit

import pytest
import webtest
from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Outbox(list):
    """The messages the test SMTP server received, as ``email.message.Message`` objects."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.append(email.message_from_bytes(envelope.content))
        return "250 OK"


OUTBOX = Outbox()
SMTP = Controller(OUTBOX, hostname="127.0.0.1", port=free_port())

# Set before the site reads its settings (and .env, whose values never win over these): the
# tests never touch the database named in .env, nor a real mail server.
ENV_DATABASE_URL = os.environ.get("DATABASE_URL")
os.environ["DATABASE_URL"] = ENV_DATABASE_URL or (
    f"sqlite:///{tempfile.mkdtemp(prefix='web2py-tests-')}/test.sqlite3"
)
os.environ.update(
    SECRET_KEY="test secret key",
    DEBUG="false",
    SECURE_COOKIES="false",
    EMAIL_URL=f"smtp://127.0.0.1:{SMTP.port}",
    EMAIL_FROM="site@example.com",
    ALLOWED_HOSTS="localhost,testserver.example",
    BASE_URL="",
    TRUSTED_PROXIES="",
)
for name in (
    "PASSWORD_RESET_MAX_AGE",
    "LOGIN_FAILURES_PER_USER",
    "LOGIN_FAILURES_PER_ADDRESS",
    "LOGIN_FAILURE_WINDOW",
):
    os.environ[name] = ""

from {{ cookiecutter.project_slug }} import accounts, settings  # noqa: E402

PRODUCTION_HASH = settings.HASH_ALGORITHM
settings.HASH_ALGORITHM = "pbkdf2(1,32,sha256)"  # tests only: one round is enough

SESSION_COOKIE = "session_id_{{ cookiecutter.project_slug }}"
PASSWORD = "correct horse battery"
TABLES = (
    "note",
    "auth_throttle",
    "auth_event",
    "auth_membership",
    "auth_group",
    "auth_user",
    "web2py_session_{{ cookiecutter.project_slug }}",
)


@pytest.fixture(scope="session")
def site():
    """The WSGI application, compiled, on a database that ``manage.py migrate`` prepared."""
    import manage
    import wsgi

    manage.migrate()
    # The application as the release step leaves it: compiled afresh from this source (web2py
    # then parses no template and compiles no code at each request), removed at the end.
    manage.compile_application()
    SMTP.start()
    try:
        yield wsgi.application
    finally:
        SMTP.stop()
        manage.compile_application(remove=True)


@pytest.fixture(scope="session")
def environment(site):
    """web2py's environment for the app, its models run once, for the tests' own queries."""
    import manage

    return manage.app_environment()


def empty_tables(db):
    for name in TABLES:
        db(db[name]).delete()
    db.commit()


@pytest.fixture()
def db(environment):
    """The app's DAL connection, as its models make it."""
    connection = environment["db"]
    yield connection
    connection.rollback()


@pytest.fixture()
def app(site, environment):
    OUTBOX.clear()
    yield webtest.TestApp(site)
    empty_tables(environment["db"])


@pytest.fixture()
def outbox(app):
    return OUTBOX


class Clock:
    """The site's clock (``accounts.now``), moved by the test instead of by waiting."""

    def __init__(self, real):
        self.real, self.offset = real, 0

    def __call__(self):
        return self.real() + self.offset

    def advance(self, seconds):
        self.offset += seconds


@pytest.fixture()
def clock(monkeypatch):
    fake = Clock(accounts.now)
    monkeypatch.setattr(accounts, "now", fake)
    return fake


@pytest.fixture()
def reload_settings(monkeypatch):
    """Settings are read once per process: set variables with ``reload_settings(NAME=value)``
    and the site reads them again now, and once more after the test."""

    def reload(**variables):
        for name, value in variables.items():
            monkeypatch.setenv(name, str(value))
        settings.current_settings.cache_clear()
        return settings.current_settings()

    yield reload
    monkeypatch.undo()
    settings.current_settings.cache_clear()


def form_on(page, action):
    """The form on ``page`` whose action is the path ``action``."""
    for form in page.forms.values():
        if urlsplit(form.action).path == action:
            return form
    raise AssertionError(f"no form posting to {action} on {page.request.path}")


FORM_TAG = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD_TAG = re.compile(r"<(?:input\b([^>]*)>|textarea\b([^>]*)>(.*?)</textarea>)", re.S | re.I)
ATTRIBUTE = re.compile(r'([\w:-]+)(?:\s*=\s*"([^"]*)")?')
UNSENT_TYPES = {"submit", "button", "reset", "image", "file", "checkbox", "radio"}


def attributes(text):
    return {name.lower(): html.unescape(value) for name, value in ATTRIBUTE.findall(text)}


class PageForm:
    """A form of a page as a browser sends it untouched: its action, and the values of its
    named inputs and text areas (hidden form keys included), found with regular expressions.

    The user actions below only fill named fields and submit; WebTest's own form parser (an
    HTML parse of the whole page, the slowest part of a request in these tests) is kept for
    the tests that look at a form's markup (``form_on``).
    """

    def __init__(self, app, action, fields):
        self.app, self.action, self.fields = app, action, fields

    @classmethod
    def all_on(cls, page):
        for form_attributes, body in FORM_TAG.findall(page.text):
            fields = {}
            for input_attributes, area_attributes, area_text in FIELD_TAG.findall(body):
                if input_attributes:
                    field = attributes(input_attributes)
                    if field.get("type", "text").lower() in UNSENT_TYPES:
                        continue
                    value = field.get("value", "")
                else:
                    field, value = attributes(area_attributes), html.unescape(area_text)
                if field.get("name"):
                    fields[field["name"]] = value
            action = attributes(form_attributes).get("action") or page.request.path_qs
            yield cls(page.test_app, action, fields)

    @classmethod
    def on(cls, page, action):
        """The form on ``page`` whose action is the path ``action``."""
        for form in cls.all_on(page):
            if urlsplit(form.action).path == action:
                return form
        raise AssertionError(f"no form posting to {action} on {page.request.path}")

    def __setitem__(self, name, value):
        assert name in self.fields, f"no field {name} in the form posting to {self.action}"
        self.fields[name] = value

    def submit(self, **kwargs):
        return self.app.post(self.action, self.fields, **kwargs)


def text_of(message):
    """The plain-text body of a mail."""
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


class Actions:
    """What a user does, through the pages' own forms (hidden form keys included)."""

    def __init__(self, app):
        self.app = app

    def register(self, username="alice", email=None, password=PASSWORD, confirmation=None):
        form = PageForm.on(self.app.get("/auth/register"), "/auth/register")
        form["username"] = username
        form["email"] = email if email is not None else f"{username}@example.com"
        form["password"] = password
        form["password_two"] = password if confirmation is None else confirmation
        return form.submit(expect_errors=True)

    def login(self, username="alice", password=PASSWORD, next_url=None, **environ):
        path = "/auth/login" + (f"?next={next_url}" if next_url else "")
        form = PageForm.on(self.app.get(path), "/auth/login")
        form["username"] = username
        form["password"] = password
        return form.submit(expect_errors=True, extra_environ=environ)

    def logout(self):
        return PageForm.on(self.app.get("/"), "/auth/logout").submit(expect_errors=True)

    def add_note(self, title="A note", body="Its body"):
        form = PageForm.on(self.app.get("/notes"), "/notes")
        form["title"] = title
        form["body"] = body
        return form.submit(expect_errors=True)

    def delete_form_fields(self):
        """The hidden fields of the delete forms on /notes (one key for all of them)."""
        for form in PageForm.all_on(self.app.get("/notes")):
            if form.action.endswith("/delete"):
                return form.fields
        raise AssertionError("no delete form on /notes")

    def delete_note(self, note_id, fields=None):
        fields = fields if fields is not None else self.delete_form_fields()
        return self.app.post(f"/notes/{note_id}/delete", fields, expect_errors=True)

    def submit_bytes(self, path, action, **values):
        """Submit the form of ``path`` posting to ``action`` with raw (say, not UTF-8) values."""
        form = PageForm.on(self.app.get(path), action)
        fields = {name: value.encode() for name, value in form.fields.items()}
        fields.update(values)
        body = "&".join(f"{name}={quote_from_bytes(value)}" for name, value in fields.items())
        return self.app.post(
            action,
            body.encode(),
            expect_errors=True,
            content_type="application/x-www-form-urlencoded",
        )

    def ask_for_reset(self, email="alice@example.com", **environ):
        form = PageForm.on(
            self.app.get("/auth/password-reset", extra_environ=environ), "/auth/password-reset"
        )
        form["email"] = email
        return form.submit(expect_errors=True, extra_environ=environ)

    def change_password(self, current=PASSWORD, new="a brand new password", confirmation=None):
        form = PageForm.on(self.app.get("/auth/password"), "/auth/password")
        form["old_password"] = current
        form["new_password"] = new
        form["new_password2"] = new if confirmation is None else confirmation
        return form.submit(expect_errors=True)


@pytest.fixture()
def user(app):
    return Actions(app)
