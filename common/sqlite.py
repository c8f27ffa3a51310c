"""SQLite as a production-like database (SQLAlchemy 2): the settings every connection gets.

- ``journal_mode=WAL``: readers never block the writer, the writer never blocks readers;
- ``busy_timeout``: a writer waits up to 15 s for the lock instead of failing at once with
  "database is locked" (ten parallel writers through two workers all land);
- ``foreign_keys=ON``: SQLite enforces foreign keys only when asked.

This file is shared by the Flask, Pyramid and CherryPy templates (``common/sqlite.py`` in the
template set).
"""

import sqlite3

from sqlalchemy import event

PRAGMAS = ("journal_mode=WAL", "busy_timeout=15000", "foreign_keys=ON")


def configure_connection(dbapi_connection, _connection_record=None):
    """A ``connect`` event listener: applies :data:`PRAGMAS` to a new SQLite connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        for pragma in PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()


def configure(engine):
    """Apply the pragmas to every connection ``engine`` opens (a no-op for other databases)."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", configure_connection)
    return engine
