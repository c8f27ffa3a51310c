"""The database and the sessions (then db_auth.py: Auth and its tables; notes.py: the notes).

Tables are lazy (web2py's advice for speed): ``db.define_table`` only records a definition, and
the DAL builds the table the first time a request uses it, so each request pays only for the
tables it touches. A table's own settings (validators, widgets) therefore live in its
``on_define``.

Migrations: web2py's DAL compares these table definitions with the database, and creates or
alters the tables to match. Here it does that only in ``python manage.py migrate`` (the
Procfile's release step), never while serving a request. pydal records what it migrated in
the database itself (table ``web2py_filesystem``) instead of ``.table`` files on disk, so a
fresh checkout or a new container sees the real state of the database.

Each request runs only the models it needs (web2py's advice for speed: conditional models, and
no session where a page keeps nothing). A first visit to one of ``PUBLIC_PAGES`` (the home page,
the health check, a 404: no session cookie yet, so nobody is signed in) connects no session and
runs no later model (``response.models_to_run``): no Auth (``auth`` stays None), no table, and
the DAL, which connects on first use, connects only if the page queries.
"""

import datetime
import traceback

from pydal.migrator import InDBMigrator

from {{ cookiecutter.project_slug }}.cookies import SigningCookies, verify_incoming
from {{ cookiecutter.project_slug }}.database import keep_log_open
from {{ cookiecutter.project_slug }}.settings import database_uri

SESSION_COOKIE = f"session_id_{request.application.lower()}"
SESSION_DAYS = 14
# The pages of controllers/default.py that keep nothing in a new session, and need Auth's
# tables only for a signed-in user.
PUBLIC_PAGES = ("index", "health", "not_found")


def public_page():
    return request.controller == "default" and request.function in PUBLIC_PAGES


def first_visit():
    """Whether this is a request for one of PUBLIC_PAGES without a (valid) session cookie.

    Never true for a script (manage.py, the tests' own queries: no request method), which gets
    the session table and every other.
    """
    return (
        public_page()
        and request.env.request_method is not None
        and SESSION_COOKIE not in request.cookies
    )


def configure_sqlite(adapter):
    """SQLite: write-ahead log, so readers never block the writer, and a busy timeout.

    With the log, ``synchronous=NORMAL`` syncs to disk at checkpoints instead of at every
    commit (SQLite's advice for WAL): the database never corrupts, and a commit is lost only
    if the machine itself loses power right after it. The log stays open between requests
    (``database.keep_log_open``), so closing a request's connection does not checkpoint.
    """
    adapter.cursor.execute("PRAGMA journal_mode=WAL")
    adapter.cursor.execute("PRAGMA synchronous=NORMAL")
    keep_log_open(adapter.dbpath)
    adapter.cursor.execute("PRAGMA busy_timeout=15000")


def connect_database(uri, migrate=False, fake_migrate=False):
    sqlite = uri.startswith("sqlite:")
    return DAL(
        uri,
        pool_size=0 if sqlite else 5,
        attempts=1,
        migrate_enabled=migrate,
        fake_migrate_all=fake_migrate,
        lazy_tables=not migrate,  # manage.py migrate builds (and migrates) every table
        adapter_args={"migrator": InDBMigrator},
        table_hash=request.application,
        # sqlite3's own timestamp converter chokes on the ISO "T" that web2py writes into its
        # session table: turned off, pydal parses timestamps itself.
        driver_args={"detect_types": 0, "timeout": 15} if sqlite else {},
        after_connection=configure_sqlite if sqlite else None,
    )


def database_unavailable():
    """Answer 503 (JSON for the health check) when the database does not answer."""
    if request.migrate:  # manage.py, not a request: let the error stop it
        raise  # (re-raises: this runs inside the except clause below)
    logger.exception("The database cannot be reached")
    session.forget(response)
    if request.function == "health":
        body = response.json({"status": "error", "database": "error"})
        raise HTTP(503, body, **{"Content-Type": "application/json"})
    http_error(
        503,
        "Service unavailable",
        "The site cannot reach its database. Try again soon.",
        trace=traceback.format_exc() if settings.debug else None,
    )


try:
    db = connect_database(
        database_uri(settings),
        migrate=bool(request.migrate),
        fake_migrate=bool(request.fake_migrate),
    )
    # Sessions live in the database, so every process (and every machine) shares them, and
    # log-out deletes the session's row. The cookie is signed with SECRET_KEY.
    verify_incoming(request.cookies, settings.secret_key, SESSION_COOKIE)
    response.cookies = SigningCookies(settings.secret_key, SESSION_COOKIE)
    if first_visit():
        session.forget(response)  # no session to read, nothing to keep
    else:
        session.connect(request, response, db=db)
except Exception:
    database_unavailable()


def harden_session_cookie():
    """HttpOnly (web2py's default), SameSite=Lax and Secure; again after log-out."""
    session.samesite("Lax")
    if settings.secure_cookies:
        session.secure()


harden_session_cookie()


def purge_old_sessions():
    """Delete sessions nobody used for longer than the session lifetime."""
    table = db[f"web2py_session_{request.application}"]
    cutoff = request.now - datetime.timedelta(days=SESSION_DAYS)
    return db(table.modified_datetime < cutoff).delete()


if first_visit():
    # Nobody is signed in: the later models (Auth, the tables) are not needed. web2py runs only
    # the models that response.models_to_run matches; these two already ran.
    response.models_to_run = [r"^0_settings\.py$", r"^db\.py$"]
