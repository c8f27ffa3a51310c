"""A user account, with an argon2id password hash."""

import contextlib
import functools
from datetime import datetime
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..rules import EMAIL_MAX_LENGTH, USERNAME_MAX_LENGTH, fold, normalize_username
from .meta import Base, utcnow

if TYPE_CHECKING:
    from .note import Note

password_hasher = PasswordHasher()  # argon2id with argon2-cffi's current recommended costs


class User(Base):
    """An account. ``username`` and ``email`` are kept as typed (the username NFKC-normalised);
    the database keeps them unique through their case-folded keys, which SQLite's ``LOWER``
    could not give (it folds ASCII letters only)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_MAX_LENGTH))
    username_key: Mapped[str] = mapped_column(String(USERNAME_MAX_LENGTH * 3), unique=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH))
    email_key: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH * 3), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    notes: Mapped[list["Note"]] = relationship(
        back_populates="owner", cascade="all, delete-orphan", passive_deletes=True
    )

    @validates("username")
    def _set_username_key(self, _key, username):
        username = normalize_username(username)
        self.username_key = fold(username)
        return username

    @validates("email")
    def _set_email_key(self, _key, email):
        email = email.strip()
        self.email_key = fold(email)
        return email

    def set_password(self, password):
        self.password_hash = password_hasher.hash(password)

    def check_password(self, password):
        """True when ``password`` is right; an outdated hash is upgraded on the way."""
        try:
            password_hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if password_hasher.check_needs_rehash(self.password_hash):
            self.set_password(password)
        return True

    def __repr__(self):
        return f"<User {self.username!r}>"


@functools.cache
def dummy_hash():
    """A hash with ``password_hasher``'s costs, checked when a username is unknown. Made on the
    first such sign-in, not at import: hashing at production costs takes about half a second
    of CPU, which every start of the app (and of its tests) would pay."""
    return password_hasher.hash("not a real password")


def waste_a_password_check(password):
    """As slow as ``User.check_password``, for a username that does not exist."""
    with contextlib.suppress(VerificationError):
        password_hasher.verify(dummy_hash(), password)
