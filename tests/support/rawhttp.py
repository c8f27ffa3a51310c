"""HTTP requests the way an attacker (or a careful test) sends them: exact paths, and a large body
whose headers go first, so that a server refusing it by its Content-Length can answer before
the body is sent (as it must: "413 before the app reads it")."""

import contextlib
import http.client

from webcutter.runtime import HOST


def post_oversized(port, path, body, headers=None, wait=5.0):
    """POST ``body`` (bytes) to ``path``: headers first; when no answer comes within ``wait``
    seconds, the body. Returns ``(status, body_was_sent)``."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.putrequest("POST", path, skip_host=True, skip_accept_encoding=True)
        all_headers = {
            "Host": f"{HOST}:{port}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": str(len(body)),
            **(headers or {}),
        }
        for name, value in all_headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        connection.sock.settimeout(wait)
        try:  # an early answer: the server refused the request by its headers
            return _status(connection), False
        except TimeoutError:
            pass
        connection.sock.settimeout(60)
        # A server that stopped reading may still have its answer waiting.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.sock.sendall(body)
        return _status(connection), True
    finally:
        connection.close()


def _status(connection):
    response = connection.getresponse()
    response.read()
    return response.status
