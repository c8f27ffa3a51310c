"""The notes: the list with its form to add one (``/notes``), and delete (``/notes/<id>/delete``).

Login required. models/notes.py defines the table; each note belongs to the user who wrote it.
"""

from {{ cookiecutter.project_slug }} import rules


@auth.requires_login(otherwise=send_to_login)
def index():
    response.title = "Notes"
    form = SQLFORM(
        db.note,
        fields=["title", "body"],
        submit_button="Add note",
        _action=URL("notes", "index"),
        _class="note-form",
    )
    if form.accepts(request.post_vars, session, formname="note", keepvalues=True):
        session.flash = "Note added."
        redirect(URL("notes", "index"), how=303)
    refuse_forged(form)
    note = db.note
    # cacheable: plain rows, without update_record and delete_record (faster to build)
    own_notes = db(note.owner == auth.user_id).select(
        note.id,
        note.title,
        note.body,
        note.created_on,
        orderby=~note.created_on | ~note.id,
        cacheable=True,
    )
    delete_form = FORM()  # one key for every delete button of the page
    delete_form.accepts(request.post_vars, session, formname="delete_note")
    return {"form": form, "notes": own_notes, "delete_key": delete_form.formkey}


@auth.requires_login(otherwise=send_to_login)
def delete():
    require_post()
    note_id = rules.parse_id(request.args(0))
    note = db.note(note_id) if note_id else None
    if note is None or note.owner != auth.user_id:
        page_not_found()
    if not FORM().accepts(request.post_vars, session, formname="delete_note"):
        http_error(403, "Forbidden", "The form was not sent from this site, or it has expired.")
    note.delete_record()
    session.flash = "Note deleted."
    redirect(URL("notes", "index"), how=303)
