"""What every webcutter app does to each request and response for safety, in one place.

- the security headers of every response, and the Content-Security-Policy of every page;
- which ``Host`` a request may name (``ALLOWED_HOSTS``; anything else is a 400);
- the client's address: the socket peer, or, when that peer is a trusted reverse proxy, the
  right-most ``X-Forwarded-For`` entry that is not itself a trusted proxy (as Werkzeug's ProxyFix
  reads it, but trusting proxies by address rather than by count);
- the largest request body (1 MiB; a larger one is a 413 before the app reads it).

Frameworks with machinery of their own for a rule use it with these values (Django's
ALLOWED_HOSTS, Flask's TRUSTED_HOSTS and MAX_CONTENT_LENGTH); :class:`RequestGuard` is a WSGI
middleware for the rest. Standard library only.

This file is shared by every webcutter template (``common/hardening.py`` in the template set).
"""

import ipaddress

MAX_BODY_BYTES = 1024 * 1024
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "object-src 'none'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
}


def split_host(host):
    """``(name, port)`` of a ``Host`` header value: lower-case name (IPv6 in brackets), port or
    None. A value that is not a host name gives ``("", None)``."""
    host = (host or "").strip().lower()
    if host.startswith("["):
        if "]" not in host:
            return "", None
        name, _, rest = host.partition("]")
        name += "]"
        port = rest[1:] if rest.startswith(":") else None
        if rest and not rest.startswith(":"):
            return "", None
    else:
        name, _, port = host.partition(":")
        port = port or None
    if port is not None and not port.isdigit():
        return "", None
    if not name or any(char in name for char in "/\\@?#% \t"):
        return "", None
    return name.rstrip("."), port


def host_allowed(host, allowed_hosts):
    """Whether a request for ``host`` (a Host header) may be served, Django's way: an exact name,
    ``.example.com`` for the domain and its subdomains, ``*`` for anything."""
    name, _ = split_host(host)
    if not name:
        return False
    for pattern in allowed_hosts:
        pattern = pattern.lower().rstrip(".")
        if pattern == "*" or name == pattern:
            return True
        if pattern.startswith(".") and (name == pattern[1:] or name.endswith(pattern)):
            return True
    return False


def _address(text):
    try:
        return str(ipaddress.ip_address(text.strip().strip("[]")))
    except ValueError:
        return None


def client_address(remote_addr, forwarded_for, trusted_proxies):
    """The address of the client: ``remote_addr`` (the socket peer), unless that peer is one of
    ``trusted_proxies``; then the right-most address of ``forwarded_for`` that is not a trusted
    proxy (a proxy appends the address it saw, so entries further left are the client's claims)."""
    peer = _address(remote_addr or "") or (remote_addr or "")
    if peer not in trusted_proxies or not forwarded_for:
        return peer
    entries = [_address(part) for part in forwarded_for.split(",")]
    for entry in reversed(entries):
        if entry is None:
            return peer  # an entry a proxy did not write: trust nothing further left
        if entry not in trusted_proxies:
            return entry
    return entries[0] if entries and entries[0] else peer


def _page(status, title, text):
    body = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1><p>{text}</p></body></html>"
    ).encode()
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
    headers += list(SECURITY_HEADERS.items())
    return status, headers, body


class RequestGuard:
    """WSGI middleware: 400 for a Host outside ``allowed_hosts`` (None: not checked here), 413
    for a body over ``max_body`` bytes (None: not checked here), and ``REMOTE_ADDR`` set to the
    client's address when the peer is one of ``trusted_proxies`` (the peer is kept in
    ``webcutter.peer_addr``)."""

    def __init__(
        self, app, allowed_hosts=None, trusted_proxies=frozenset(), max_body=MAX_BODY_BYTES
    ):
        self.app = app
        self.allowed_hosts = allowed_hosts
        self.trusted_proxies = frozenset(trusted_proxies)
        self.max_body = max_body

    def __call__(self, environ, start_response):
        if self.allowed_hosts is not None:
            host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
            if not host_allowed(host, self.allowed_hosts):
                return self._refuse(
                    start_response,
                    "400 Bad Request",
                    "Bad request",
                    "This site does not answer to that host name.",
                )
        if self.max_body is not None:
            length = environ.get("CONTENT_LENGTH") or "0"
            if not length.isdigit() or int(length) > self.max_body:
                return self._refuse(
                    start_response,
                    "413 Content Too Large",
                    "Too large",
                    "The request is larger than this site accepts.",
                )
            if environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked":
                return self._refuse(
                    start_response,
                    "411 Length Required",
                    "Length required",
                    "Send the request with a Content-Length.",
                )
        if self.trusted_proxies:
            peer = environ.get("REMOTE_ADDR", "")
            environ["webcutter.peer_addr"] = peer
            environ["REMOTE_ADDR"] = client_address(
                peer, environ.get("HTTP_X_FORWARDED_FOR", ""), self.trusted_proxies
            )
        return self.app(environ, start_response)

    @staticmethod
    def _refuse(start_response, status, title, text):
        _, headers, body = _page(status, title, text)
        start_response(status, headers)
        return [body]
