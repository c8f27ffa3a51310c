"""Sign-in throttling and the password-reset mail limit, counted in the database (SQLAlchemy 2).

Every worker and every instance shares the counts because they live in one table of events
(kind, key, time). The rules (docs/contract.md §3, "Sign-in throttling"; §2a):

- a failed sign-in adds one event for the case-folded username and one for the client address;
- a username with ``per_user`` failures, or an address with ``per_address`` failures, within the
  last ``window`` seconds is refused (the caller answers 429), even with the right password;
- a refused attempt adds nothing, so hammering a locked account does not keep it locked;
- a successful sign-in deletes that username's events;
- at most ``reset_mails`` password-reset mails go to one address per ``reset_window`` seconds;
- events that have left their window are deleted whenever one is added: the table stays small.

A project declares the table with :class:`ThrottleEventMixin` on its own declarative base and
ships a migration for it. This file is shared by the Flask, Pyramid and CherryPy templates
(``common/throttle.py`` in the template set).
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, Index, String, delete, func, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from .rules import fold

USERNAME = "username"
ADDRESS = "address"
RESET_MAIL = "reset-mail"
KEY_MAX_LENGTH = 320


class ThrottleEventMixin:
    """The columns of the events table: ``kind`` (username, address, reset-mail), ``key`` (the
    folded username, the address or the folded e-mail address) and ``created_at``."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(KEY_MAX_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

    @declared_attr.directive
    def __table_args__(cls):
        return (Index(f"ix_{cls.__tablename__}_kind_key", "kind", "key", "created_at"),)


def _now():
    return datetime.now(UTC)


class Throttle:
    """The throttling rules over ``model`` (a class made with :class:`ThrottleEventMixin`).

    Every method works in the caller's database session and leaves committing to the caller
    (the request's transaction)."""

    def __init__(
        self,
        model,
        per_user=5,
        per_address=20,
        window=900,
        reset_mails=3,
        reset_window=3600,
        clock=_now,
    ):
        self.model = model
        self.per_user, self.per_address, self.window = per_user, per_address, window
        self.reset_mails, self.reset_window = reset_mails, reset_window
        self.clock = clock

    @classmethod
    def from_settings(cls, model, accounts, clock=_now):
        """A throttle with the numbers of ``env.AccountSettings`` (and ``clock``, which tests
        replace with one they control)."""
        return cls(
            model,
            accounts.login_failures_per_user,
            accounts.login_failures_per_address,
            accounts.login_failure_window,
            accounts.reset_mails_per_address,
            accounts.reset_mail_window,
            clock=clock,
        )

    @staticmethod
    def _key(text):
        return fold(text or "")[:KEY_MAX_LENGTH]

    def _count(self, db, kind, key, seconds):
        since = self.clock() - timedelta(seconds=seconds)
        model = self.model
        query = select(func.count(model.id)).where(
            model.kind == kind, model.key == key, model.created_at > since
        )
        return db.scalar(query)

    def _add(self, db, *events):
        """Add ``(kind, key)`` events, and delete the events that have left their window."""
        now = self.clock()
        model = self.model
        expired_sign_in = model.kind.in_((USERNAME, ADDRESS)) & (
            model.created_at <= now - timedelta(seconds=self.window)
        )
        expired_mail = (model.kind == RESET_MAIL) & (
            model.created_at <= now - timedelta(seconds=self.reset_window)
        )
        db.execute(delete(model).where(expired_sign_in | expired_mail))
        db.add_all(self.model(kind=kind, key=key, created_at=now) for kind, key in events)
        db.flush()

    def refused(self, db, username, address):
        """Whether a sign-in as ``username`` from ``address`` must be refused (429) now."""
        return (
            self._count(db, USERNAME, self._key(username), self.window) >= self.per_user
            or self._count(db, ADDRESS, address or "", self.window) >= self.per_address
        )

    def failed(self, db, username, address):
        """Count a failed sign-in (wrong password, or an unknown username)."""
        self._add(db, (USERNAME, self._key(username)), (ADDRESS, (address or "")[:KEY_MAX_LENGTH]))

    def succeeded(self, db, username):
        """A sign-in as ``username`` succeeded: its count starts again from zero."""
        model = self.model
        db.execute(delete(model).where(model.kind == USERNAME, model.key == self._key(username)))

    def allow_reset_mail(self, db, email):
        """Whether a password-reset mail may go to ``email`` now; if so, it is counted."""
        key = self._key(email)
        if self._count(db, RESET_MAIL, key, self.reset_window) >= self.reset_mails:
            return False
        self._add(db, (RESET_MAIL, key))
        return True
