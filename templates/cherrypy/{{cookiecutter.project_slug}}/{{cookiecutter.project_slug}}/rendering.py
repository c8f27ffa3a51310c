"""Jinja2 pages (CherryPy has no template engine of its own) and the error pages."""

from pathlib import Path

import cherrypy
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from .security import csrf_token, current_settings
from .tools import current_user

templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True),
)
templates.globals["csrf_token"] = csrf_token

ERROR_TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Page not found",
    405: "Method not allowed",
    500: "Server error",
}


def render(template, **context):
    """The page ``template`` for the current request, with the user and settings in context."""
    context.setdefault("user", current_user())
    return templates.get_template(template).render(settings=current_settings(), **context)


def error_page(status, message, traceback, version):
    """``error_page.default``: every error status gets a page of the app's own layout.

    CherryPy passes ``message`` and ``traceback`` HTML-escaped already; the traceback is empty
    unless ``request.show_tracebacks`` is on (DEBUG=true). Nothing here touches the database or
    the session, which may be what failed.
    """
    code = int(status.split()[0])
    cherrypy.serving.response.headers["Content-Type"] = "text/html;charset=utf-8"
    return render(
        "error.html",
        user=None,
        code=code,
        title=ERROR_TITLES.get(code, status),
        message=Markup(message) if code in {400, 403} else "",  # noqa: S704 (escaped by CherryPy)
        traceback=Markup(traceback),  # noqa: S704 (escaped by CherryPy)
    )
