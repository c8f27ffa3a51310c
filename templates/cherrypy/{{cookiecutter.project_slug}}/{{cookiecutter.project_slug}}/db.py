"""SQLAlchemy the CherryPy way: the engine lives in a bus plugin, each request gets a session tool.

``Database`` is a ``SimplePlugin``: it creates the engine when the CherryPy engine starts (in each
server process, after any fork) and disposes of it when it stops. Creating an engine opens no
connection, so the app starts even when the database is unreachable.

``tools.db`` opens one ORM session per request as ``cherrypy.request.db`` and runs the page handler
inside its transaction: committed when the handler returns or raises ``HTTPRedirect`` (how a
successful POST answers), rolled back when it raises anything else, ``HTTPError`` included.
"""

import sqlite3

import cherrypy
from cherrypy.process import plugins
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, sessionmaker


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
    engine = create_engine(url, pool_pre_ping=True, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _configure_sqlite)
    return engine


def _configure_sqlite(dbapi_connection, _connection_record):
    """SQLite: write-ahead log so readers never block the writer, a busy timeout so writers
    wait for each other instead of failing, and enforced foreign keys."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


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


class TransactionTool(cherrypy.Tool):
    """``tools.db``: a session per request as ``cherrypy.request.db`` (``tools.db.database``)."""

    def __init__(self):
        super().__init__("on_start_resource", self._open, priority=20)

    def _setup(self):
        super()._setup()
        hooks = cherrypy.serving.request.hooks
        # After the other before_handler tools, so it wraps the handler they leave in place.
        hooks.attach("before_handler", self._wrap_handler, priority=95)
        hooks.attach("on_end_resource", self._close, failsafe=True, priority=80)

    @staticmethod
    def _open(database):
        cherrypy.serving.request.db = database.sessionmaker()

    @staticmethod
    def _wrap_handler():
        request = cherrypy.serving.request
        handler = request.handler
        if handler is None:  # another tool answered already (static files)
            return

        def transactional(*args, **kwargs):
            session = request.db
            try:
                result = handler(*args, **kwargs)
            except cherrypy.HTTPRedirect:
                session.commit()
                raise
            except BaseException:
                session.rollback()
                raise
            session.commit()
            return result

        request.handler = transactional

    @staticmethod
    def _close():
        session = getattr(cherrypy.serving.request, "db", None)
        if session is not None:
            session.close()
            cherrypy.serving.request.db = None


cherrypy.tools.db = TransactionTool()
