from sqlalchemy import func, select

from {{ cookiecutter.project_slug }}.extensions import db
from {{ cookiecutter.project_slug }}.models import Note


def note_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Note))


def test_notes_page_needs_login(client):
    response = client.get("/notes")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=%2Fnotes"


def test_add_and_list_newest_first(app, client, auth):
    auth.register("alice")
    for title in ("first", "second", "third"):
        response = auth.add_note(title)
        assert response.status_code == 303
        assert response.headers["Location"] == "/notes"
    page = client.get("/notes").get_data(as_text=True)
    assert page.index("third") < page.index("second") < page.index("first")
    with app.app_context():
        stamps = [note.created_at for note in db.session.scalars(select(Note).order_by(Note.id))]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 3


def test_invalid_notes_are_refused(app, auth):
    auth.register("alice")
    for title, body, message in [
        ("", "body", "This field is required."),
        ("   ", "body", "This field is required."),
        ("t" * 201, "body", "Use at most 200 characters."),
        ("title", "b" * 10_001, "Use at most 10000 characters."),
    ]:
        response = auth.add_note(title, body)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert note_count(app) == 0


def test_users_see_only_their_own_notes(client, auth):
    auth.register("alice")
    auth.add_note("alice only")
    auth.logout()
    auth.register("bob")
    page = client.get("/notes").get_data(as_text=True)
    assert "alice only" not in page
    assert "No notes yet." in page


def test_only_the_owner_can_delete_a_note(app, auth):
    auth.register("alice")
    auth.add_note("keep me")
    with app.app_context():
        note_id = db.session.scalars(select(Note.id)).one()
    auth.logout()
    auth.register("bob")
    bobs_token = auth.token("/notes")
    assert auth.delete_note(note_id, bobs_token).status_code == 404
    assert auth.delete_note(note_id + 1000, bobs_token).status_code == 404
    assert note_count(app) == 1
    auth.logout()
    auth.login("alice")
    assert auth.delete_note(note_id, bobs_token).status_code == 400  # a token of another session
    assert note_count(app) == 1
    response = auth.delete_note(note_id)
    assert response.status_code == 303
    assert response.headers["Location"] == "/notes"
    assert note_count(app) == 0


def test_note_text_is_escaped(client, auth):
    auth.register("alice")
    auth.add_note("<script>alert(1)</script>", "<b>bold</b>")
    page = client.get("/notes").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
