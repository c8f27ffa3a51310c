"""Passwords and CSRF tokens."""

import hashlib
import hmac
import secrets

import cherrypy
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2id with argon2-cffi's current defaults; stored hashes carry their own parameters.
password_hasher = PasswordHasher()
# Checked when the username is unknown, so that a wrong name costs as long as a wrong password.
_DUMMY_HASH = password_hasher.hash("not a real password")


def hash_password(password):
    return password_hasher.hash(password)


def verify_password(user, password):
    """True if ``password`` is the user's (``user`` None: spend the same time, then False).

    A hash made with older parameters is replaced by one with the current parameters.
    """
    try:
        password_hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    if user is None:
        return False
    if password_hasher.check_needs_rehash(user.password_hash):
        user.password_hash = password_hasher.hash(password)
    return True


def current_settings():
    """The Settings of the app serving this request (create_app puts them in its config)."""
    return cherrypy.request.app.config["app"]["settings"]


def _csrf_token_for(secret):
    """The form token of a session: its random CSRF secret, signed with the app's SECRET_KEY."""
    key = current_settings().secret_key
    return hmac.new(key.encode(), f"csrf:{secret}".encode(), hashlib.sha256).hexdigest()


def csrf_token():
    """The CSRF token to put in a form, bound to this visitor's session."""
    session = cherrypy.session
    if "csrf_secret" not in session:
        session["csrf_secret"] = secrets.token_urlsafe(32)
    return _csrf_token_for(session["csrf_secret"])


def csrf_token_is_valid(sent):
    secret = cherrypy.session.get("csrf_secret")
    if not secret or not isinstance(sent, str):
        return False
    return hmac.compare_digest(sent, _csrf_token_for(secret))
