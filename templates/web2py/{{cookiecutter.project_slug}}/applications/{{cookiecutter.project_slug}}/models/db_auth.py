"""Auth, with its mailer and its tables (the user table's rules are its validators), and the
sign-in throttle. db.py made ``db`` and the session first; a first visit to a public page does
not run this model (see db.py).
"""

from gluon.tools import Auth

from {{ cookiecutter.project_slug }} import rules
from {{ cookiecutter.project_slug }}.accounts import Throttle, session_key
from {{ cookiecutter.project_slug }}.settings import HASH_ALGORITHM, configure_mail
from {{ cookiecutter.project_slug }}.validators import IS_NOT_TAKEN, IS_RULE, strip

# -------------------------------------------------------------------------------------------
# Auth, as in web2py's welcome app, on a user table whose rules are its validators. Hosts are
# checked before web2py runs (ALLOWED_HOSTS, wsgi.py), so Auth gets no host_names.
# -------------------------------------------------------------------------------------------
auth = Auth(db, controller="account", function="user", signature=False)


def send_to_login():
    """Where ``@auth.requires_login`` sends anonymous visitors: the login page, then back."""
    here = request.env.web2py_original_uri or URL()
    redirect(URL("account", "login", vars={"next": here}), how=303)


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


auth.settings.login_url = URL("account", "login")
auth.settings.password_min_length = rules.PASSWORD_MIN_LENGTH
# The site has no roles: no group per user. Auth's own log of events (auth_event: each
# registration, login, logout and password change) stays on.
auth.settings.create_user_groups = None
auth.settings.expiration = SESSION_DAYS * 24 * 3600
auth.settings.remember_me_form = False
auth.settings.renew_session_onlogin = True  # a new session id on login: no session fixation
auth.settings.keep_session_onlogin = True  # (the user is put in the session before renewal)
auth.settings.renew_session_onlogout = True  # log-out deletes the session's row
auth.settings.keep_session_onlogout = False
auth.settings.login_after_registration = True
auth.settings.login_after_password_change = False  # after a reset: log in with it
auth.settings.reset_password_requires_verification = True
auth.settings.logged_url = URL("notes", "index")
auth.settings.register_next = URL("notes", "index")
auth.settings.change_password_next = URL("notes", "index")
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


def define_account_tables():
    """The user table, Auth's other tables and the throttle's (lazy: built when first used)."""
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
    # Failed sign-ins and reset mails, counted for every worker (see accounts.Throttle).
    db.define_table(
        "auth_throttle",
        Field("kind", length=16, notnull=True),
        Field("subject", length=320, notnull=True),
        Field("created_at", "double", notnull=True),  # seconds since the epoch
    )


if auth.user or not public_page() or request.env.request_method is None:
    define_account_tables()  # (an anonymous visitor's public page uses none of them)
throttle = Throttle(db, "auth_throttle", settings.accounts)

if auth.user:
    # A new password (changed here, or reset by mail) writes a new session_key: a session
    # that signed in before it ends here.
    current_user = db(db.auth_user.id == auth.user.id).select(db.auth_user.session_key).first()
    if current_user is None or current_user.session_key != auth.user.get("session_key"):
        auth.logout_bare()
        harden_session_cookie()
