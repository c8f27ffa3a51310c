"""The security headers of every response (``hardening.SECURITY_HEADERS``).

A WSGI wrapper rather than ``response.headers`` in a model, because web2py answers some
requests before the models run (static files, malformed URLs) and drops ``response.headers``
on redirects.
"""

from .hardening import SECURITY_HEADERS

_HEADERS = tuple(SECURITY_HEADERS.items())


def with_security_headers(app):
    """Wrap the WSGI ``app`` so that each response carries SECURITY_HEADERS."""

    def application(environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            extra = [(key, value) for key, value in _HEADERS if key.lower() not in present]
            return start_response(status, list(headers) + extra, exc_info)

        return app(environ, start)

    return application
