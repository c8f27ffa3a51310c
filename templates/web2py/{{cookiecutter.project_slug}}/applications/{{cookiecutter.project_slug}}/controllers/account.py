"""The account pages: registration, log-in and log-out, password change and reset.

routes.py maps ``/auth/login`` to ``login`` here, and so on. They are web2py's ``Auth`` forms
(``auth.register``, ``auth.change_password``, ``auth.reset_password``, ``auth.logout``), with
the rules on ``db.auth_user``. Two forms are the site's own, because Auth's would break the
contract: the login form (Auth's redirects after a failed attempt, and has no throttling), which
signs in with ``auth.login_bare``; and the reset request (Auth's says whether an address has an
account), which sends Auth's own mail with ``auth.email_reset_password``.
"""

import re
import sqlite3

import psycopg2

from {{ cookiecutter.project_slug }} import rules
from {{ cookiecutter.project_slug }}.accounts import expire_reset_keys
from {{ cookiecutter.project_slug }}.hardening import host_allowed
from {{ cookiecutter.project_slug }}.redirects import safe_next
from {{ cookiecutter.project_slug }}.validators import IS_RULE, strip

# Auth's reset keys: "<unix time>-<uuid4>".
RESET_KEY = re.compile(r"\d{10}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
INTEGRITY_ERRORS = (sqlite3.IntegrityError, psycopg2.IntegrityError)
RESET_MAIL = (
    "Someone asked to set a new password for the account %(username)s on {site}.\n\n"
    "To choose one, open this link within {minutes} minutes (it works once):\n\n"
    "{origin}/auth/password-reset/%(key)s\n\n"
    "If it was not you, ignore this mail: your password stays as it is.\n"
)


def register():
    response.title = "Register"
    try:
        form = auth.register()
    except INTEGRITY_ERRORS:  # the same name or address, registered a moment ago elsewhere
        db.rollback()
        form, message = auth.register(), rules.TAKEN
    else:
        refuse_forged(form)
        message = None
    form["_action"] = URL("account", "register")
    return {"form": form, "message": message}


def sign_in(username, password):
    """The user whose username is ``username`` whatever its case, signed in with Auth, or None.

    An unknown username costs a password check too, so the time taken does not tell.
    """
    user = db.auth_user(username_key=rules.fold(rules.normalize_username(username)))
    if user is None:
        db.auth_user.password.validate(password)
        return None
    return auth.login_bare(user.username, password) or None


def login():
    response.title = "Log in"
    next_url = safe_next(request.get_vars.next)
    form = SQLFORM.factory(
        Field("username", label="Username", requires=IS_RULE(rules.unstorable)),
        Field("password", "password", label="Password", requires=IS_RULE(rules.unstorable)),
        submit_button="Log in",
        table_name="login",
        _action=URL("account", "login", vars={"next": next_url} if next_url else {}),
    )
    message = None
    if form.accepts(request.post_vars, session, formname="login"):
        username, address = form.vars.username, request.env.remote_addr
        if throttle.refused(username, address):
            response.status = 429
            message = rules.TOO_MANY_ATTEMPTS
        elif sign_in(username, form.vars.password):
            throttle.succeeded(username)
            purge_old_sessions()
            redirect(next_url or URL("notes", "index"), how=303)
        else:
            throttle.failed(username, address)
            message = rules.INVALID_LOGIN
    refuse_forged(form)
    return {"form": form, "message": message}


def logout():
    """POST only, with its form key (a GET changes nothing); Auth deletes the session's row."""
    require_post()
    if not FORM().accepts(request.post_vars, session, formname="logout"):
        http_error(403, "Forbidden", "The form was not sent from this site, or it has expired.")
    auth.logout(next=None)
    harden_session_cookie()
    redirect(URL("default", "index"), how=303)


def link_origin():
    """The origin of the links in mails: ``BASE_URL``, else this request's scheme and host.

    Auth would use the Host header as it came (web2py#2603); here it must be one of
    ``ALLOWED_HOSTS`` (wsgi.py refuses the others first), and X-Forwarded-Host is never read.
    """
    if settings.base_url:
        return settings.base_url
    host = request.env.http_host or ""
    if not host_allowed(host, settings.allowed_hosts):
        http_error(400, "Bad request", "This site does not answer to that host name.")
    return f"{request.env.wsgi_url_scheme}://{host}"


def send_reset_mail(email):
    """Auth's reset mail to the account using ``email``, if there is one (3 an hour at most)."""
    user = db.auth_user(email_key=rules.fold(email))
    if user is None or user.registration_key or not throttle.allow_reset_mail(user.email):
        return
    auth.messages.reset_password = RESET_MAIL.format(
        site=APP_TITLE.replace("%", "%%"),
        minutes=max(1, settings.accounts.password_reset_max_age // 60),
        origin=link_origin().replace("%", "%%"),
    )
    if not auth.email_reset_password(user):
        error = auth.settings.mailer.error
        logger.error("The password-reset mail to %s could not be sent: %s", user.email, error)


def password_reset():
    """The reset request. The same answer whether or not an account uses the address."""
    response.title = "Forgot your password?"
    form = SQLFORM.factory(
        Field(
            "email",
            label="E-mail",
            requires=IS_RULE(rules.email_problem, strip),
            widget=db.auth_user.email.widget,
        ),
        submit_button="Send me a link",
        table_name="password_reset",
        _action=URL("account", "password_reset"),
    )
    message = None
    if form.accepts(request.post_vars, session, formname="password_reset"):
        send_reset_mail(form.vars.email)
        message = rules.RESET_SENT
    refuse_forged(form)
    return {"form": form, "message": message}


def reset_password():
    """The mailed link: Auth's reset form, once the key is known to be current.

    Auth keeps the key in the session and redirects to a URL without it, so it never leaks in
    a Referer; it spends the key when the password is set. Keys older than
    ``PASSWORD_RESET_MAX_AGE`` are voided first (Auth's own limit is a day).
    """
    response.title = "Set a new password"
    expire_reset_keys(db.auth_user, settings.accounts.password_reset_max_age)
    key = request.vars.key
    if key is not None and not (
        isinstance(key, str) and RESET_KEY.match(key) and db.auth_user(reset_password_key=key)
    ):
        response.view = "account/reset_invalid.html"
        return {"message": rules.RESET_INVALID}
    auth.messages.password_changed = rules.RESET_DONE
    form = auth.reset_password(next=URL("account", "login"))
    form["_action"] = URL("account", "reset_password")
    refuse_forged(form)
    return {"form": form}


def keep_this_session(form):
    """After a password change: this session goes on, under a new id, with the user's new
    session key (the new password ended every other session, see models/db.py)."""
    auth.user.session_key = db.auth_user(auth.user.id).session_key
    session.renew()


@auth.requires_login(otherwise=send_to_login)
def change_password():
    response.title = "Change your password"
    auth.messages.password_changed = rules.PASSWORD_CHANGED
    form = auth.change_password(onaccept=keep_this_session)
    refuse_forged(form)
    form["_action"] = URL("account", "change_password")
    return {"form": form}
