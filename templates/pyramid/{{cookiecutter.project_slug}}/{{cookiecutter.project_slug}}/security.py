"""Who the visitor is, what they may do, and the session, CSRF and header defaults.

The identity is the user whose id the session holds (``SessionAuthenticationHelper``); the
routes' resources carry ACLs (see ``routes.py``) that the policy checks. The session is a
signed cookie, so every process serves the same logged-in user.
"""

from pyramid.authentication import SessionAuthenticationHelper
from pyramid.authorization import ACLHelper, Authenticated, Everyone
from pyramid.csrf import SessionCSRFStoragePolicy, new_csrf_token
from pyramid.request import RequestLocalCache
from pyramid.security import forget, remember
from pyramid.session import SignedCookieSessionFactory
from pyramid.tweens import INGRESS

from .models import User

SESSION_COOKIE = "session"
SESSION_TIMEOUT = 14 * 24 * 60 * 60  # seconds without a visit before the session expires
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    ),
}


class SecurityPolicy:
    """Pyramid 2 security policy: identity from the session, permissions from ACLs."""

    def __init__(self):
        self.helper = SessionAuthenticationHelper()
        self.acl = ACLHelper()
        self.identity_cache = RequestLocalCache(self.load_identity)

    def load_identity(self, request):
        userid = self.helper.authenticated_userid(request)
        if userid is None:
            return None
        return request.dbsession.get(User, userid)

    def identity(self, request):
        """The logged-in ``User``, or None; looked up once per request."""
        return self.identity_cache.get_or_create(request)

    def authenticated_userid(self, request):
        user = self.identity(request)
        return None if user is None else user.id

    def remember(self, request, userid, **kw):
        return self.helper.remember(request, userid, **kw)

    def forget(self, request, **kw):
        return self.helper.forget(request, **kw)

    def principals(self, request):
        principals = [Everyone]
        user = self.identity(request)
        if user is not None:
            principals += [Authenticated, f"u:{user.id}"]
        return principals

    def permits(self, request, context, permission):
        return self.acl.permits(context, self.principals(request), permission)


def start_session(request, user):
    """Log ``user`` in on a fresh session: nothing from before the login survives (no
    fixation), and the CSRF token is new."""
    request.session.invalidate()
    headers = remember(request, user.id)
    new_csrf_token(request)
    return headers


def end_session(request):
    headers = forget(request)
    request.session.invalidate()
    return headers


def security_headers_tween_factory(handler, registry):
    """Add the security headers to every response: pages, redirects, errors and /health."""

    def security_headers_tween(request):
        response = handler(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return security_headers_tween


def includeme(config):
    settings = config.get_settings()
    config.set_session_factory(
        SignedCookieSessionFactory(
            settings["secret_key"],
            cookie_name=SESSION_COOKIE,
            salt="{{ cookiecutter.project_slug }}.session.",
            secure=settings["secure_cookies"],
            httponly=True,
            samesite="Lax",
            max_age=None,  # a browser-session cookie
            timeout=SESSION_TIMEOUT,
            reissue_time=60 * 60,
            hashalg="sha512",
        )
    )
    config.set_security_policy(SecurityPolicy())
    config.set_csrf_storage_policy(SessionCSRFStoragePolicy())
    # Every unsafe request (POST...) needs the session's token, in the form's csrf_token field.
    config.set_default_csrf_options(require_csrf=True)
    config.add_tween(
        "{{ cookiecutter.project_slug }}.security.security_headers_tween_factory", under=INGRESS
    )
