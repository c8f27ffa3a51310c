"""The public pages: home and the health check."""

import logging

from pyramid.view import view_config
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)


@view_config(route_name="home", request_method="GET", renderer="{{ cookiecutter.project_slug }}:templates/home.jinja2")
def home(request):
    return {}


@view_config(route_name="health", request_method="GET", renderer="json")
def health(request):
    """200 when the database answers a real query, 503 when it does not."""
    try:
        request.dbsession.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.exception("Health check: the database did not answer")
        request.tm.doom()  # pyramid_tm rolls back instead of committing
        request.response.status_code = 503
        return {"status": "error", "database": "error"}
    return {"status": "ok", "database": "ok"}
