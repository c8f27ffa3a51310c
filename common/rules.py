"""The rules of the contract's form fields, in one place: limits, messages, normalisation.

Each framework applies them through its own form layer (WTForms validators, Django forms, a
Pyramid form module, CherryPy handlers, web2py validators on the tables); this module only says
what is allowed. Standard library only.

This file is shared by every webcutter template (``common/rules.py`` in the template set): change
a rule there, not in one project.
"""

import re
import unicodedata

USERNAME_MAX_LENGTH = 150
EMAIL_MAX_LENGTH = 254
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 1024  # hashing a longer one is work an attacker would like to cause
TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 10_000
# The largest id a 32-bit INTEGER column holds (a 64-bit one: ID_MAX_64).
ID_MAX = 2**31 - 1
ID_MAX_64 = 2**63 - 1

USERNAME_PATTERN = re.compile(r"^[\w.@+-]+\Z")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z")

REQUIRED = "This field is required."
USERNAME_TOO_LONG = f"Use at most {USERNAME_MAX_LENGTH} characters."
USERNAME_CHARACTERS = "Use letters, digits and @ . + - _ only, without spaces."
USERNAME_TAKEN = "That username is already taken."
EMAIL_INVALID = "Enter a valid e-mail address."
EMAIL_TAKEN = "An account already uses that e-mail address."
TAKEN = "That username or e-mail address is already registered."
PASSWORD_LENGTH = f"Use between {PASSWORD_MIN_LENGTH} and {PASSWORD_MAX_LENGTH} characters."
PASSWORD_MISMATCH = "The passwords do not match."  # noqa: S105 (a message)
PASSWORD_WRONG = "Your current password is not correct."  # noqa: S105 (a message)
TITLE_TOO_LONG = f"Use at most {TITLE_MAX_LENGTH} characters."
BODY_TOO_LONG = f"Use at most {BODY_MAX_LENGTH} characters."
UNSTORABLE = "Remove the control character (such as NUL) or invalid text from this field."
INVALID_LOGIN = "Invalid username or password"
TOO_MANY_ATTEMPTS = "Too many failed sign-in attempts. Try again in a few minutes."
RESET_SENT = "If an account uses that address, we have sent it a link to set a new password."
RESET_INVALID = "This password-reset link is invalid or has expired."
RESET_DONE = "Your password has been set. You can log in with it now."
PASSWORD_CHANGED = "Your password has been changed."  # noqa: S105 (a message)


def unstorable(value):
    """A message when ``value`` holds text no database should be given: a NUL character
    (PostgreSQL refuses it in text columns) or a lone surrogate (not encodable as UTF-8)."""
    if not isinstance(value, str):
        return None
    if "\x00" in value or any("\ud800" <= char <= "\udfff" for char in value):
        return UNSTORABLE
    return None


def normalize_username(value):
    """The username as stored and shown: NFKC-normalised (``ﬁle`` is ``file``), trimmed."""
    return unicodedata.normalize("NFKC", value).strip()


def fold(value):
    """The case-folded key that makes names and addresses unique regardless of case: NFKC,
    then ``casefold()``, then NFKC again (so that folding twice changes nothing)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())


def username_problem(value):
    """Why ``value`` (normalised) can't be a username, or None. Its folded key must fit the
    limit too (``ß`` folds to ``ss``), so that a column of the same length can store it."""
    if not value:
        return REQUIRED
    if unstorable(value):
        return UNSTORABLE
    if len(value) > USERNAME_MAX_LENGTH or len(fold(value)) > USERNAME_MAX_LENGTH:
        return USERNAME_TOO_LONG
    if not USERNAME_PATTERN.match(value):
        return USERNAME_CHARACTERS
    return None


def email_problem(value):
    """Why ``value`` (trimmed) can't be an e-mail address, or None. Its folded key must fit the
    limit too (NFKC makes ``ﷺ`` 18 characters), so that a column of the same length can store
    it."""
    if not value:
        return REQUIRED
    if unstorable(value):
        return UNSTORABLE
    if len(value) > EMAIL_MAX_LENGTH or len(fold(value)) > EMAIL_MAX_LENGTH:
        return EMAIL_INVALID
    if not EMAIL_PATTERN.match(value):
        return EMAIL_INVALID
    return None


def password_problem(password, confirmation=None):
    """Why ``password`` (and its ``confirmation``, when the form has one) can't be set, or None."""
    if unstorable(password) or unstorable(confirmation):
        return UNSTORABLE
    if not PASSWORD_MIN_LENGTH <= len(password or "") <= PASSWORD_MAX_LENGTH:
        return PASSWORD_LENGTH
    if confirmation is not None and password != confirmation:
        return PASSWORD_MISMATCH
    return None


def title_problem(value):
    """Why ``value`` (trimmed) can't be a note's title, or None."""
    if not value:
        return REQUIRED
    if unstorable(value):
        return UNSTORABLE
    if len(value) > TITLE_MAX_LENGTH:
        return TITLE_TOO_LONG
    return None


def body_problem(value):
    """Why ``value`` can't be a note's body, or None (an empty body is fine)."""
    if unstorable(value):
        return UNSTORABLE
    if len(value or "") > BODY_MAX_LENGTH:
        return BODY_TOO_LONG
    return None


def parse_id(value, maximum=ID_MAX):
    """``value`` (from a URL) as a row id: a positive integer within the column's range, written
    in plain ASCII digits; anything else is None (the page answers 404)."""
    text = str(value)
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if 1 <= number <= maximum else None
