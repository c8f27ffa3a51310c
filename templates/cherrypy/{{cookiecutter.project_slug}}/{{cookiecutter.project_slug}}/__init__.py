"""{{ cookiecutter.project_name }}: a CherryPy application.

``create_app()`` builds the object tree (``Root`` with ``auth`` and ``notes`` below it), subscribes
the database plugin to the CherryPy engine and mounts the tree with its config. Serve it with
``python -m {{ cookiecutter.project_slug }}`` (development) or gunicorn on ``{{ cookiecutter.project_slug }}.wsgi:application``.
"""

from pathlib import Path

import cherrypy

from . import db
from . import tools as _tools  # noqa: F401 (registers tools.csrf, tools.login_required...)
from .config import load_settings
from .rendering import error_page
from .root import Root
from .sessions import DatabaseSession

SESSION_DAYS = 14
SECURITY_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    (
        "Content-Security-Policy",
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
    ),
]


def app_config(settings, database):
    """The application's config, per path, as CherryPy reads it."""
    return {
        "/": {
            "tools.trailing_slash.on": False,  # /notes is /notes, never a redirect to /notes/
            "tools.response_headers.on": True,
            "tools.response_headers.headers": SECURITY_HEADERS,
            "tools.db.on": True,
            "tools.db.database": database,
            "tools.sessions.on": True,
            "tools.sessions.storage_class": DatabaseSession,
            "tools.sessions.database": database,
            "tools.sessions.timeout": SESSION_DAYS * 24 * 60,
            "tools.sessions.httponly": True,
            "tools.sessions.secure": settings.secure_cookies,
            "tools.samesite_cookie.on": True,
            "tools.csrf.on": True,
            "request.show_tracebacks": settings.debug,
            "request.show_mismatched_params": settings.debug,
            "error_page.default": error_page,
        },
        "/static": {
            "tools.staticdir.on": True,
            "tools.staticdir.dir": str(Path(__file__).parent / "static"),
            "tools.sessions.on": False,
            "tools.db.on": False,
        },
        "app": {"settings": settings, "database": database},
    }


def create_app(settings=None):
    """Mount the app on ``cherrypy.tree`` and return it (a WSGI application).

    ``settings`` default to the environment and .env (see config.py). The database engine is
    created when ``cherrypy.engine`` starts.
    """
    settings = settings or load_settings()
    database = db.Database(cherrypy.engine, settings.database_url)
    database.subscribe()
    return cherrypy.tree.mount(Root(), "", app_config(settings, database))
