from conftest import form, location
from sqlalchemy import func, select

from {{ cookiecutter.project_slug }} import rules
from {{ cookiecutter.project_slug }}.models import Note


def note_count(db):
    return db.scalar(select(func.count()).select_from(Note))


def test_notes_need_login(client):
    response = client.get("/notes")
    assert response.status_int == 303
    assert location(response) == "/auth/login?next=/notes"


def test_notes_are_not_redirected_to_a_trailing_slash(client, auth):
    auth.register("alice")
    assert client.get("/notes").status_int == 200


def test_add_and_list_newest_first(client, auth, db):
    auth.register("alice")
    for title in ("first", "second", "third"):
        response = auth.add_note(title)
        assert response.status_int == 303
        assert location(response) == "/notes"
    page = client.get("/notes").text
    assert page.index("third") < page.index("second") < page.index("first")
    stamps = [note.created_at for note in db.scalars(select(Note).order_by(Note.id))]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 3


def test_the_limits_are_accepted(auth, db):
    auth.register("alice")
    assert auth.add_note("t" * 200, "b" * 10_000).status_int == 303
    assert note_count(db) == 1


def test_invalid_notes_are_refused(auth, db):
    auth.register("alice")
    for title, body, message in [
        ("", "body", rules.REQUIRED),
        ("   ", "body", rules.REQUIRED),
        ("t" * 201, "body", rules.TITLE_TOO_LONG),
        ("title", "b" * 10_001, rules.BODY_TOO_LONG),
    ]:
        response = auth.add_note(title, body)
        assert response.status_int == 200
        assert message in response.text
        assert form(response, "/notes")
    assert note_count(db) == 0


def test_owners_see_only_their_own_notes(client, auth):
    auth.register("alice")
    auth.add_note("alice only")
    auth.logout()
    auth.register("bob")
    page = client.get("/notes").text
    assert "alice only" not in page
    assert "No notes yet." in page


def test_only_the_owner_can_delete_a_note(auth, db):
    auth.register("alice")
    auth.add_note("keep me")
    note_id = db.scalars(select(Note.id)).one()
    auth.logout()
    auth.register("bob")
    bobs_token = auth.token("/notes")
    assert auth.delete_note(note_id, bobs_token).status_int == 404
    assert auth.delete_note(999_999, bobs_token).status_int == 404
    assert note_count(db) == 1
    auth.logout()
    auth.login("alice")
    assert auth.delete_note(note_id, bobs_token).status_int == 403  # a token of another session
    assert note_count(db) == 1
    response = auth.delete_note(note_id)
    assert response.status_int == 303
    assert location(response) == "/notes"
    assert note_count(db) == 0


def test_delete_needs_a_post_and_a_numeric_id(client, auth):
    auth.register("alice")
    assert client.get("/notes/1/delete", expect_errors=True).status_int == 405
    assert auth.delete_note("abc").status_int == 404
    assert client.get("/notes/1", expect_errors=True).status_int == 404


def test_note_text_is_escaped(client, auth):
    auth.register("alice")
    auth.add_note("<script>alert(1)</script>", "<b>bold</b>")
    page = client.get("/notes").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
