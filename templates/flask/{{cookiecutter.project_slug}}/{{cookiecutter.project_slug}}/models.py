"""Database models: users, their notes, their sign-ins, and failed sign-in attempts."""

from datetime import UTC, datetime, timedelta
from functools import cache

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db, login_manager
from .logins import LoginMixin, Logins
from .rules import EMAIL_MAX_LENGTH, USERNAME_MAX_LENGTH, fold, normalize_username
from .throttle import ThrottleEventMixin


def utcnow():
    """Called for every new row, so each gets the time it was inserted."""
    return datetime.now(UTC)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_MAX_LENGTH))
    # NFKC + casefold: unique regardless of case ("Alice" is "alice"), enforced by the database.
    username_key: Mapped[str] = mapped_column(String(USERNAME_MAX_LENGTH), unique=True)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH))
    email_key: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    notes: Mapped[list["Note"]] = relationship(
        back_populates="owner", cascade="all, delete-orphan", passive_deletes=True
    )

    # The sign-in this object was loaded for (not a column): see get_id().
    login_token = None

    @validates("username")
    def _set_username_key(self, _name, username):
        self.username_key = fold(username)
        return username

    @validates("email")
    def _set_email_key(self, _name, email):
        self.email_key = fold(email)
        return email

    @classmethod
    def find_by_username(cls, username):
        """The user whose username is ``username`` whatever its case, or None."""
        key = fold(normalize_username(username))
        return db.session.scalar(select(cls).where(cls.username_key == key))

    @classmethod
    def find_by_email(cls, email):
        """The user whose address is ``email`` whatever its case, or None."""
        return db.session.scalar(select(cls).where(cls.email_key == fold(email.strip())))

    # Password hashing, all of it: werkzeug.security with the app's PASSWORD_HASH_METHOD.

    def set_password(self, password):
        self.password_hash = generate_password_hash(password, method=self._hash_method())

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    @classmethod
    def authenticate(cls, username, password):
        """The user with this username (any case) and password, or None. An unknown username
        costs a hash check too, so that the time taken does not tell which usernames exist."""
        user = cls.find_by_username(username)
        if user is None:
            check_password_hash(cls._dummy_hash(cls._hash_method()), password)
            return None
        return user if user.check_password(password) else None

    @staticmethod
    def _hash_method():
        return current_app.config["PASSWORD_HASH_METHOD"]

    @staticmethod
    @cache
    def _dummy_hash(method):
        """A hash of no one's password, made once per hashing method."""
        return generate_password_hash("not anyone's password", method=method)

    def get_id(self):
        """What Flask-Login keeps in the session: the token of this sign-in, not the user's id
        (Flask-Login's "alternative tokens"). The user is loaded only while the sign-in's row
        exists, so deleting it (log-out, a new password) ends that session on the server."""
        return self.login_token

    def __repr__(self):
        return f"<User {self.username!r}>"


class Note(db.Model):
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


class Login(LoginMixin, db.Model):
    """One sign-in: a session cookie holds its token, this row holds the token's hash."""

    __tablename__ = "logins"


class ThrottleEvent(ThrottleEventMixin, db.Model):
    """A failed sign-in (per username and per address) or a password-reset mail sent."""

    __tablename__ = "throttle_events"


# Sign-ins are kept for two weeks at most; the session cookie ends with the browser session.
logins = Logins(Login, lifetime=timedelta(days=14).total_seconds())


# Flask-Login's user loader runs on every logged-in request: its statement is built once, and
# each request only gives it the token's parameters (building it per request was a tenth of
# GET /notes with 50 notes).
USER_OF_LOGIN = select(User).where(User.id == logins.live_user_id_query().scalar_subquery())


@login_manager.user_loader
def load_user(token):
    """The user of the live sign-in whose token the session holds, or None (anonymous)."""
    if not isinstance(token, str):
        return None
    user = db.session.scalar(USER_OF_LOGIN, logins.live_params(token))
    if user is not None:
        user.login_token = token
    return user
