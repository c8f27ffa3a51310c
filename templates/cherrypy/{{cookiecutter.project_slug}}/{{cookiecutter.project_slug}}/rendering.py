"""Jinja2 pages (CherryPy has no template engine of its own) and the error pages."""

import sys
from pathlib import Path

import cherrypy
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from .config import PROJECT_NAME
from .tools import csrf_token, current_user, flashed_messages


def url(path, qs=""):
    """A link to ``path`` of this app (``/notes``), under the path the app is mounted on."""
    return cherrypy.url(path, qs, relative="server")


templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(disabled_extensions=("txt",), default=True),  # .txt: mails
)
templates.globals.update(csrf_token=csrf_token, url=url, project_name=PROJECT_NAME)

ERROR_TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Page not found",
    405: "Method not allowed",
    413: "Request too large",
    500: "Server error",
    503: "Service unavailable",
}
# What a database that can't be reached raises (refused, timed out, locked for too long).
DATABASE_UNAVAILABLE = (OperationalError, PoolTimeoutError)


def render(template, **context):
    """The page ``template`` for the current request, with the user and flash messages."""
    context.setdefault("user", current_user())
    context.setdefault("messages", flashed_messages())
    return templates.get_template(template).render(**context)


def error_response():
    """``request.error_response``: an unexpected exception is a 500 page, or a 503 page when it
    says that the database can't be reached. (CherryPy has logged the traceback already.)"""
    error = sys.exc_info()[1]
    cherrypy.HTTPError(503 if isinstance(error, DATABASE_UNAVAILABLE) else 500).set_response()


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
        messages=[],
        code=code,
        title=ERROR_TITLES.get(code, status),
        message=Markup(message) if code in {400, 403} else "",  # noqa: S704 (escaped by CherryPy)
        traceback=Markup(traceback),  # noqa: S704 (escaped by CherryPy)
    )
