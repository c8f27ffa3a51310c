"""Each user's private notes. The route factories in ``routes.py`` give their permissions."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config
from sqlalchemy import select

from ..forms import Form, NoteSchema, validate
from ..models import Note

TEMPLATE = "{{ cookiecutter.project_slug }}:templates/notes/index.jinja2"


def notes_page(request, form):
    notes = request.dbsession.scalars(
        select(Note)
        .where(Note.owner_id == request.identity.id)
        .order_by(Note.created_at.desc(), Note.id.desc())
    ).all()
    return {"form": form, "notes": notes}


@view_config(route_name="notes", request_method="GET", permission="view", renderer=TEMPLATE)
def list_notes(request):
    return notes_page(request, Form())


@view_config(route_name="notes", request_method="POST", permission="add", renderer=TEMPLATE)
def add_note(request):
    form = validate(NoteSchema(), request.POST)
    if not form.valid:
        return notes_page(request, form)
    request.dbsession.add(
        Note(owner=request.identity, title=form.data["title"], body=form.data["body"])
    )
    request.session.flash("Note added.")
    return HTTPSeeOther(location=request.route_path("notes"))


@view_config(route_name="note_delete", request_method="POST", permission="delete")
def delete_note(context, request):
    request.dbsession.delete(context.note)
    request.session.flash("Note deleted.")
    return HTTPSeeOther(location=request.route_path("notes"))
