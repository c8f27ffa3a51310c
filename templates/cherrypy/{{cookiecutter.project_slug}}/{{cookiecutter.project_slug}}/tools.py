"""The app's own CherryPy tools: CSRF check, login required, and the SameSite cookie flag.

They are switched on in the app config (``create_app``) or per controller (``_cp_config``).
"""

from urllib.parse import quote

import cherrypy

from .models import User
from .security import csrf_token_is_valid

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def current_user():
    """The logged-in User of this request, or None."""
    request = cherrypy.serving.request
    if not hasattr(request, "user"):
        user_id = None
        if getattr(cherrypy.serving, "session", None) is not None:
            user_id = cherrypy.session.get("user_id")
        request.user = request.db.get(User, user_id) if user_id is not None else None
    return request.user


@cherrypy.tools.register("before_handler", priority=40)
def csrf():
    """Refuse (403) an unsafe request whose ``csrf_token`` is not this session's token.

    The token is taken out of the parameters, so page handlers never see it. The request body is
    parsed by ``before_handler``, and CherryPy binds handler arguments only when it calls it.
    """
    request = cherrypy.serving.request
    sent = request.params.pop("csrf_token", None)
    if request.method in UNSAFE_METHODS and not csrf_token_is_valid(sent):
        raise cherrypy.HTTPError(403, "The form's security token is missing or invalid.")


@cherrypy.tools.register("before_handler", priority=50)
def login_required():
    """Send anonymous visitors to the login form, which brings them back here afterwards."""
    if current_user() is None:
        request = cherrypy.serving.request
        target = request.path_info + (f"?{request.query_string}" if request.query_string else "")
        raise cherrypy.HTTPRedirect(f"/auth/login?next={quote(target, safe='/')}", 303)


@cherrypy.tools.register("before_request_body", priority=60)
def samesite_cookie(value="Lax"):
    """Add ``SameSite`` to the session cookie, which ``tools.sessions`` (priority 50) has just set.

    CherryPy has no option for it; the flag stays when ``regenerate()`` changes the cookie's value.
    """
    cookie = cherrypy.serving.response.cookie
    name = cherrypy.serving.request.config.get("tools.sessions.name", "session_id")
    if name in cookie:
        cookie[name]["samesite"] = value
