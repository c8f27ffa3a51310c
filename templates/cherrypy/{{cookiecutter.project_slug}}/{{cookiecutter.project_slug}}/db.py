"""SQLAlchemy the CherryPy way: the engine lives in a bus plugin, each request gets a session tool.

``Database`` is a ``SimplePlugin``: it creates the engine when the CherryPy engine starts and
disposes of it when it stops. Creating an engine opens no connection, so the app starts even when
the database is unreachable, and a server that forks after start-up (gunicorn ``--preload``, see
wsgi.py) gives each worker an empty pool of its own.

``TransactionTool`` (``app.db`` in the app's toolbox) opens one ORM session per request as
``cherrypy.request.db`` and wraps the page handler in its transaction, as CherryPy's
``HandlerWrapperTool`` is made for: committed when the handler returns or raises
``HTTPRedirect`` (how a successful POST answers), rolled back when it raises anything else,
``HTTPError`` included.
"""

import cherrypy
from cherrypy._cptools import HandlerWrapperTool
from cherrypy.process import plugins
from sqlalchemy import MetaData, create_engine
from sqlalchemy.orm import DeclarativeBase, sessionmaker

from . import env, sqlite

POSTGRESQL_CONNECT_TIMEOUT = 5  # seconds: an unreachable server is a 503, not a hung request


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


def make_engine(url, **options):
    """An engine for ``url`` (``DATABASE_URL``'s form: ``postgresql://`` goes through psycopg 3);
    SQLite connections get WAL, a busy timeout and foreign keys (sqlite.py).

    A server's connections are pinged when taken from the pool, so that one the server dropped
    (a restart) is replaced; a SQLite file has no server to drop it, and no ping."""
    url = env.sqlalchemy_url(url)
    if url.startswith("postgresql"):
        options.setdefault("connect_args", {"connect_timeout": POSTGRESQL_CONNECT_TIMEOUT})
    options.setdefault("pool_pre_ping", not url.startswith("sqlite"))
    return sqlite.configure(create_engine(url, **options))


class Database(plugins.SimplePlugin):
    """The app's engine, started and stopped with the CherryPy engine (``cherrypy.engine``)."""

    def __init__(self, bus, url):
        super().__init__(bus)
        self.url = url
        self.engine = None
        self.sessionmaker = sessionmaker(expire_on_commit=False)

    def start(self):
        if self.engine is None:
            self.engine = make_engine(self.url)
            self.sessionmaker.configure(bind=self.engine)

    start.priority = 40  # before the HTTP server (75) takes requests

    def stop(self):
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None


def transaction(next_handler, *args, **kwargs):
    """Run the page handler in the request's transaction (a page that never used the database,
    such as the home page, has none to end)."""
    session = cherrypy.serving.request.db
    try:
        result = next_handler(*args, **kwargs)
    except cherrypy.HTTPRedirect:
        if session.in_transaction():
            session.commit()
        raise
    except BaseException:
        if session.in_transaction():
            session.rollback()
        raise
    if session.in_transaction():
        session.commit()
    return result


class TransactionTool(HandlerWrapperTool):
    """A session per request as ``cherrypy.request.db``, from the app's ``Database`` (the
    ``services`` config section), and the handler wrapped in its transaction."""

    def __init__(self):
        # After the other before_handler tools, so it wraps the handler they leave in place.
        super().__init__(transaction, priority=95)

    def _setup(self):
        super()._setup()
        hooks = cherrypy.serving.request.hooks
        hooks.attach("on_start_resource", self._open, priority=20)
        hooks.attach("on_end_resource", self._close, failsafe=True, priority=80)

    def callable(self, *args, **kwargs):
        if cherrypy.serving.request.handler is not None:  # None: a tool answered (static files)
            super().callable()

    @staticmethod
    def _open():
        request = cherrypy.serving.request
        request.db = request.app.config["services"]["database"].sessionmaker()

    @staticmethod
    def _close():
        request = cherrypy.serving.request
        session = getattr(request, "db", None)
        if session is not None:
            session.close()
            request.db = None
