"""What the account lifecycle needs on top of web2py's Auth: sign-in throttling, the lifetime of
password-reset keys, and a per-user key that ends a user's sessions when the password changes.

The rules are those of ``env.AccountSettings`` (docs/contract.md §3, "Sign-in throttling"):

- a failed sign-in adds one event for the case-folded username and one for the client address;
- a username with ``login_failures_per_user`` failures, or an address with
  ``login_failures_per_address`` failures, within the last ``login_failure_window`` seconds is
  refused (the login page answers 429), even with the right password;
- a refused attempt adds nothing, so hammering a locked account does not keep it locked;
- a successful sign-in deletes that username's events;
- at most ``reset_mails_per_address`` password-reset mails go to one address per
  ``reset_mail_window`` seconds;
- events that have left their window are deleted whenever one is added: the table stays small.

The events live in the DAL table the models define (``auth_throttle``), migrated by
``manage.py migrate`` like every other table, so every worker and every instance sees them.
"""

import hashlib
import time

from .rules import fold, normalize_username

USERNAME = "username"
ADDRESS = "address"
RESET_MAIL = "reset-mail"
SUBJECT_MAX_LENGTH = 320


def now():
    """The time, in seconds since the epoch (the tests replace this clock)."""
    return time.time()


def moment(seconds_ago=0):
    """The time ``seconds_ago`` seconds before :func:`now`, as the table stores it (seconds since
    the epoch, as a float: a datetime column keeps whole seconds only on SQLite, which would let
    events leave their window up to a second early)."""
    return now() - seconds_ago


class Throttle:
    """The throttling rules over the table ``tablename`` of ``db`` (``kind``, ``subject``,
    ``created_at``), with the numbers of ``accounts`` (an ``env.AccountSettings``). The
    request's transaction commits. The table is looked up when first used (the models' tables
    are lazy: a request that never signs in never builds it)."""

    def __init__(self, db, tablename, accounts):
        self.db, self.tablename = db, tablename
        self.per_user = accounts.login_failures_per_user
        self.per_address = accounts.login_failures_per_address
        self.window = accounts.login_failure_window
        self.reset_mails = accounts.reset_mails_per_address
        self.reset_window = accounts.reset_mail_window

    @property
    def table(self):
        return self.db[self.tablename]

    @staticmethod
    def username_subject(username):
        return fold(normalize_username(username or ""))[:SUBJECT_MAX_LENGTH]

    def _events(self, kind, subject):
        table = self.table
        return self.db((table.kind == kind) & (table.subject == subject))

    def _count(self, kind, subject, seconds):
        return self._events(kind, subject)(self.table.created_at > moment(seconds)).count()

    def _add(self, *events):
        """Add ``(kind, subject)`` events, and delete the events that have left their window."""
        table = self.table
        sign_in = table.kind.belongs((USERNAME, ADDRESS))
        sign_in &= table.created_at <= moment(self.window)
        mail = (table.kind == RESET_MAIL) & (table.created_at <= moment(self.reset_window))
        self.db(sign_in | mail).delete()
        for kind, subject in events:
            self.table.insert(kind=kind, subject=subject, created_at=moment())

    def refused(self, username, address):
        """Whether a sign-in as ``username`` from ``address`` must be refused (429) now."""
        return (
            self._count(USERNAME, self.username_subject(username), self.window) >= self.per_user
            or self._count(ADDRESS, address or "", self.window) >= self.per_address
        )

    def failed(self, username, address):
        """Count a failed sign-in (a wrong password, or an unknown username)."""
        address = (address or "")[:SUBJECT_MAX_LENGTH]
        self._add((USERNAME, self.username_subject(username)), (ADDRESS, address))

    def succeeded(self, username):
        """A sign-in as ``username`` succeeded: its count starts again from zero."""
        self._events(USERNAME, self.username_subject(username)).delete()

    def allow_reset_mail(self, email):
        """Whether a password-reset mail may go to ``email`` now; if so, it is counted."""
        subject = fold(email)[:SUBJECT_MAX_LENGTH]
        if self._count(RESET_MAIL, subject, self.reset_window) >= self.reset_mails:
            return False
        self._add((RESET_MAIL, subject))
        return True


def expire_reset_keys(table, max_age):
    """Void the password-reset keys older than ``max_age`` seconds (``PASSWORD_RESET_MAX_AGE``).

    Auth makes a key ``<unix time>-<uuid4>`` when it mails the link, spends it when the password
    is set, clears it when the password changes, and itself refuses only keys older than a day.
    The time is ten digits until the year 2286, so the keys made before ``now() - max_age`` are
    exactly those that sort before that time followed by "-".
    """
    cutoff = f"{int(now()) - max_age:010d}-"
    key = table.reset_password_key
    return table._db((key > "") & (key < cutoff)).update(reset_password_key="")


def session_key(user):
    """The value of ``auth_user.session_key``: a digest of the password hash.

    The DAL computes it whenever the password is written (registration, change, reset). Auth
    copies it into the session at sign-in, and the models end any session whose copy no longer
    matches the database: a new password ends the user's other sessions.
    """
    return hashlib.sha256(str(user["password"]).encode()).hexdigest()[:40]
