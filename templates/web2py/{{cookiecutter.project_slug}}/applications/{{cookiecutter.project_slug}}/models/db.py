"""The database, the sessions, Auth with its mailer, and the app's tables.

Tables are lazy (web2py's advice for speed): ``db.define_table`` only records a definition, and
the DAL builds the table the first time a request uses it, so each request pays only for the
tables it touches. A table's own settings (validators, widgets) therefore live in its
``on_define``.

Migrations: web2py's DAL compares these table definitions with the database, and creates or
alters the tables to match. Here it does that only in ``python manage.py migrate`` (the
Procfile's release step), never while serving a request. pydal records what it migrated in
the database itself (table ``web2py_filesystem``) instead of ``.table`` files on disk, so a
fresh checkout or a new container sees the real state of the database.
"""

import datetime
import traceback

from gluon.tools import Auth
from pydal.migrator import InDBMigrator

from {{ cookiecutter.project_slug }} import rules
from {{ cookiecutter.project_slug }}.accounts import Throttle, session_key
from {{ cookiecutter.project_slug }}.cookies import SigningCookies, verify_incoming
from {{ cookiecutter.project_slug }}.database import keep_log_open
from {{ cookiecutter.project_slug }}.settings import HASH_ALGORITHM, configure_mail, database_uri
from {{ cookiecutter.project_slug }}.validators import IS_NOT_TAKEN, IS_RULE, strip

SESSION_COOKIE = f"session_id_{request.application.lower()}"
SESSION_DAYS = 14


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


# -------------------------------------------------------------------------------------------
# Auth, as in web2py's welcome app, on a user table whose rules are its validators. Hosts are
# checked before web2py runs (ALLOWED_HOSTS, wsgi.py), so Auth gets no host_names.
# -------------------------------------------------------------------------------------------
auth = Auth(db, controller="default", function="user", signature=False)


def user_table_rules(table):
    """The user table's validators and widget (its ``on_define``: run when it is built)."""
    table.username.requires = [
        IS_RULE(rules.username_problem, rules.normalize_username),
        IS_NOT_TAKEN(db, table.username_key, error_message=rules.USERNAME_TAKEN),
    ]
    table.email.requires = [
        IS_RULE(rules.email_problem, strip),
        IS_NOT_TAKEN(db, table.email_key, error_message=rules.EMAIL_TAKEN),
    ]
    table.email.widget = lambda field, value, **attributes: SQLFORM.widgets.string.widget(
        field, value, _type="email", **attributes
    )
    table.password.requires = [
        IS_RULE(rules.password_problem),
        CRYPT(digest_alg=HASH_ALGORITHM, min_length=rules.PASSWORD_MIN_LENGTH),
    ]


db.define_table(
    auth.settings.table_user_name,
    Field("username", length=rules.USERNAME_MAX_LENGTH, notnull=True, label="Username"),
    Field("email", length=rules.EMAIL_MAX_LENGTH, notnull=True, label="E-mail"),
    Field("password", "password", length=512, readable=False, label="Password"),
    # The folded username and address (NFKC, then casefold): unique in the database itself,
    # because SQLite's LOWER and LIKE fold ASCII letters only.
    Field(
        "username_key",
        length=rules.USERNAME_MAX_LENGTH * 3,
        unique=True,
        notnull=True,
        compute=lambda row: rules.fold(row["username"]),
    ),
    Field(
        "email_key",
        length=rules.EMAIL_MAX_LENGTH * 3,
        unique=True,
        notnull=True,
        compute=lambda row: rules.fold(row["email"]),
    ),
    Field("session_key", length=64, compute=session_key, readable=False, writable=False),
    Field("registration_key", length=512, writable=False, readable=False, default=""),
    Field("reset_password_key", length=512, writable=False, readable=False, default=""),
    Field("registration_id", length=512, writable=False, readable=False, default=""),
    Field("created_on", "datetime", default=request.utcnow, writable=False, readable=False),
    format="%(username)s",
    on_define=user_table_rules,
)
auth.define_tables(username=True, signature=False)

auth.settings.login_url = URL("default", "login")
auth.settings.password_min_length = rules.PASSWORD_MIN_LENGTH
auth.settings.expiration = SESSION_DAYS * 24 * 3600
auth.settings.remember_me_form = False
auth.settings.renew_session_onlogin = True  # a new session id on login: no session fixation
auth.settings.keep_session_onlogin = True  # (the user is put in the session before renewal)
auth.settings.renew_session_onlogout = True  # log-out deletes the session's row
auth.settings.keep_session_onlogout = False
auth.settings.login_after_registration = True
auth.settings.login_after_password_change = False  # after a reset: log in with it
auth.settings.reset_password_requires_verification = True
auth.settings.logged_url = URL("default", "notes")
auth.settings.register_next = URL("default", "notes")
auth.settings.change_password_next = URL("default", "notes")
auth.messages.register_button = "Register"
auth.messages.password_change_button = "Change password"  # noqa: S105 (a label)
auth.messages.password_reset_button = "Set password"  # noqa: S105 (a label)
auth.messages.mismatched_password = rules.PASSWORD_MISMATCH
auth.messages.invalid_password = rules.PASSWORD_WRONG
auth.messages.invalid_reset_password = rules.RESET_INVALID
auth.messages.logged_out = "You are logged out."
auth.messages.reset_password_subject = f"Set a new password for {APP_TITLE}"

# The password-reset mail goes through web2py's Mail, set up from EMAIL_URL and EMAIL_FROM.
configure_mail(auth.settings.mailer, settings.email)

if auth.user:
    # A new password (changed here, or reset by mail) writes a new session_key: a session
    # that signed in before it ends here.
    current_user = db(db.auth_user.id == auth.user.id).select(db.auth_user.session_key).first()
    if current_user is None or current_user.session_key != auth.user.get("session_key"):
        auth.logout_bare()
        harden_session_cookie()

# Failed sign-ins and reset mails, counted for every worker (see accounts.Throttle).
db.define_table(
    "auth_throttle",
    Field("kind", length=16, notnull=True),
    Field("subject", length=320, notnull=True),
    Field("created_at", "double", notnull=True),  # seconds since the epoch
)
throttle = Throttle(db, "auth_throttle", settings.accounts)
