"""Error pages: 404, 405, the forbidden view (login first), bad requests and server errors.

Other HTTP exceptions (a redirect raised by a view) keep Pyramid's own exception view for
``HTTPException``, which is more specific than the ``Exception`` view below: it needs no copy
here. Server errors get a page of our own, with the traceback only when DEBUG is on.
"""

import logging
import traceback

from pyramid.csrf import BadCSRFToken
from pyramid.exceptions import PredicateMismatch
from pyramid.httpexceptions import HTTPMethodNotAllowed, HTTPSeeOther
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config
from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)


@notfound_view_config(renderer="{{ cookiecutter.project_slug }}:templates/errors/404.jinja2")
def not_found(request):
    request.response.status_code = 404
    return {}


@exception_view_config(PredicateMismatch, renderer="{{ cookiecutter.project_slug }}:templates/errors/404.jinja2")
def method_not_allowed(exc, request):
    """A route matched, but none of its views takes this method (``PUT /``): a 405, where
    Pyramid answers 404. Without a matched route it is a 404 like any other."""
    if request.matched_route is not None:
        return HTTPMethodNotAllowed()
    return not_found(request)


@forbidden_view_config(renderer="{{ cookiecutter.project_slug }}:templates/errors/404.jinja2")
def forbidden(request):
    """Anonymous visitors go to the login form (and come back after). A logged-in user was
    refused someone else's note: for them it does not exist."""
    if request.authenticated_userid is None:
        query = {"next": request.path_qs} if request.method == "GET" else {}
        return HTTPSeeOther(location=request.route_path("login", _query=query))
    return not_found(request)


@exception_view_config(BadCSRFToken, renderer="{{ cookiecutter.project_slug }}:templates/errors/400.jinja2")
def bad_csrf_token(request):
    """Pyramid refused the POST before its view ran: nothing was changed."""
    request.response.status_code = 400
    return {"reason": "The form was out of date or not sent by this site. Please try again."}


@exception_view_config(UnicodeDecodeError, renderer="{{ cookiecutter.project_slug }}:templates/errors/400.jinja2")
def undecodable(request):
    """A form or query string that is not UTF-8: WebOb can't read it, nothing is stored."""
    request.response.status_code = 400
    return {"reason": "The request's text is not valid UTF-8."}


def error_page(exc, request, status, message):
    log.error("Error on %s %s", request.method, request.path, exc_info=exc)
    request.response.status_code = status
    details = None
    if request.registry.settings["debug"]:
        details = "".join(traceback.format_exception(exc))
    return {"details": details, "message": message}


@exception_view_config(OperationalError, renderer="{{ cookiecutter.project_slug }}:templates/errors/500.jinja2")
def database_unavailable(exc, request):
    """The database could not be reached (or did not answer): 503, try again later."""
    return error_page(exc, request, 503, "The database is not available right now.")


@exception_view_config(Exception, renderer="{{ cookiecutter.project_slug }}:templates/errors/500.jinja2")
def server_error(exc, request):
    return error_page(exc, request, 500, "Something went wrong on our side.")
