"""Small security helpers that need nothing from web2py."""

from urllib.parse import urlsplit


def safe_next(target):
    """Return ``target`` if it is a path on this site, else None (no open redirects)."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
