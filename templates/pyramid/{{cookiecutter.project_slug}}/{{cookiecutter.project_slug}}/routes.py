"""Every URL of the app, and the resources (with their ACLs) that the notes routes act on."""

from pyramid.authorization import Allow, Authenticated
from pyramid.httpexceptions import HTTPNotFound

from .models import Note


def includeme(config):
    config.add_static_view("static", "static", cache_max_age=3600)
    config.add_route("home", "/")
    config.add_route("health", "/health")
    config.add_route("register", "/auth/register")
    config.add_route("login", "/auth/login")
    config.add_route("logout", "/auth/logout")
    config.add_route("notes", "/notes", factory=NotesResource)
    config.add_route("note_delete", r"/notes/{id:\d+}/delete", factory=note_factory)


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
    note = request.dbsession.get(Note, int(request.matchdict["id"]))
    if note is None:
        raise HTTPNotFound()
    return NoteResource(note)
