"""{{ cookiecutter.project_slug }}: a CherryPy application.

``create_app()`` builds the object tree (``Root`` with ``auth`` and ``notes`` below it), subscribes
the database plugin to the CherryPy engine, registers the app's toolbox and mounts the tree with
its config. Serve it with ``python -m {{ cookiecutter.project_slug }}`` (development) or gunicorn
on ``{{ cookiecutter.project_slug }}.wsgi:application``.
"""

from pathlib import Path

import cherrypy

from . import db, hardening, mail
from .config import load_settings
from .models import ThrottleEvent, utcnow
from .passwords import Passwords
from .rendering import error_page, error_response
from .root import Root
from .sessions import DatabaseSession
from .throttle import Throttle
from .tools import NAMESPACE, toolbox

SESSION_DAYS = 14


def app_config(settings, services):
    """The application's config, per path, as CherryPy reads it, and its ``services``."""
    return {
        "/": {
            # Host names outside ALLOWED_HOSTS are a 400, and behind TRUSTED_PROXIES the
            # client's address comes from X-Forwarded-For (CherryPy's tools.proxy would believe
            # any peer): hardening.RequestGuard, as WSGI middleware in this app's pipeline.
            "wsgi.pipeline": [("guard", hardening.RequestGuard)],
            "wsgi.guard.allowed_hosts": settings.allowed_hosts,
            "wsgi.guard.trusted_proxies": settings.trusted_proxies,
            # A body over 1 MiB is a 413 from its Content-Length, before anything reads it
            # (CherryPy's request.body.maxbytes stops only once 1 MiB has been read; it stays
            # as the limit for what the guard cannot see, such as a wrong Content-Length).
            "wsgi.guard.max_body": hardening.MAX_BODY_BYTES,
            "request.body.maxbytes": hardening.MAX_BODY_BYTES,
            "request.show_tracebacks": settings.debug,
            "request.show_mismatched_params": settings.debug,
            "request.error_response": error_response,
            "error_page.default": error_page,
            "tools.trailing_slash.on": False,  # /notes is /notes, never a redirect to /notes/
            "tools.response_headers.on": True,
            "tools.response_headers.headers": list(hardening.SECURITY_HEADERS.items()),
            "tools.sessions.on": True,
            "tools.sessions.storage_class": DatabaseSession,
            "tools.sessions.database": services["database"],
            "tools.sessions.timeout": SESSION_DAYS * 24 * 60,
            "tools.sessions.httponly": True,
            "tools.sessions.secure": settings.secure_cookies,
            f"{NAMESPACE}.samesite_cookie.on": True,
            f"{NAMESPACE}.db.on": True,
            f"{NAMESPACE}.csrf.on": True,
        },
        "/static": {
            "tools.staticdir.on": True,
            "tools.staticdir.dir": str(Path(__file__).parent / "static"),
            "tools.sessions.on": False,
            f"{NAMESPACE}.db.on": False,
            f"{NAMESPACE}.csrf.on": False,
        },
        "services": services,
    }


def create_app(settings=None, *, password_hasher=None, mailer=None, clock=utcnow):
    """Mount the app on ``cherrypy.tree`` and return it (a WSGI application).

    ``settings`` default to the environment and .env (see config.py); the database engine is
    created when ``cherrypy.engine`` starts. The tests give a cheap ``password_hasher``, a
    ``mailer`` that keeps what it sends (``mail.Outbox``) and a ``clock`` they move on.
    """
    settings = settings or load_settings()
    database = db.Database(cherrypy.engine, settings.database_url)
    database.subscribe()
    services = {
        "settings": settings,
        "database": database,
        "passwords": Passwords(password_hasher),
        "mailer": mailer or mail.mailer_for(settings.email),
        "throttle": Throttle.from_settings(ThrottleEvent, settings.accounts, clock=clock),
        "clock": clock,
    }
    app = cherrypy.Application(Root(), "", app_config(settings, services))
    app.toolboxes = {**app.toolboxes, NAMESPACE: toolbox}
    return cherrypy.tree.mount(app)
