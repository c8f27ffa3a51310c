"""The project's own middleware, for the rules Django 5.2 has no setting for.

Django itself answers a request for a host outside ``ALLOWED_HOSTS`` (400), and sets
``X-Content-Type-Options``, ``Referrer-Policy`` and ``X-Frame-Options`` (SecurityMiddleware,
XFrameOptionsMiddleware). The values and checks here come from ``config/hardening.py``, shared by
every webcutter project.
"""

from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.defaults import bad_request

from . import hardening

FORM_BODY = "application/x-www-form-urlencoded"


class ContentSecurityPolicyMiddleware:
    """The Content-Security-Policy of ``hardening.CONTENT_SECURITY_POLICY`` on every answer that
    has none: scripts only from this site's files (no inline script), forms posting only here,
    no framing. (Django 6.0 has its own CSP middleware and ``SECURE_CSP``: the way to go after an
    upgrade.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", hardening.CONTENT_SECURITY_POLICY)
        return response


class RequestGuardMiddleware:
    """What a request must be before anything reads it.

    - A body over ``hardening.MAX_BODY_BYTES`` (1 MiB) is refused with 413 before it is read
      (Django's own ``DATA_UPLOAD_MAX_MEMORY_SIZE`` answers 400, and only once a view reads it).
    - A form body that is not UTF-8 (invalid bytes, lone surrogates) is refused with 400: Django
      would replace those bytes and store the replacement characters.
    - A method the view does not answer (``PUT /``) is a 405, even without a CSRF token.
    - Behind a reverse proxy of ``TRUSTED_PROXIES``, ``REMOTE_ADDR`` becomes the client's address
      (the right-most ``X-Forwarded-For`` entry that is not a trusted proxy); nothing else of the
      request is believed. The sign-in throttle counts by this address.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted_proxies = settings.TRUSTED_PROXIES

    def __call__(self, request):
        if _content_length(request) > hardening.MAX_BODY_BYTES:
            response = HttpResponse(render_to_string("413.html"), status=413)
            # The body stays unread: a client reading to the end of the connection would wait
            # for runserver, which drains the body before it closes.
            response["Content-Length"] = len(response.content)
            return response
        if self.trusted_proxies:
            request.META["REMOTE_ADDR"] = hardening.client_address(
                request.META.get("REMOTE_ADDR"),
                request.META.get("HTTP_X_FORWARDED_FOR", ""),
                self.trusted_proxies,
            )
        if request.content_type == FORM_BODY and not _is_utf8_form(request.body):
            return bad_request(request, ValueError("the form is not UTF-8"))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """A method the (class-based) view does not answer is a 405 before the CSRF check,
        which would otherwise refuse a ``PUT`` with 403."""
        view_class = getattr(view_func, "view_class", None)
        if view_class is None:
            return None
        view = view_class(**view_func.view_initkwargs)
        view.setup(request, *view_args, **view_kwargs)  # as as_view() does: HEAD answers as GET
        method = request.method.lower()
        if method not in view.http_method_names or not hasattr(view, method):
            return view.http_method_not_allowed(request)
        return None


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads no body for an unreadable length


def _is_utf8_form(body):
    try:
        parse_qsl(body.decode(), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        return False
    return True
