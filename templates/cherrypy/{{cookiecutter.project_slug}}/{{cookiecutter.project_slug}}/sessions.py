"""``tools.sessions.storage_class``: CherryPy sessions stored in the database, as JSON.

Every server process sees the same sessions, so a login made through one is valid in all, and a
session ends for good when its row is deleted: at log-out (``regenerate()``), when it expires,
and for all of a user's sessions at once (``end_sessions``) when the password changes. The
session data must be JSON-serialisable (never pickle: a row must not be able to run code). A row
is written only when the session holds data; expired rows are deleted by CherryPy's clean-up
thread (``clean_freq`` minutes) and ignored until then.

A request costs at most one read of its row (none for a new visitor, whose id was just made) and
no write unless the data changed or the expiry is more than ``REFRESH_AFTER`` old.
"""

import json
import re
from datetime import UTC, datetime, timedelta

from cherrypy.lib import sessions
from sqlalchemy import delete, func, insert, select, update

from .models import StoredSession

table = StoredSession.__table__
SESSION_ID = re.compile(r"[0-9a-f]{40}")  # what Session.generate_id() makes
# An unchanged session is written again (to move its expiry on) at most this often.
REFRESH_AFTER = timedelta(minutes=5)


def end_sessions(db, user_id):
    """Delete every stored session of ``user_id`` (in the request's transaction ``db``): a copy
    of any of their cookies is anonymous from now on."""
    db.execute(delete(StoredSession).where(StoredSession.user_id == user_id))


class DatabaseSession(sessions.Session):
    # Given per app by the tool's config, ``tools.sessions.database``: the db.Database plugin.
    database = None

    def __init__(self, id=None, **kwargs):
        self._deleted_ids = []
        self._generated_id = None
        # What the database holds for an id, as read or last written: (id, (data, expires_at)),
        # with None for "no row". One query per request reads it, for _exists and _load both.
        self._stored = None
        super().__init__(id, **kwargs)

    def now(self):
        """Naive UTC, the way the ``expires_at`` column stores it."""
        return datetime.now(UTC).replace(tzinfo=None)

    def generate_id(self):
        self._generated_id = super().generate_id()
        return self._generated_id

    def _row(self):
        """``(data, expires_at)`` stored for this id, or None. An id made here (160 random bits)
        or one that is not of that form (a forged or garbage cookie) has none: no query."""
        if self._stored is None or self._stored[0] != self.id:
            row = None
            if self.id != self._generated_id and SESSION_ID.fullmatch(self.id):
                query = select(table.c.data, table.c.expires_at).where(table.c.id == self.id)
                with self.database.engine.connect() as connection:
                    row = connection.execute(query).first()
            self._stored = (self.id, None if row is None else tuple(row))
        return self._stored[1]

    def _exists(self):
        row = self._row()
        return row is not None and row[1] > self.now()

    def _load(self):
        row = self._row()
        return None if row is None else (json.loads(row[0]), row[1])

    def _save(self, expiration_time):
        stored = self._row()
        data = json.dumps(self._data) if self._data else None
        if data is None and stored is None:
            return  # nothing worth a row: an anonymous visitor, a logged-out session
        if stored is not None and data == stored[0]:
            # Unchanged: the row is written again only to move its expiry on, and that at most
            # once per REFRESH_AFTER (a tenth of the timeout when that is shorter), not on
            # every page a logged-in user opens.
            refresh = min(REFRESH_AFTER, timedelta(minutes=self.timeout) / 10)
            if expiration_time - stored[1] < refresh:
                return
        with self.database.engine.begin() as connection:
            if data is None:
                connection.execute(delete(table).where(table.c.id == self.id))
            else:
                values = {
                    "data": data,
                    "expires_at": expiration_time,
                    "user_id": self._data.get("user_id"),
                }
                if stored is not None:
                    # If the row was deleted meanwhile (log-out in another tab, a password
                    # change elsewhere), this updates nothing: an ended session stays ended.
                    connection.execute(update(table).where(table.c.id == self.id).values(values))
                else:
                    connection.execute(insert(table).values(id=self.id, **values))
        self._stored = (self.id, None if data is None else (data, expiration_time))

    def _delete(self):
        """Deleted in ``save()``, after the request's own transaction has committed: on SQLite a
        write from here (``regenerate()`` inside a handler) would wait for that transaction."""
        self._deleted_ids.append(self.id)
        self._stored = (self.id, None)

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
