"""/auth: registration, login, logout, password change, and password reset by e-mail."""

import cherrypy
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from . import forms, rules, tokens
from .config import PROJECT_NAME
from .mail import send_mail
from .models import User
from .redirects import safe_next
from .rendering import render, templates
from .sessions import end_sessions
from .tools import current_settings, current_user, flash, log_in, log_out, services, toolbox


def find_user(key, value):
    """The user whose ``key`` (``User.username_key`` or ``User.email_key``) is ``value``
    case-folded, or None."""
    query = select(User).where(key == rules.fold(value))
    return cherrypy.serving.request.db.scalars(query).first()


def set_password(user, password):
    """Give ``user`` a new password; every session of theirs ends (reset tokens die with the old
    hash). The caller logs the current visitor in again, or out."""
    user.password_hash = services()["passwords"].hash(password)
    end_sessions(cherrypy.serving.request.db, user.id)


class Auth:
    def __init__(self):
        self.password_reset = PasswordReset()

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET", "POST"])
    def register(self, username=None, email=None, password=None, password_confirm=None):
        if cherrypy.request.method != "POST":
            return render("auth/register.html", values={}, errors={})
        values, errors = forms.registration(username, email, password, password_confirm)
        if not errors:
            if find_user(User.username_key, values["username"]) is not None:
                errors["username"] = rules.USERNAME_TAKEN
            if find_user(User.email_key, values["email"]) is not None:
                errors["email"] = rules.EMAIL_TAKEN
        if not errors:
            db = cherrypy.request.db
            user = User(
                username=values["username"],
                email=values["email"],
                password_hash=services()["passwords"].hash(values["password"]),
            )
            db.add(user)
            try:
                db.flush()
            except IntegrityError:  # registered by a concurrent request a moment ago
                db.rollback()
                errors["form"] = rules.TAKEN
            else:
                log_in(user)
                flash(f"Welcome, {user.username}!")
                raise cherrypy.HTTPRedirect(cherrypy.url("/notes"), 303)
        values.pop("password")
        return render("auth/register.html", values=values, errors=errors)

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET", "POST"])
    def login(self, username=None, password=None, next=None):
        next_url = safe_next(next)
        if cherrypy.request.method != "POST":
            return render("auth/login.html", values={}, errors={}, next=next_url)
        values, errors = forms.login(username, password)
        if not errors:
            db, throttle = cherrypy.request.db, services()["throttle"]
            address = cherrypy.request.remote.ip
            if throttle.refused(db, values["username"], address):
                cherrypy.response.status = 429
                errors["form"] = rules.TOO_MANY_ATTEMPTS
            else:
                user = find_user(User.username_key, values["username"])
                if services()["passwords"].verify(user, values["password"]):
                    throttle.succeeded(db, values["username"])
                    log_in(user)
                    flash(f"Welcome back, {user.username}!")
                    raise cherrypy.HTTPRedirect(next_url or cherrypy.url("/notes"), 303)
                throttle.failed(db, values["username"], address)
                errors["form"] = rules.INVALID_LOGIN
        values.pop("password")
        return render("auth/login.html", values=values, errors=errors, next=next_url)

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["POST"])
    def logout(self):
        """POST only, and the CSRF tool has checked the token before we get here."""
        log_out()
        raise cherrypy.HTTPRedirect(cherrypy.url("/"), 303)

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET", "POST"])
    @toolbox.login_required()
    def password(self, current_password=None, new_password=None, new_password_confirm=None):
        """Password change: the current password, then the new one twice. This session stays
        logged in (on a new id); every other session of the user ends."""
        if cherrypy.request.method != "POST":
            return render("auth/password.html", errors={})
        values, errors = forms.password_change(current_password, new_password, new_password_confirm)
        user = current_user()
        if not errors and not services()["passwords"].verify(user, values["current_password"]):
            errors["current_password"] = rules.PASSWORD_WRONG
        if errors:
            return render("auth/password.html", errors=errors)
        set_password(user, values["new_password"])
        log_in(user)
        flash(rules.PASSWORD_CHANGED)
        raise cherrypy.HTTPRedirect(cherrypy.url("/notes"), 303)


class PasswordReset:
    """/auth/password-reset: ask for a link by e-mail; the link sets a new password.

    The link (``/auth/password-reset/<token>``) puts its token in the session and redirects to
    ``/auth/password-reset/set-password``, so the token never leaks in a ``Referer``. A token
    (tokens.py) is signed with ``SECRET_KEY``, expires after ``PASSWORD_RESET_MAX_AGE`` seconds
    and dies as soon as the password changes, which makes it single use.
    """

    SESSION_KEY = "password_reset_token"

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET", "POST"])
    def index(self, email=None):
        """The same answer whether or not an account uses the address; a mail only for an
        account, and at most 3 per address per hour."""
        if cherrypy.request.method != "POST":
            return render("auth/password_reset.html", values={}, errors={})
        values, errors = forms.email_address(email)
        if errors:
            return render("auth/password_reset.html", values=values, errors=errors)
        user = find_user(User.email_key, values["email"])
        db = cherrypy.request.db
        if user is not None and services()["throttle"].allow_reset_mail(db, user.email):
            db.commit()  # stored now: no write lock is held while a mail server answers
            self.send_link(user)
        flash(rules.RESET_SENT)
        raise cherrypy.HTTPRedirect(cherrypy.url("/auth/password-reset"), 303)

    @staticmethod
    def send_link(user):
        settings, clock = current_settings(), services()["clock"]
        token = tokens.make_token(
            settings.secret_key, user.id, user.password_hash, now=clock().timestamp()
        )
        link = cherrypy.url(f"/auth/password-reset/{token}", base=settings.base_url)
        minutes = settings.accounts.password_reset_max_age // 60
        body = templates.get_template("auth/password_reset_mail.txt").render(
            user=user, link=link, minutes=minutes
        )
        subject = f"Set a new password for {PROJECT_NAME}"
        send_mail(services()["mailer"], settings.email.sender, user.email, subject, body)

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET"])
    def default(self, token):
        """The link of the mail: keep its token in the session, and go on without it."""
        if self.user_for(token) is None:
            return render("auth/password_reset_invalid.html", message=rules.RESET_INVALID)
        cherrypy.session[self.SESSION_KEY] = token
        raise cherrypy.HTTPRedirect(cherrypy.url("/auth/password-reset/set-password"), 303)

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET", "POST"])
    def set_password(self, password=None, password_confirm=None):
        user = self.user_for(cherrypy.session.get(self.SESSION_KEY))
        if user is None:
            return render("auth/password_reset_invalid.html", message=rules.RESET_INVALID)
        if cherrypy.request.method != "POST":
            return render("auth/password_reset_confirm.html", errors={})
        values, errors = forms.new_password(password, password_confirm)
        if errors:
            return render("auth/password_reset_confirm.html", errors=errors)
        set_password(user, values["password"])
        log_out()
        flash(rules.RESET_DONE)
        raise cherrypy.HTTPRedirect(cherrypy.url("/auth/login"), 303)

    @staticmethod
    def user_for(token):
        """The user a valid, unexpired, unused token is for, or None."""
        user_id = tokens.token_user_id(token)
        if user_id is None or rules.parse_id(user_id) is None:
            return None
        user = cherrypy.request.db.get(User, user_id)
        settings, now = current_settings(), services()["clock"]().timestamp()
        max_age = settings.accounts.password_reset_max_age
        if user is None or not tokens.check_token(
            settings.secret_key, token, user.id, user.password_hash, max_age, now=now
        ):
            return None
        return user
