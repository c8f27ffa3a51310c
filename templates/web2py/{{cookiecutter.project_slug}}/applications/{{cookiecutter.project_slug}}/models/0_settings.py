"""The app's settings, and the error page every later model and controller uses.

web2py runs the files in models/ before every request, in alphabetical order; what they
define (``settings``, ``db``, ``auth`` and the helpers) is global in controllers and views,
like web2py's own ``request``, ``response``, ``session``, ``URL`` and the rest. The settings
are read once per process, from the environment and .env (see .env.example).
"""

import logging
import os

from gluon.template import render

from {{ cookiecutter.project_slug }}.settings import current_settings

APP_TITLE = {{ cookiecutter.project_name | python_string }}
settings = current_settings()
logger = logging.getLogger(f"web2py.app.{request.application}")
response.generic_patterns = []  # no automatic .json/.xml views of an action's variables
response.formstyle = "divs"
response.title = ""
auth = None  # Auth (models/db_auth.py) where it runs; the layout checks it


ALLOWED_METHODS = ("GET", "HEAD", "POST")


def http_error(status, title, message, trace=None):
    """Stop the request with ``status`` and the site's error page (from a model or an action).

    Rendered with web2py's template engine directly, so it works before the controller runs.
    ``trace`` (a traceback, shown only with DEBUG=true) goes on the page.
    """
    if response.session_new:
        session.forget(response)  # a visitor's first request, ending in an error: nothing to keep
    response.title = title
    views = os.path.join(request.folder, "views")
    page = render(
        filename=os.path.join(views, "errors", "page.html"),
        path=views,
        context={**globals(), "title": title, "message": message, "trace": trace},
    )
    raise HTTP(status, page, **{"Content-Type": "text/html; charset=utf-8"})


def logout_form():
    """The header's log-out button: a POST form with a key of its own (see account.logout)."""
    button = BUTTON("Log out", _type="submit")
    form = FORM(button, _action=URL("account", "logout"), _class="inline")
    form.accepts(request.post_vars, session, formname="logout")
    return form


def refuse_forged(form):
    """403 for a POST of ``form`` without a form key this session was given.

    web2py's form keys (hidden ``_formname`` and ``_formkey``, one use each) make ``accepts``
    fail without a message; a forged or replayed post is refused outright instead.
    """
    if request.env.request_method == "POST" and not form.accepted and not form.errors:
        http_error(403, "Forbidden", "The form was not sent from this site, or it has expired.")


def require_post():
    if request.env.request_method != "POST":
        http_error(405, "Method not allowed", "This address does not accept that kind of request.")


def page_not_found():
    http_error(404, "Page not found", "There is nothing at this address.")


if request.env.request_method and request.env.request_method not in ALLOWED_METHODS:
    http_error(405, "Method not allowed", "This address does not accept that kind of request.")
