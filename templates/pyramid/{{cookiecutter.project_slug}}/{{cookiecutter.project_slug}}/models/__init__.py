"""The database: engine, sessions bound to the request's transaction, and the models.

pyramid_tm runs every request in one transaction (committed when the view returns, rolled
back when it raises), zope.sqlalchemy joins the SQLAlchemy session to it, and pyramid_retry
runs a request again after a retryable conflict. Views never commit.
"""

import zope.sqlalchemy
from sqlalchemy import engine_from_config
from sqlalchemy.orm import configure_mappers, sessionmaker

from .. import sqlite
from .login import Login
from .meta import Base
from .note import Note
from .throttle_event import ThrottleEvent
from .user import User

__all__ = [
    "Base",
    "Login",
    "Note",
    "ThrottleEvent",
    "User",
    "get_engine",
    "get_session_factory",
    "get_tm_session",
]

# Every model is imported above: check their relationships now, not on the first request.
configure_mappers()


def get_engine(settings, prefix="sqlalchemy."):
    """The engine for ``settings["sqlalchemy.url"]``. It connects lazily: the app starts without a
    reachable database, and /health says when it cannot reach it. SQLite gets the WAL journal,
    a busy timeout and enforced foreign keys (``sqlite.py``)."""
    options = {"pool_pre_ping": True}
    if settings[prefix + "url"].startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": 5}
    return sqlite.configure(engine_from_config(settings, prefix, **options))


def get_session_factory(engine):
    return sessionmaker(bind=engine)


def get_tm_session(session_factory, transaction_manager, request=None):
    """A session joined to ``transaction_manager``: committed or aborted with it.

    Outside a request (a script, a test) use it like this::

        with transaction.manager as tm:
            dbsession = get_tm_session(session_factory, tm)
    """
    dbsession = session_factory(info={"request": request})
    zope.sqlalchemy.register(dbsession, transaction_manager=transaction_manager)
    return dbsession


def includeme(config):
    """``request.dbsession``: one session per request, in the request's transaction."""
    settings = config.get_settings()
    settings["tm.manager_hook"] = "pyramid_tm.explicit_manager"
    # pyramid_tm would look the user up (a query) before the exception views are in place, so
    # an unreachable database would escape them instead of giving the 503 page.
    settings["tm.annotate_user"] = False
    config.include("pyramid_tm")
    # A body too large for the request guard is not copied for retrying (security.py).
    retry_hook = "{{ cookiecutter.project_slug }}.security.retry_attempts"
    settings.setdefault("retry.activate_hook", retry_hook)
    config.include("pyramid_retry")

    # The tests pass an engine of their own.
    dbengine = settings.get("dbengine") or get_engine(settings)
    session_factory = get_session_factory(dbengine)
    config.registry["dbsession_factory"] = session_factory

    def dbsession(request):
        # The tests put a session in the environ, to run every request in their transaction.
        session = request.environ.get("app.dbsession")
        if session is None:
            session = get_tm_session(session_factory, request.tm, request=request)
        return session

    config.add_request_method(dbsession, reify=True)
