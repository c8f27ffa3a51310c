"""The database, the sessions, Auth and the app's tables.

Migrations: web2py's DAL compares these table definitions with the database, and creates or
alters the tables to match. Here it does that only in ``python manage.py migrate`` (the
Procfile's release step), never while serving a request. pydal records what it migrated in
the database itself (table ``web2py_filesystem``) instead of ``.table`` files on disk, so a
fresh checkout or a new container sees the real state of the database.
"""

import datetime
import logging

from gluon.tools import Auth
from pydal.migrator import InDBMigrator

from {{ cookiecutter.project_slug }}.cookies import SigningCookies, verify_incoming

logger = logging.getLogger(f"web2py.app.{request.application}")
# PBKDF2-HMAC-SHA256 with 600 000 iterations (OWASP 2023); web2py's default is 1000.
HASH_ALGORITHM = "pbkdf2(600000,32,sha256)"
SESSION_COOKIE = f"session_id_{request.application.lower()}"


def configure_sqlite(adapter):
    """SQLite: write-ahead log, so readers never block the writer, and a busy timeout."""
    adapter.cursor.execute("PRAGMA journal_mode=WAL")
    adapter.cursor.execute("PRAGMA busy_timeout=15000")


def connect_database(uri, migrate=False, fake_migrate=False):
    sqlite = uri.startswith("sqlite:")
    return DAL(
        uri,
        pool_size=0 if sqlite else 5,
        attempts=1,
        migrate_enabled=migrate,
        fake_migrate_all=fake_migrate,
        adapter_args={"migrator": InDBMigrator},
        table_hash=request.application,
        # sqlite3's own timestamp converter chokes on the ISO "T" that web2py writes into its
        # session table: turned off, pydal parses timestamps itself.
        driver_args={"detect_types": 0, "timeout": 15} if sqlite else {},
        after_connection=configure_sqlite if sqlite else None,
    )


def strip_value(value, record_id=None):
    """A validator that trims surrounding white space (so "   " counts as empty)."""
    return (value.strip() if isinstance(value, str) else value), None


def database_unavailable():
    """Answer 503 (JSON for the health check) when the database does not answer."""
    if request.migrate:  # manage.py, not a request: let the error stop it
        raise  # (re-raises: this runs inside the except clause below)
    logger.exception("The database cannot be reached")
    session.forget(response)
    if request.function == "health":
        body = response.json({"status": "error", "database": "error"})
        raise HTTP(503, body, **response.headers)
    http_error(503, "Service unavailable", "The site cannot reach its database. Try again soon.")


auth = None  # made below, once the database answers (the error pages' layout checks it)
try:
    db = connect_database(
        settings.database_uri,
        migrate=bool(request.migrate),
        fake_migrate=bool(request.fake_migrate),
    )
    # Sessions live in the database, so every process (and every machine) shares them. The
    # session cookie is signed with SECRET_KEY, and is HttpOnly, SameSite=Lax and Secure.
    verify_incoming(request.cookies, settings.secret_key, SESSION_COOKIE)
    response.cookies = SigningCookies(settings.secret_key, SESSION_COOKIE)
    session.connect(request, response, db=db)
except Exception:
    database_unavailable()


def harden_session_cookie():
    """Cookie flags; called again after logout, which starts a new, empty session."""
    session.samesite("Lax")
    if settings.secure_cookies:
        session.secure()


harden_session_cookie()


def purge_old_sessions():
    """Delete sessions nobody used for longer than the session lifetime."""
    table = db[f"web2py_session_{request.application}"]
    cutoff = request.now - datetime.timedelta(days=settings.session_days)
    return db(table.modified_datetime < cutoff).delete()


auth = Auth(db, controller="default", function="login", signature=False)

db.define_table(
    auth.settings.table_user_name,
    Field("username", length=150, unique=True, notnull=True, label="Username"),
    Field("email", length=254, unique=True, notnull=True, label="E-mail"),
    Field("password", "password", length=512, readable=False, label="Password"),
    Field("registration_key", length=512, writable=False, readable=False, default=""),
    Field("reset_password_key", length=512, writable=False, readable=False, default=""),
    Field("registration_id", length=512, writable=False, readable=False, default=""),
    Field("created_on", "datetime", default=request.utcnow, writable=False, readable=False),
    format="%(username)s",
)
db.auth_user.password.requires = CRYPT(digest_alg=HASH_ALGORITHM, min_length=8)
auth.define_tables(username=True, signature=False)

auth.settings.login_url = URL("default", "login")
auth.settings.expiration = settings.session_days * 24 * 3600
auth.settings.remember_me_form = False
auth.settings.renew_session_onlogin = True  # a new session id on login: no session fixation
auth.settings.keep_session_onlogin = True  # (the user is put in the session before renewal)
auth.settings.renew_session_onlogout = True
auth.settings.keep_session_onlogout = False

db.define_table(
    "note",
    Field(
        "owner",
        "reference auth_user",
        ondelete="CASCADE",
        notnull=True,
        default=auth.user_id,
        writable=False,
        readable=False,
    ),
    Field(
        "title",
        length=200,
        notnull=True,
        label="Title",
        requires=[
            strip_value,
            IS_NOT_EMPTY(error_message="Enter a title."),
            IS_LENGTH(200, error_message="Use at most 200 characters."),
        ],
    ),
    Field(
        "body",
        "text",
        default="",
        label="Note",
        requires=IS_LENGTH(10_000, error_message="Use at most 10000 characters."),
    ),
    Field("created_on", "datetime", default=request.utcnow, writable=False, readable=False),
)
