import pytest
from sqlalchemy import func, select

from {{ cookiecutter.project_slug }}.models import Note


def note_count(dbsession):
    return dbsession.scalar(select(func.count()).select_from(Note))


def test_add_and_list_newest_first(testapp, dbsession):
    testapp.register("alice")
    for title in ("first", "second", "third"):
        response = testapp.add_note(title)
        assert response.status_code == 303
        assert response.headers["Location"].endswith("/notes")
    page = testapp.get("/notes").text
    assert page.index("third") < page.index("second") < page.index("first")
    stamps = [note.created_at for note in dbsession.scalars(select(Note).order_by(Note.id))]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 3


def test_the_limits_are_accepted(testapp, dbsession):
    testapp.register("alice")
    assert testapp.add_note("t" * 200, "b" * 10_000).status_code == 303
    assert note_count(dbsession) == 1


def test_invalid_notes_are_refused(testapp, dbsession):
    testapp.register("alice")
    for title, body, message in [
        ("", "body", "This field is required."),
        ("   ", "body", "This field is required."),
        ("t" * 201, "body", "200"),
        ("title", "b" * 10_001, "10000"),
    ]:
        response = testapp.add_note(title, body)
        assert response.status_code == 200
        assert message in response.text
        assert 'action="/notes"' in response.text
    assert note_count(dbsession) == 0


def test_users_see_only_their_own_notes(testapp):
    testapp.register("alice")
    testapp.add_note("alice only")
    testapp.logout()
    testapp.register("bob")
    page = testapp.get("/notes").text
    assert "alice only" not in page
    assert "No notes yet." in page


def test_only_the_owner_can_delete(testapp, dbsession):
    testapp.register("alice")
    testapp.add_note("keep me")
    note_id = dbsession.scalars(select(Note.id)).one()
    testapp.logout()
    testapp.register("bob")
    bobs_token = testapp.csrf_token("/notes")
    assert testapp.delete_note(note_id, bobs_token).status_code == 404
    assert testapp.delete_note(999_999, bobs_token).status_code == 404
    assert note_count(dbsession) == 1
    testapp.logout()
    testapp.login("alice")
    assert testapp.delete_note(note_id, bobs_token).status_code == 400  # another session's token
    assert note_count(dbsession) == 1
    response = testapp.delete_note(note_id)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/notes")
    assert note_count(dbsession) == 0


def test_anonymous_visitors_cannot_add_or_delete(testapp, dbsession):
    testapp.register("alice")
    testapp.add_note("keep me")
    note_id = dbsession.scalars(select(Note.id)).one()
    token = testapp.csrf_token("/notes")
    testapp.logout()
    response = testapp.post("/notes", {"csrf_token": token, "title": "x"}, status="*")
    assert response.status_code == 303
    assert testapp.delete_note(note_id, token).status_code == 303
    assert note_count(dbsession) == 1


def test_note_text_is_escaped(testapp):
    testapp.register("alice")
    testapp.add_note("<script>alert(1)</script>", "<b>bold</b>")
    page = testapp.get("/notes").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


@pytest.mark.parametrize(
    ("title", "body"),
    [("nul\x00title", "body"), ("title", "nul\x00body"), ("\x00", "")],
)
def test_unstorable_note_text_is_refused(testapp, dbsession, title, body):
    testapp.register("alice")
    response = testapp.add_note(title, body)
    assert response.status_code == 200
    assert "Remove the control character" in response.text
    assert note_count(dbsession) == 0


@pytest.mark.parametrize(
    "note_id", ["0", "-1", "abc", "99999999999999999999999", "2147483648", "%D9%A1"]
)
def test_ids_out_of_range_are_a_404_for_the_owner_too(testapp, dbsession, note_id):
    testapp.register("alice")
    testapp.add_note("keep me")
    assert testapp.delete_note(note_id).status_code == 404
    assert note_count(dbsession) == 1


def form_post(testapp, path, body, content_type="application/x-www-form-urlencoded"):
    return testapp.post(path, body, content_type=content_type, status="*")


def test_hostile_note_bodies_are_refused_without_an_error(testapp, dbsession):
    testapp.register("alice")
    token = testapp.csrf_token("/notes").encode()
    invalid_utf8 = form_post(testapp, "/notes", b"csrf_token=" + token + b"&title=%ff%fe&body=")
    assert invalid_utf8.status_code == 400
    surrogate = form_post(testapp, "/notes", b"csrf_token=" + token + b"&title=%ed%a0%80")
    assert surrogate.status_code == 400
    as_json = form_post(testapp, "/notes", b'{"title": "x"}', "application/json")
    assert as_json.status_code == 400
    assert note_count(dbsession) == 0
    twice = form_post(testapp, "/notes", b"csrf_token=" + token + b"&title=a&title=b")
    assert twice.status_code == 303
    assert dbsession.scalars(select(Note.title)).all() == ["b"]
