"""``tools.sessions.storage_class``: CherryPy sessions stored in the database, as JSON.

Every server process sees the same sessions, so a login made through one is valid in all.
The session data must be JSON-serialisable (never pickle: a row must not be able to run code).
A row is written only when the session holds data; expired rows are deleted by CherryPy's
clean-up thread (``clean_freq`` minutes) and ignored until then.
"""

import json
from datetime import UTC, datetime

from cherrypy.lib import sessions
from sqlalchemy import delete, func, insert, select, update

from .models import StoredSession

table = StoredSession.__table__


class DatabaseSession(sessions.Session):
    # Given per app by the tool's config, ``tools.sessions.database``: the db.Database plugin.
    database = None

    def __init__(self, id=None, **kwargs):
        self._deleted_ids = []
        self._has_row = False
        super().__init__(id, **kwargs)

    def now(self):
        """Naive UTC, the way the ``expires_at`` column stores it."""
        return datetime.now(UTC).replace(tzinfo=None)

    def _exists(self):
        query = select(table.c.id).where(table.c.id == self.id, table.c.expires_at > self.now())
        with self.database.engine.connect() as connection:
            return connection.scalar(query) is not None

    def _load(self):
        query = select(table.c.data, table.c.expires_at).where(table.c.id == self.id)
        with self.database.engine.connect() as connection:
            row = connection.execute(query).first()
        self._has_row = row is not None
        return None if row is None else (json.loads(row.data), row.expires_at)

    def _save(self, expiration_time):
        if not self._data and not self._has_row:
            return  # nothing worth a row: an anonymous visitor, a logged-out session
        with self.database.engine.begin() as connection:
            if not self._data:
                connection.execute(delete(table).where(table.c.id == self.id))
                self._has_row = False
                return
            values = {"data": json.dumps(self._data), "expires_at": expiration_time}
            changed = connection.execute(
                update(table).where(table.c.id == self.id).values(**values)
            ).rowcount
            if not changed:
                connection.execute(insert(table).values(id=self.id, **values))
            self._has_row = True

    def _delete(self):
        """Deleted in ``save()``, after the request's own transaction has committed: on SQLite a
        write from here (``regenerate()`` inside a handler) would wait for that transaction."""
        self._deleted_ids.append(self.id)
        self._has_row = False  # the new id that regenerate() gives has none yet

    def save(self):
        if self._deleted_ids:
            with self.database.engine.begin() as connection:
                connection.execute(delete(table).where(table.c.id.in_(self._deleted_ids)))
            self._deleted_ids.clear()
        super().save()

    def clean_up(self):
        if self.database.engine is None:  # the app has stopped
            return
        with self.database.engine.begin() as connection:
            connection.execute(delete(table).where(table.c.expires_at <= self.now()))

    def acquire_lock(self):
        """No row locks: concurrent requests of one session write last-wins, like a cookie."""
        self.locked = True

    def release_lock(self):
        self.locked = False

    def __len__(self):
        query = select(func.count()).select_from(table).where(table.c.expires_at > self.now())
        with self.database.engine.connect() as connection:
            return connection.scalar(query)
