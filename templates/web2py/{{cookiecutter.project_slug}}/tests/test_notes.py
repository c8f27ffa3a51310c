import pytest


def note_count(db):
    return db(db.note).count()


def test_notes_page_needs_login(app):
    response = app.get("/notes")
    assert response.status_int == 303
    assert response.headers["Location"] == "/auth/login?next=%2Fnotes"


def test_add_and_list_newest_first(app, user, db):
    user.register("alice")
    for title in ("first", "second", "third"):
        response = user.add_note(title)
        assert response.status_int == 303
        assert response.headers["Location"] == "/notes"
    page = app.get("/notes").text
    assert page.index("third") < page.index("second") < page.index("first")
    assert note_count(db) == 3


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        ("", "body", "This field is required."),
        ("   ", "body", "This field is required."),
        ("t" * 201, "body", "at most 200"),
        ("title", "b" * 10_001, "at most 10000"),
        ("nul \x00 title", "body", "control character"),
        ("title", "nul \x00 body", "control character"),
    ],
)
def test_invalid_notes_are_refused(user, db, title, body, message):
    user.register("alice")
    response = user.add_note(title, body)
    assert response.status_int == 200
    assert message in response.text
    assert note_count(db) == 0


@pytest.mark.parametrize("raw", [b"\xed\xa0\x80", b"\xff", b"caf\xe9"])
def test_notes_with_bytes_that_are_not_utf8_are_refused(user, db, raw):
    user.register("alice")
    response = user.submit_bytes("/notes", "/notes", title=raw, body=raw)
    assert response.status_int in (200, 400)
    assert note_count(db) == 0


def test_the_longest_note_is_stored(user, db):
    user.register("alice")
    assert user.add_note("t" * 200, "b" * 10_000).status_int == 303
    assert note_count(db) == 1


def test_users_see_only_their_own_notes_owner(app, user):
    user.register("alice")
    user.add_note("alice only")
    user.logout()
    user.register("bob")
    page = app.get("/notes").text
    assert "alice only" not in page
    assert "No notes yet." in page


def test_only_the_owner_can_delete(user, db):
    user.register("alice")
    user.add_note("keep me")
    user.add_note("another")
    note_id = db(db.note.title == "keep me").select().first().id
    user.logout()
    user.register("bob")
    user.add_note("bob's")
    bobs_fields = user.delete_form_fields()
    assert user.delete_note(note_id, bobs_fields).status_int == 404
    assert user.delete_note(999_999, bobs_fields).status_int == 404
    assert note_count(db) == 3
    user.logout()
    user.login("alice")
    assert user.delete_note(note_id, bobs_fields).status_int == 403  # another session's key
    assert note_count(db) == 3
    response = user.delete_note(note_id)
    assert response.status_int == 303
    assert response.headers["Location"] == "/notes"
    assert note_count(db) == 2


@pytest.mark.parametrize("note_id", ["0", "-1", "abc", "99999999999999999999999", "2147483648"])
def test_delete_with_an_id_out_of_range_is_404(user, db, note_id):
    user.register("alice")
    user.add_note("stays")
    assert user.delete_note(note_id).status_int == 404
    assert note_count(db) == 1


def test_one_delete_key_serves_every_note_on_the_page(app, user, db):
    user.register("alice")
    for title in ("one", "two", "three"):
        user.add_note(title)
    page = app.get("/notes")
    keys = {form["_formkey"].value for form in page.forms.values() if "delete" in form.action}
    assert len(keys) == 1
    last_id = max(row.id for row in db(db.note).select())
    response = app.post(
        f"/notes/{last_id}/delete", {"_formname": "delete_note", "_formkey": keys.pop()}
    )
    assert response.status_int == 303


def test_note_text_is_escaped(app, user):
    user.register("alice")
    user.add_note("<script>alert(1)</script>", "<b>bold</b>")
    page = app.get("/notes").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_a_second_visit_keeps_the_first_forms_valid(app, user):
    user.register("alice")
    page = app.get("/notes")
    app.get("/notes")
    form = [f for f in page.forms.values() if f.action == "/notes"][0]
    form["title"] = "from the first page"
    assert form.submit().status_int == 303
    assert user.add_note("from a later page").status_int == 303
