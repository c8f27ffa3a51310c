"""A signed session cookie: web2py's session id, with an HMAC of it made with SECRET_KEY.

web2py keeps the session in the database and names it in a cookie ``<record id>:<uuid4>``.
Signing that value means a cookie this site did not issue is dropped before the database is
asked, and changing SECRET_KEY logs everybody out.
"""

import base64
import hashlib
import hmac
from http.cookies import SimpleCookie

SEPARATOR = "."


def signature(secret_key, name, value):
    digest = hmac.new(secret_key.encode(), f"{name}={value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign(secret_key, name, value):
    return f"{value}{SEPARATOR}{signature(secret_key, name, value)}"


def unsign(secret_key, name, signed):
    """The value of a cookie this site signed, or None for anything else."""
    value, separator, sent = (signed or "").rpartition(SEPARATOR)
    if not separator or not value:
        return None
    if hmac.compare_digest(sent, signature(secret_key, name, value)):
        return value
    return None


class SigningCookies(SimpleCookie):
    """Outgoing cookies (web2py's ``response.cookies``) that sign the cookie called ``name``."""

    def __init__(self, secret_key, name):
        self.secret_key, self.name = secret_key, name
        super().__init__()

    def __setitem__(self, key, value):
        if key == self.name and isinstance(value, str):
            value = sign(self.secret_key, key, value)
        super().__setitem__(key, value)


def verify_incoming(cookies, secret_key, name):
    """Replace the signed cookie ``name`` in ``cookies`` by its value, or drop it if forged."""
    morsel = cookies.get(name)
    if morsel is None:
        return
    value = unsign(secret_key, name, morsel.value)
    if value is None:
        del cookies[name]
    else:
        cookies[name] = value
