"""Who the visitor is, what they may do, and the session, CSRF, throttling and request defaults.

The session is a signed cookie, so every process serves the same logged-in user. A signed
cookie can't be taken back, so the identity does not come from the cookie alone: a sign-in
writes a ``Login`` row and keeps its token in the session, and a request is logged in only while
that row exists (``logins.py``). Log-out deletes the row, so a copy of the cookie taken before
is anonymous afterwards; a password change or reset deletes the user's other rows. The routes'
resources carry ACLs (see ``routes.py``) that the policy checks.
"""

from urllib.parse import unquote_to_bytes

from pyramid.authorization import ACLHelper, Authenticated, Everyone
from pyramid.csrf import SessionCSRFStoragePolicy, new_csrf_token
from pyramid.httpexceptions import HTTPBadRequest, HTTPLengthRequired, HTTPRequestEntityTooLarge
from pyramid.request import RequestLocalCache
from pyramid.security import forget, remember
from pyramid.session import SignedCookieSessionFactory
from pyramid.tweens import INGRESS
from sqlalchemy import select

from .hardening import MAX_BODY_BYTES, SECURITY_HEADERS, client_address, host_allowed
from .logins import Logins
from .models import Login, ThrottleEvent, User
from .models.meta import utcnow
from .throttle import Throttle

SESSION_COOKIE = "session"
SESSION_TIMEOUT = 14 * 24 * 60 * 60  # seconds without a visit before the session expires
LOGIN_TOKEN = "login"  # noqa: S105 (the session key of the sign-in's token)
FORM = "application/x-www-form-urlencoded"


class SecurityPolicy:
    """Pyramid 2 security policy: identity from a live sign-in, permissions from ACLs."""

    def __init__(self, logins):
        self.logins = logins
        self.acl = ACLHelper()
        self.identity_cache = RequestLocalCache(self.load_identity)
        # Built once: each request only gives it the token's parameters, so SQLAlchemy reuses
        # the statement's cache key and compiled SQL instead of building it again.
        self.user_of_login = select(User).where(User.id.in_(logins.live_user_id_query()))

    def load_identity(self, request):
        token = request.session.get(LOGIN_TOKEN)
        if not isinstance(token, str) or not token:
            return None
        params = self.logins.live_params(token)
        return request.dbsession.scalars(self.user_of_login, params).first()

    def identity(self, request):
        """The logged-in ``User``, or None; looked up once per request."""
        return self.identity_cache.get_or_create(request)

    def authenticated_userid(self, request):
        user = self.identity(request)
        return None if user is None else user.id

    def remember(self, request, userid, **kw):
        """Sign ``userid`` in: a new ``Login`` row, its token in the session."""
        request.session[LOGIN_TOKEN] = self.logins.start(request.dbsession, userid)
        self.identity_cache.clear(request)
        return []

    def forget(self, request, **kw):
        """This sign-in is over, on the server too."""
        self.logins.end(request.dbsession, request.session.pop(LOGIN_TOKEN, None))
        self.identity_cache.clear(request)
        return []

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


def end_all_sessions(request, user):
    """Every sign-in of ``user`` is over (a password change or reset): the ones on other
    devices, and copies of this session's cookie."""
    request.registry["logins"].end_all(request.dbsession, user.id)


def security_headers_tween_factory(handler, registry):
    """Add the security headers to every response: pages, redirects, errors and /health.

    The debug toolbar's own pages (development.ini only, for this machine only) run inline
    scripts in a frame: they get every header but the Content-Security-Policy."""
    includes = registry.settings.get("pyramid.includes") or ""
    toolbar = None
    if isinstance(includes, str) and "pyramid_debugtoolbar" in includes.split():
        toolbar = registry.settings.get("debugtoolbar.route_prefix", "/_debug_toolbar") + "/"
    without_policy = {k: v for k, v in SECURITY_HEADERS.items() if k != "Content-Security-Policy"}

    def security_headers_tween(request):
        response = handler(request)
        headers = SECURITY_HEADERS
        if toolbar and request.path.startswith(toolbar):
            headers = without_policy
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response

    return security_headers_tween


def is_utf8_form(body):
    """Whether an ``application/x-www-form-urlencoded`` body decodes as UTF-8."""
    try:
        unquote_to_bytes(body.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def size_refusal(request):
    """The guard's answer to a body it refuses by its size alone, before anything reads it: 413
    over 1 MiB, 411 for a chunked one (its size is not known in advance); None otherwise."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return HTTPRequestEntityTooLarge("The request is larger than this site accepts.")
    if request.headers.get("Transfer-Encoding", "").lower() == "chunked":
        return HTTPLengthRequired("Send the request with a Content-Length.")
    return None


def request_guard_tween_factory(handler, registry):
    """What Pyramid leaves to the application, before any view or transaction starts:

    - a ``Host`` outside ``ALLOWED_HOSTS`` is a 400 (links in mails use the request's host);
    - a body over 1 MiB is a 413 before anything reads it (a chunked one, whose size is not
      known in advance, a 411); waitress refuses them itself (``max_request_body_size``);
    - a form whose text is not UTF-8 is a 400 (WebOb would replace the bytes it can't decode,
      and the form would store a text that is not the one sent);
    - behind ``TRUSTED_PROXIES``, ``REMOTE_ADDR`` becomes the client's address
      (``hardening.client_address``); no other header is believed.
    """
    settings = registry.settings
    allowed_hosts, trusted_proxies = settings["allowed_hosts"], settings["trusted_proxies"]

    def request_guard_tween(request):
        if not host_allowed(request.host, allowed_hosts):
            return HTTPBadRequest("This site does not answer to that host name.")
        refusal = size_refusal(request)
        if refusal is not None:
            return refusal
        if request.content_type == FORM and not is_utf8_form(request.body):
            return HTTPBadRequest("The form's text is not valid UTF-8.")
        if trusted_proxies:
            request.environ["REMOTE_ADDR"] = client_address(
                request.remote_addr, request.headers.get("X-Forwarded-For", ""), trusted_proxies
            )
        return handler(request)

    return request_guard_tween


def retry_attempts(request):
    """pyramid_retry's ``retry.activate_hook``: a request the guard refuses by its size is
    never retried. pyramid_retry runs before every tween and, to retry, first copies the whole
    body; for such a request it would read the body the guard must refuse unread."""
    if size_refusal(request) is not None:
        return 1
    return None  # the ini file's retry.attempts


HEADERS_TWEEN = f"{__name__}.security_headers_tween_factory"
GUARD_TWEEN = f"{__name__}.request_guard_tween_factory"


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
    logins = Logins(Login, lifetime=SESSION_TIMEOUT)
    config.registry["logins"] = logins
    config.set_security_policy(SecurityPolicy(logins))
    config.set_csrf_storage_policy(SessionCSRFStoragePolicy())
    # Every unsafe request (POST...) needs the session's token, in the form's csrf_token field.
    config.set_default_csrf_options(require_csrf=True)

    # Failed sign-ins and reset mails, counted in the database; the tests pass a clock of their own.
    config.registry["clock"] = settings.get("clock") or utcnow
    config.registry["throttle"] = Throttle.from_settings(
        ThrottleEvent, settings["accounts"], clock=config.registry["clock"]
    )

    config.add_tween(HEADERS_TWEEN, under=INGRESS)
    config.add_tween(GUARD_TWEEN, under=HEADERS_TWEEN)
