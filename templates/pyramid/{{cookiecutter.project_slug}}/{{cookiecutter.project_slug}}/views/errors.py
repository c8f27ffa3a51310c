"""Error pages: 404, the forbidden view (login first), CSRF refusals and server errors."""

import logging
import traceback

from pyramid.csrf import BadCSRFToken
from pyramid.httpexceptions import HTTPException, HTTPSeeOther
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config

log = logging.getLogger(__name__)


@notfound_view_config(renderer="errors/404.jinja2")
def not_found(request):
    request.response.status_code = 404
    return {}


@forbidden_view_config(renderer="errors/404.jinja2")
def forbidden(request):
    """Anonymous visitors go to the login form (and come back after). A logged-in user was
    refused someone else's note: for them it does not exist."""
    if request.authenticated_userid is None:
        query = {"next": request.path_qs} if request.method == "GET" else {}
        return HTTPSeeOther(location=request.route_path("login", _query=query))
    request.response.status_code = 404
    return {}


@exception_view_config(BadCSRFToken, renderer="errors/400.jinja2")
def bad_csrf_token(request):
    """Pyramid refused the POST before its view ran: nothing was changed."""
    request.response.status_code = 400
    return {"reason": "The form was out of date or not sent by this site. Please try again."}


@exception_view_config(HTTPException)
def http_exception(exc, request):
    """Other HTTP errors and redirects raised by a view are responses of their own."""
    return exc


@exception_view_config(Exception, renderer="errors/500.jinja2")
def server_error(exc, request):
    log.error("Error on %s %s", request.method, request.path, exc_info=exc)
    request.response.status_code = 500
    details = None
    if request.registry.settings["debug"]:
        details = "".join(traceback.format_exception(exc))
    return {"details": details}
