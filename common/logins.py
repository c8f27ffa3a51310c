"""Server-side records of sign-ins, for sessions kept in a signed cookie (SQLAlchemy 2).

A signed cookie can't be taken back: a copy made before log-out would stay logged in. So each
sign-in gets a row holding the hash of a random token; the session cookie carries the token, and
a request is logged in only while its row exists (docs/contract.md §3, "Sessions"):

- log-out deletes this session's row (other devices stay logged in);
- a password change deletes the user's other rows; a reset deletes all of them;
- rows older than the session lifetime are deleted at every sign-in.

Only the token's SHA-256 is stored, so a copy of the database can't be replayed as cookies. A
project declares the table with :class:`LoginMixin` on its own declarative base (naming its user
table in ``__user_table__``) and ships a migration for it. This file is shared by the Flask and
Pyramid templates (``common/logins.py`` in the template set).
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, ForeignKey, String, bindparam, delete, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


class LoginMixin:
    """The columns of the sign-ins table: the token's hash, the user, when it began."""

    __user_table__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

    @declared_attr
    def user_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey(f"{cls.__user_table__}.id", ondelete="CASCADE"), index=True)


class Logins:
    """Sign-in records in ``model`` (a class made with :class:`LoginMixin`), kept for
    ``lifetime`` seconds. Methods work in the caller's session; the caller commits."""

    def __init__(self, model, lifetime):
        self.model = model
        self.lifetime = lifetime

    def _oldest(self):
        return datetime.now(UTC) - timedelta(seconds=self.lifetime)

    def start(self, db, user_id):
        """Record a sign-in of ``user_id``; returns the token for the session cookie."""
        db.execute(delete(self.model).where(self.model.created_at < self._oldest()))
        token = secrets.token_urlsafe(32)
        db.add(
            self.model(token_hash=token_hash(token), user_id=user_id, created_at=datetime.now(UTC))
        )
        db.flush()
        return token

    def live_user_id_query(self):
        """The query of the user id of a live sign-in, with the parameters ``token_hash`` and
        ``oldest`` that :meth:`live_params` gives for a token. A caller that builds its own
        statement around it once (at import) and runs it with those parameters saves building
        and hashing a new statement on every request: SQLAlchemy then reuses the statement's
        cache key and compiled SQL."""
        return select(self.model.user_id).where(
            self.model.token_hash == bindparam("token_hash"),
            self.model.created_at >= bindparam("oldest"),
        )

    def live_params(self, token):
        """The parameters of :meth:`live_user_id_query` for the sign-in with ``token``."""
        return {"token_hash": token_hash(token or ""), "oldest": self._oldest()}

    def user_id_query(self, token):
        """A query of the user id of a live sign-in with ``token`` (join it, or run it)."""
        return self.live_user_id_query().params(self.live_params(token))

    def user_id(self, db, token):
        """The user id of a live sign-in with ``token``, or None."""
        if not isinstance(token, str) or not token:
            return None
        return db.scalar(self.user_id_query(token))

    def end(self, db, token):
        """Log-out: this sign-in is over."""
        if isinstance(token, str) and token:
            db.execute(delete(self.model).where(self.model.token_hash == token_hash(token)))

    def end_all(self, db, user_id, keep=None):
        """Every sign-in of ``user_id`` is over, but for the one with token ``keep``."""
        query = delete(self.model).where(self.model.user_id == user_id)
        if keep:
            query = query.where(self.model.token_hash != token_hash(keep))
        db.execute(query)
