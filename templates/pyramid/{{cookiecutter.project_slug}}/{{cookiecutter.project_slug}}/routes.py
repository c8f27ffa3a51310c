"""Every URL of the app, and the resources (with their ACLs) that the views act on."""

from pyramid.authorization import Allow, Authenticated
from pyramid.httpexceptions import HTTPNotFound

from .models import Note
from .rules import parse_id


def includeme(config):
    config.add_static_view("static", "static", cache_max_age=3600)
    config.add_route("home", "/")
    config.add_route("health", "/health")
    config.add_route("register", "/auth/register")
    config.add_route("login", "/auth/login")
    config.add_route("logout", "/auth/logout")
    config.add_route("password_reset", "/auth/password-reset")
    config.add_route("password_reset_confirm", "/auth/password-reset/{token}")
    config.add_route("password_change", "/auth/password", factory=AccountResource)
    config.add_route("notes", "/notes", factory=NotesResource)
    config.add_route("note_delete", "/notes/{id}/delete", factory=note_factory)


class AccountResource:
    """The visitor's own account: any logged-in user may change their password."""

    __acl__ = [(Allow, Authenticated, "change")]

    def __init__(self, request):
        self.request = request


class NotesResource:
    """The current user's notes: any logged-in user may list and add their own."""

    __acl__ = [(Allow, Authenticated, ("view", "add"))]

    def __init__(self, request):
        self.request = request


class NoteResource:
    """One note: only its owner may delete it."""

    def __init__(self, note):
        self.note = note

    def __acl__(self):
        return [(Allow, f"u:{self.note.owner_id}", "delete")]


def note_factory(request):
    """The note of the URL; an id that is not a positive integer within the id column's range
    (``0``, ``abc``, ``99999999999999999999999``) is a 404, never a database error."""
    note_id = parse_id(request.matchdict["id"])
    note = None if note_id is None else request.dbsession.get(Note, note_id)
    if note is None:
        raise HTTPNotFound()
    return NoteResource(note)
