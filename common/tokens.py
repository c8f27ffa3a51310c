"""Password-reset tokens: signed, expiring, single use (Django's token generator is the model).

A token is ``<user id>-<timestamp>-<signature>`` (base 36, base 36, hex): one URL path segment.
The signature is an HMAC-SHA256, keyed with ``SECRET_KEY``, over the user id, the timestamp and
the user's current password hash, so a token:

- can't be made without the key, nor changed without breaking the signature;
- expires ``max_age`` seconds after it was made;
- dies as soon as the password changes, which makes it single use (setting the password with
  it changes the hash) and voids every older link.

Nothing is stored. Standard library only. This file is shared by the Flask, Pyramid and CherryPy
templates (``common/tokens.py`` in the template set).
"""

import hashlib
import hmac
import time

PURPOSE = b"webcutter.password-reset"


def _base36(number):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, remainder = divmod(number, 36)
        text = digits[remainder] + text
        if not number:
            return text


def _signature(secret_key, user_id, timestamp, password_hash):
    message = f"{user_id}|{timestamp}|{password_hash}".encode()
    key = hashlib.sha256(PURPOSE + b"|" + secret_key.encode()).digest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def make_token(secret_key, user_id, password_hash, now=None):
    """A reset token for the user ``user_id`` whose password hash is ``password_hash``."""
    timestamp = int(time.time() if now is None else now)
    signature = _signature(secret_key, user_id, timestamp, password_hash)
    return f"{_base36(int(user_id))}-{_base36(timestamp)}-{signature}"


def token_user_id(token):
    """The user id a token names (unverified: look the user up, then :func:`check_token`)."""
    parts = token.split("-") if isinstance(token, str) and token.isascii() else []
    if len(parts) != 3 or not parts[0].isalnum() or len(parts[0]) > 13:
        return None
    try:
        return int(parts[0], 36)
    except ValueError:
        return None


def check_token(secret_key, token, user_id, password_hash, max_age, now=None):
    """Whether ``token`` is a valid, unexpired token for this user and current password hash."""
    if token_user_id(token) != user_id or password_hash is None:
        return False
    _, stamp, signature = token.split("-")
    try:
        timestamp = int(stamp, 36)
    except ValueError:
        return False
    expected = _signature(secret_key, user_id, timestamp, password_hash)
    if not hmac.compare_digest(signature, expected):
        return False
    age = (time.time() if now is None else now) - timestamp
    return 0 <= age <= max_age
