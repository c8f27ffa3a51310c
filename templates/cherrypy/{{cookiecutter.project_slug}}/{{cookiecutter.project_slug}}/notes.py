"""/notes: each user's private notes. Every handler here needs a logged-in user."""

import cherrypy
from sqlalchemy import bindparam, select

from . import forms
from .models import Note
from .rendering import render
from .rules import parse_id
from .tools import NAMESPACE, current_user, flash

# The list's query, built once: SQLAlchemy then reuses its cache key and compiled SQL instead of
# building and hashing a new statement on every request.
NOTES_OF_OWNER = (
    select(Note)
    .where(Note.owner_id == bindparam("owner_id"))
    .order_by(Note.created_at.desc(), Note.id.desc())
)


class Notes:
    _cp_config = {f"{NAMESPACE}.login_required.on": True}

    def _cp_dispatch(self, vpath):
        """/notes/<id>/delete: take the id from the path, then go on to ``delete``."""
        if len(vpath) == 2 and vpath[1] == "delete":
            cherrypy.request.params["note_id"] = vpath.pop(0)
            return self
        return None

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET", "POST"])
    def index(self, title=None, body=None, **_query):
        """The list, newest first, and the form to add a note. (Other query parameters, such as
        a ``page`` a login redirect may bring along, are ignored.)"""
        db, user = cherrypy.request.db, current_user()
        values, errors = {}, {}
        if cherrypy.request.method == "POST":
            values, errors = forms.note(title, body)
            if not errors:
                db.add(Note(owner=user, title=values["title"], body=values["body"]))
                flash("Note added.")
                raise cherrypy.HTTPRedirect(cherrypy.url("/notes"), 303)
        notes = db.scalars(NOTES_OF_OWNER, {"owner_id": user.id}).all()
        return render("notes/index.html", notes=notes, values=values, errors=errors)

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["POST"])
    def delete(self, note_id):
        """Only the owner may delete a note. Anyone else's, a missing one, or an id that is not
        a positive integer within the column's range (``0``, ``abc``, ``99999999999999999999``,
        a note_id sent in the body as well) is a 404."""
        db = cherrypy.request.db
        number = parse_id(note_id) if isinstance(note_id, str) else None
        note = db.get(Note, number) if number is not None else None
        if note is None or note.owner_id != current_user().id:
            raise cherrypy.NotFound()
        db.delete(note)
        flash("Note deleted.")
        raise cherrypy.HTTPRedirect(cherrypy.url("/notes"), 303)
