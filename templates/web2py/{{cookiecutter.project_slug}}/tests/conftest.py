"""Fixtures: the site in-process (WebTest on wsgi.application) over a migrated test database.

The database is DATABASE_URL from the environment when it is set (PostgreSQL in CI),
otherwise a throw-away SQLite file. The tests empty its tables after each test.
"""

import os
import tempfile
from urllib.parse import urlsplit

import pytest
import webtest

# Set before the site reads its settings (and .env, whose values never win over these): the
# tests never touch the database named in .env.
ENV_DATABASE_URL = os.environ.get("DATABASE_URL")
os.environ["DATABASE_URL"] = ENV_DATABASE_URL or (
    f"sqlite://{tempfile.mkdtemp(prefix='web2py-tests-')}/test.sqlite3"
)
os.environ["SECRET_KEY"] = "test secret key"
os.environ["DEBUG"] = "false"
os.environ["SECURE_COOKIES"] = "false"

SESSION_COOKIE = "session_id_{{ cookiecutter.project_slug }}"
PASSWORD = "correct horse battery"
TABLES = ("note", "auth_event", "auth_membership", "auth_user",
          "web2py_session_{{ cookiecutter.project_slug }}")


@pytest.fixture(scope="session")
def site():
    """The WSGI application, on a database that ``manage.py migrate`` prepared."""
    import manage
    import wsgi

    manage.migrate()
    return wsgi.application


def database():
    """The app's DAL connection, as its models make it."""
    import manage

    return manage.app_environment()["db"]


def empty_tables():
    db = database()
    for name in TABLES:
        db(db[name]).delete()
    db.commit()
    db.close()


@pytest.fixture()
def db(site):
    connection = database()
    yield connection
    connection.rollback()
    connection.close()


@pytest.fixture()
def app(site):
    yield webtest.TestApp(site)
    empty_tables()


@pytest.fixture()
def reload_settings():
    """Settings are read once per process; this rereads them now and after the test."""
    from {{ cookiecutter.project_slug }}.settings import current_settings

    current_settings.cache_clear()
    yield current_settings
    current_settings.cache_clear()


def form_on(page, action):
    """The form on ``page`` whose action is the path ``action``."""
    for form in page.forms.values():
        if urlsplit(form.action).path == action:
            return form
    raise AssertionError(f"no form posting to {action} on {page.request.path}")


class Actions:
    """What a user does, through the pages' own forms (hidden form keys included)."""

    def __init__(self, app):
        self.app = app

    def register(self, username="alice", email=None, password=PASSWORD, confirmation=None):
        form = form_on(self.app.get("/auth/register"), "/auth/register")
        form["username"] = username
        form["email"] = email if email is not None else f"{username}@example.com"
        form["password"] = password
        form["password_again"] = password if confirmation is None else confirmation
        return form.submit(expect_errors=True)

    def login(self, username="alice", password=PASSWORD, next_url=None):
        path = "/auth/login" + (f"?next={next_url}" if next_url else "")
        form = form_on(self.app.get(path), "/auth/login")
        form["username"] = username
        form["password"] = password
        return form.submit(expect_errors=True)

    def logout(self):
        return form_on(self.app.get("/"), "/auth/logout").submit(expect_errors=True)

    def add_note(self, title="A note", body="Its body"):
        form = form_on(self.app.get("/notes"), "/notes")
        form["title"] = title
        form["body"] = body
        return form.submit(expect_errors=True)

    def delete_form_fields(self):
        """The hidden fields of the delete forms on /notes (one key for all of them)."""
        page = self.app.get("/notes")
        for form in page.forms.values():
            if form.action.endswith("/delete"):
                return {name: field.value for name, [field] in form.fields.items() if name}
        raise AssertionError("no delete form on /notes")

    def delete_note(self, note_id, fields=None):
        fields = fields if fields is not None else self.delete_form_fields()
        return self.app.post(f"/notes/{note_id}/delete", fields, expect_errors=True)


@pytest.fixture()
def user(app):
    return Actions(app)
