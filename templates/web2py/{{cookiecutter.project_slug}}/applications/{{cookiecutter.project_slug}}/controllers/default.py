"""The public pages: home, the health check, and the error pages.

routes.py maps the site's URLs to the actions of the three controllers: this one (``/`` is
``index``), ``account.py`` (``/auth/...``) and ``notes.py`` (``/notes...``). The models ran
first, so ``db``, ``auth``, ``settings`` and their helpers are globals, as are web2py's
``request``, ``response``, ``session``, ``URL``, ``redirect`` and the form helpers.

These pages are the models' ``PUBLIC_PAGES``: on a first visit (no session cookie yet) web2py
runs neither Auth nor the tables for them, and ``auth`` is None (see models/db.py).
"""

import os
import re

from gluon.restricted import RestrictedError

TICKET = re.compile(r"[\w.-]+/[\w.:-]+\Z")


def index():
    response.title = "Home"
    if first_visit():
        # No session, so nobody signed in and no flash: the same page for every such visitor,
        # rendered once per process (cache.ram) when the app is compiled (the release step; the
        # source, which run.py serves, shows every edit at once).
        if os.path.isdir(os.path.join(request.folder, "compiled")):
            return cache.ram("home page, first visit", response.render, time_expire=None)
        return {}
    if not auth.user:
        session.forget(response)  # nothing to keep for an anonymous visitor: no session row
    return {}


def health():
    """200 when the database answers a real query, 503 when it does not."""
    session.forget(response)
    try:
        db.executesql("SELECT 1")
    except Exception:
        logger.exception("Health check: the database did not answer")
        body = response.json({"status": "error", "database": "error"})
        raise HTTP(503, body, **response.headers) from None
    return response.json({"status": "ok", "database": "ok"})


def not_found():
    page_not_found()


def server_error():
    """web2py's page for a server error (routes.py sends a 500 here): the traceback of its
    ticket with DEBUG=true, nothing about it otherwise."""
    if not request.env.web2py_status_code:  # only as the error handler, never as a page
        page_not_found()
    response.status = 500
    response.title = "Server error"
    ticket = request.vars.ticket
    trace = None
    if settings.debug and isinstance(ticket, str) and TICKET.match(ticket):
        error = RestrictedError()
        error.load(request, request.application, ticket.split("/", 1)[1])
        trace = error.traceback
    return {"trace": trace}
