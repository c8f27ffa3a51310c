"""Password reset by e-mail, and password change.

A reset link holds a token of ``tokens.py``: signed with SECRET_KEY, expiring after
PASSWORD_RESET_MAX_AGE seconds, and void as soon as the password changes (so it works once).
Opening the link keeps the token in the session and redirects to a URL without it, so the token
never leaks in a ``Referer``. Setting a new password ends every session of the user; changing
it ends the others and keeps this one, on a new session.
"""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.renderers import render
from pyramid.view import view_config
from pyramid_mailer.message import Message
from sqlalchemy import select

from ..forms import ChangePasswordSchema, Form, PasswordResetSchema, SetPasswordSchema, validate
from ..models import User
from ..rules import (
    ID_MAX,
    PASSWORD_CHANGED,
    PASSWORD_WRONG,
    RESET_DONE,
    RESET_INVALID,
    RESET_SENT,
    fold,
)
from ..security import end_all_sessions, start_session
from ..tokens import check_token, make_token, token_user_id

# The session key of the token while the form is shown, and the token-free URL's last segment.
RESET_TOKEN = "password_reset_token"  # noqa: S105
SET_PASSWORD = "set-password"  # noqa: S105 (never a valid token: see tokens.py)


def reset_link(request, user):
    """The absolute link of a reset mail: on BASE_URL, else on the request's own origin (its
    host is one of ALLOWED_HOSTS: the request guard refused any other)."""
    settings = request.registry.settings
    now = request.registry["clock"]().timestamp()
    token = make_token(settings["secret_key"], user.id, user.password_hash, now=now)
    origin = settings["base_url"] or request.host_url
    return request.route_url("password_reset_confirm", token=token, _app_url=origin)


def send_reset_mail(request, user):
    """Queue the mail in the request's transaction: it leaves when the request commits."""
    context = {"user": user, "link": reset_link(request, user)}
    settings = request.registry.settings
    message = Message(
        sender=settings["email"].sender,
        subject=f"Set a new password for {settings['project_name']}",
        recipients=[user.email],
        body=render("{{ cookiecutter.project_slug }}:templates/mail/password_reset.jinja2", context, request=request),
    )
    request.mailer.send(message)


@view_config(
    route_name="password_reset",
    request_method=("GET", "POST"),
    renderer="{{ cookiecutter.project_slug }}:templates/auth/password_reset.jinja2",
)
def password_reset(request):
    """The same answer whether or not an account uses the address; at most a few mails per
    address per hour (``throttle.py``)."""
    if request.method != "POST":
        return {"form": Form()}
    form = validate(PasswordResetSchema(), request.POST)
    if not form.valid:
        return {"form": form}
    db = request.dbsession
    email = form.data["email"]
    user = db.scalars(select(User).where(User.email_key == fold(email))).first()
    if user is not None and request.registry["throttle"].allow_reset_mail(db, email):
        send_reset_mail(request, user)
    return {"form": Form(), "sent": RESET_SENT}


def reset_user(request, token):
    """The user whose valid reset ``token`` this is, or None."""
    user_id = token_user_id(token)
    if user_id is None or not 1 <= user_id <= ID_MAX:
        return None
    user = request.dbsession.get(User, user_id)
    if user is None:
        return None
    settings = request.registry.settings
    valid = check_token(
        settings["secret_key"],
        token,
        user.id,
        user.password_hash,
        settings["accounts"].password_reset_max_age,
        now=request.registry["clock"]().timestamp(),
    )
    return user if valid else None


@view_config(
    route_name="password_reset_confirm",
    request_method=("GET", "POST"),
    renderer="{{ cookiecutter.project_slug }}:templates/auth/password_reset_confirm.jinja2",
)
def password_reset_confirm(request):
    in_url = request.matchdict["token"] != SET_PASSWORD
    token = request.matchdict["token"] if in_url else request.session.get(RESET_TOKEN)
    user = reset_user(request, token) if isinstance(token, str) else None
    if user is None:
        request.session.pop(RESET_TOKEN, None)
        return {"invalid": RESET_INVALID}
    if in_url and request.method == "GET":
        request.session[RESET_TOKEN] = token
        return HTTPSeeOther(
            location=request.route_path("password_reset_confirm", token=SET_PASSWORD)
        )
    form = Form()
    if request.method == "POST":
        form = validate(SetPasswordSchema(), request.POST)
        if form.valid:
            user.set_password(form.data["password"])
            end_all_sessions(request, user)
            request.session.invalidate()
            request.session.flash(RESET_DONE)
            return HTTPSeeOther(location=request.route_path("login"))
    return {"form": form}


@view_config(
    route_name="password_change",
    request_method=("GET", "POST"),
    permission="change",
    renderer="{{ cookiecutter.project_slug }}:templates/auth/password_change.jinja2",
)
def password_change(request):
    user = request.identity
    form = Form()
    if request.method == "POST":
        form = validate(ChangePasswordSchema(), request.POST)
        if form.valid:
            if not user.check_password(form.data["current_password"]):
                form.error("current_password", PASSWORD_WRONG)
            else:
                user.set_password(form.data["password"])
                end_all_sessions(request, user)
                headers = start_session(request, user)
                request.session.flash(PASSWORD_CHANGED)
                return HTTPSeeOther(location=request.route_path("notes"), headers=headers)
    return {"form": form}
