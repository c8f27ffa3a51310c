"""Password hashing: argon2id."""

from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Passwords:
    """Password hashing with argon2-cffi's ``PasswordHasher`` (argon2id; its current defaults
    unless ``create_app(password_hasher=...)`` gives another, as the tests do). Stored hashes
    carry their own parameters, so a change of parameters rehashes at the next login."""

    def __init__(self, hasher=None):
        self.hasher = hasher or PasswordHasher()

    @cached_property
    def _dummy_hash(self):
        """Checked when the username is unknown, so that a wrong name costs as long as a wrong
        password. Made at the first such sign-in, not at start-up (a hash takes as long as a
        sign-in, and every server process would pay it before its first request)."""
        return self.hasher.hash("not a real password")

    def hash(self, password):
        return self.hasher.hash(password)

    def verify(self, user, password):
        """True if ``password`` is the user's (``user`` None: spend the same time, then False).

        A hash made with other parameters is replaced by one with the current parameters.
        """
        try:
            self.hasher.verify(user.password_hash if user else self._dummy_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if user is None:
            return False
        if self.hasher.check_needs_rehash(user.password_hash):
            user.password_hash = self.hasher.hash(password)
        return True
