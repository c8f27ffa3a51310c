"""The app's own CherryPy tools, and what they and the handlers know about the current request.

The tools live in a toolbox of their own, ``toolbox`` (config namespace ``app``), that
``create_app()`` registers with the application, as CherryPy's docs describe for custom
toolboxes: ``app.db``, ``app.csrf``, ``app.login_required`` and ``app.samesite_cookie``. They
are switched on in the app config or per controller (``_cp_config``, or ``@toolbox.x()``).

The request state beside them: the app's ``services`` (settings, database, passwords, mailer,
throttle, clock), the logged-in user, logging in and out, flash messages and CSRF tokens.
"""

import hashlib
import hmac
import secrets
from urllib.parse import quote

import cherrypy
from cherrypy._cptools import Toolbox

from .db import TransactionTool
from .models import User

NAMESPACE = "app"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

toolbox = Toolbox(NAMESPACE)
toolbox.db = TransactionTool()


def services():
    """The app's long-lived objects, from its config's ``services`` section (``create_app``)."""
    return cherrypy.serving.request.app.config["services"]


def current_settings():
    """The settings of the app serving this request (an ``env.Settings``)."""
    return services()["settings"]


def current_user():
    """The logged-in User of this request, or None."""
    request = cherrypy.serving.request
    if not hasattr(request, "user"):
        user_id = None
        if getattr(cherrypy.serving, "session", None) is not None:
            user_id = cherrypy.session.get("user_id")
        request.user = request.db.get(User, user_id) if isinstance(user_id, int) else None
    return request.user


def log_in(user):
    """Log ``user`` in on a fresh session id: the one from before is deleted (no fixation), and
    so is everything it held, its CSRF secret included."""
    session = cherrypy.session
    session.regenerate()
    session.clear()
    session["user_id"] = user.id
    cherrypy.serving.request.user = user


def log_out():
    """End this session: its stored row is deleted, a copy of its cookie is anonymous."""
    session = cherrypy.session
    session.clear()
    session.regenerate()
    cherrypy.serving.request.user = None


def flash(message):
    """Show ``message`` once, on the next page this visitor sees."""
    cherrypy.session["flashes"] = [*cherrypy.session.get("flashes", []), message]


def flashed_messages():
    """The messages waiting for this visitor (the layout shows them); they are shown once."""
    if getattr(cherrypy.serving, "session", None) is None:
        return []
    return cherrypy.session.pop("flashes", [])


def _csrf_token_for(secret):
    """The form token of a session: its random CSRF secret, signed with the app's SECRET_KEY."""
    key = current_settings().secret_key.encode()
    return hmac.new(key, f"csrf:{secret}".encode(), hashlib.sha256).hexdigest()


def csrf_token():
    """The CSRF token to put in a form, bound to this visitor's session (worked out once per
    request and secret: a page of notes has a form per note)."""
    session = cherrypy.session
    if "csrf_secret" not in session:
        session["csrf_secret"] = secrets.token_urlsafe(32)
    secret = session["csrf_secret"]
    request = cherrypy.serving.request
    known = getattr(request, "csrf_token", None)
    if known is None or known[0] != secret:
        known = request.csrf_token = (secret, _csrf_token_for(secret))
    return known[1]


def csrf_token_is_valid(sent):
    secret = cherrypy.session.get("csrf_secret")
    if not secret or not isinstance(sent, str) or not sent.isascii():
        return False
    return hmac.compare_digest(sent, _csrf_token_for(secret))


@toolbox.register("before_handler", priority=40)
def csrf():
    """Refuse (403) an unsafe request whose ``csrf_token`` is not this session's token.

    The token is taken out of the parameters, so page handlers never see it. The request body is
    parsed by ``before_handler``, and CherryPy binds handler arguments only when it calls it.
    """
    request = cherrypy.serving.request
    sent = request.params.pop("csrf_token", None)
    if request.method in UNSAFE_METHODS and not csrf_token_is_valid(sent):
        raise cherrypy.HTTPError(403, "The form's security token is missing or invalid.")


@toolbox.register("before_handler", priority=50)
def login_required():
    """Send anonymous visitors to the login form, which brings them back here afterwards."""
    if current_user() is None:
        request = cherrypy.serving.request
        here = request.script_name + request.path_info
        if request.query_string:
            here += f"?{request.query_string}"
        login = cherrypy.url("/auth/login", qs=f"next={quote(here, safe='/')}")
        raise cherrypy.HTTPRedirect(login, 303)


@toolbox.register("before_request_body", priority=60)
def samesite_cookie(value="Lax"):
    """Add ``SameSite`` to the session cookie, which ``tools.sessions`` (priority 50) has just set.

    CherryPy has no option for it; the flag stays when ``regenerate()`` changes the cookie's value.
    """
    cookie = cherrypy.serving.response.cookie
    name = cherrypy.serving.request.config.get("tools.sessions.name", "session_id")
    if name in cookie:
        cookie[name]["samesite"] = value
