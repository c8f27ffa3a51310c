"""Database models: users, the notes they own, the stored web sessions, sign-in failures."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .db import Base
from .rules import EMAIL_MAX_LENGTH, USERNAME_MAX_LENGTH, fold
from .throttle import ThrottleEventMixin


def utcnow():
    """Called for every new row, so each gets the time it was inserted."""
    return datetime.now(UTC)


class User(Base):
    """An account. ``username`` is shown as typed (NFKC-normalised); ``username_key`` and
    ``email_key`` are the case-folded values the database keeps unique, so ``Alice`` can't
    register once ``alice`` has (SQLite's ``LOWER`` folds ASCII letters only)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_MAX_LENGTH))
    username_key: Mapped[str] = mapped_column(String(USERNAME_MAX_LENGTH), unique=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH))
    email_key: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    notes: Mapped[list["Note"]] = relationship(
        back_populates="owner", cascade="all, delete-orphan", passive_deletes=True
    )

    @validates("username", "email")
    def _keep_the_key(self, name, value):
        """Whoever sets a username or an address sets its folded key with it."""
        setattr(self, f"{name}_key", fold(value))
        return value

    def __repr__(self):
        return f"<User {self.username!r}>"


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )

    owner: Mapped[User] = relationship(back_populates="notes")

    def __repr__(self):
        return f"<Note {self.id} {self.title!r}>"


class StoredSession(Base):
    """One row per web session (see sessions.py): its data as JSON, when it expires, and the
    user logged in on it, so that all of a user's sessions can be ended at once."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(DateTime(), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )


class ThrottleEvent(ThrottleEventMixin, Base):
    """A failed sign-in (per username and per address) or a password-reset mail (throttle.py)."""

    __tablename__ = "throttle_events"
