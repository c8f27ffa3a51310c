"""Security headers on every response.

A WSGI wrapper rather than code in the app, because web2py answers some requests before the
app's models run (static files, malformed URLs) and drops ``response.headers`` on redirects.
"""

SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    (
        "Content-Security-Policy",
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
    ),
)


def with_security_headers(app):
    """Wrap the WSGI ``app`` so that each response carries SECURITY_HEADERS."""

    def application(environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            extra = [(key, value) for key, value in SECURITY_HEADERS if key.lower() not in present]
            return start_response(status, list(headers) + extra, exc_info)

        return app(environ, start)

    return application
