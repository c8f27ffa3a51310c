"""Small security helpers shared by the blueprints."""

from urllib.parse import urlsplit

from flask import session
from flask_login import login_user


def safe_next(target):
    """Return ``target`` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def start_session(user):
    """Log ``user`` in on a fresh session: nothing from before login survives (no fixation)."""
    session.clear()
    login_user(user)
