"""Where a user may be sent after logging in: the ``next`` parameter, checked.

One source for the generated projects (common/redirects.py in the webcutter template set), so
that every framework refuses the same open redirects.
"""

from urllib.parse import urlsplit


def safe_next(target):
    """Return ``target`` if it is a path on this site, else None (no open redirects).

    Refused: anything but a string starting with one "/" (so "//evil.example" and
    "https://evil.example"), backslashes (browsers read "/\\evil.example" as "//evil.example"),
    control characters, and anything urlsplit reads as having a scheme or a host.
    """
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
