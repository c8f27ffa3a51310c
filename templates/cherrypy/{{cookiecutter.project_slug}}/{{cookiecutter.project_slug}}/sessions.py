"""``tools.sessions.storage_class``: CherryPy sessions stored in the database, as JSON.

Every server process sees the same sessions, so a login made through one is valid in all, and a
session ends for good when its row is deleted: at log-out (``regenerate()``), when it expires,
and for all of a user's sessions at once (``end_sessions``) when the password changes. The
session data must be JSON-serialisable (never pickle: a row must not be able to run code). A row
is written only when the session holds data; expired rows are deleted by CherryPy's clean-up
thread (``clean_freq`` minutes) and ignored until then.
"""

import json
import re
from datetime import UTC, datetime

from cherrypy.lib import sessions
from sqlalchemy import delete, func, insert, select, update

from .models import StoredSession

table = StoredSession.__table__
SESSION_ID = re.compile(r"[0-9a-f]{40}")  # what Session.generate_id() makes


def end_sessions(db, user_id):
    """Delete every stored session of ``user_id`` (in the request's transaction ``db``): a copy
    of any of their cookies is anonymous from now on."""
    db.execute(delete(StoredSession).where(StoredSession.user_id == user_id))


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
        if not SESSION_ID.fullmatch(self.id):
            return False  # a forged or garbage cookie: a new session, without a query
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
            else:
                values = {
                    "data": json.dumps(self._data),
                    "expires_at": expiration_time,
                    "user_id": self._data.get("user_id"),
                }
                if self._has_row:
                    # If the row was deleted meanwhile (log-out in another tab, a password
                    # change elsewhere), this updates nothing: an ended session stays ended.
                    connection.execute(update(table).where(table.c.id == self.id).values(values))
                else:
                    connection.execute(insert(table).values(id=self.id, **values))
        self._has_row = bool(self._data)

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
