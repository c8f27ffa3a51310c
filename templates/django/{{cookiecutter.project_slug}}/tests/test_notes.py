import pytest

from notes.models import Note

pytestmark = pytest.mark.django_db


def test_notes_need_login(csrf_client):
    response = csrf_client.get("/notes")
    assert response.status_code == 302
    assert response["Location"] == "/auth/login?next=/notes"


def test_the_note_form_has_one_text_input_and_one_textarea(csrf_client, auth):
    auth.register("alice")
    page = csrf_client.get("/notes").content.decode()
    form = page[page.index('action="/notes"') :].split("</form>", 1)[0]
    assert form.count('type="text"') == 1
    assert form.count("<textarea") == 1


def test_add_and_list_newest_first(csrf_client, auth):
    auth.register("alice")
    for title in ("first", "second", "third"):
        response = auth.add_note(title)
        assert response.status_code == 302
        assert response["Location"] == "/notes"
    page = csrf_client.get("/notes").content.decode()
    assert page.index("third") < page.index("second") < page.index("first")
    stamps = list(Note.objects.order_by("id").values_list("created_at", flat=True))
    assert stamps == sorted(stamps)


def test_the_limits_are_accepted(auth):
    auth.register("alice")
    assert auth.add_note("t" * 200, "b" * 10_000).status_code == 302
    assert Note.objects.count() == 1


def test_invalid_notes_are_refused(auth):
    auth.register("alice")
    for title, body, message in [
        ("", "body", "This field is required."),
        ("   ", "body", "This field is required."),
        ("t" * 201, "body", "at most 200 characters"),
        ("title", "b" * 10_001, "at most 10000 characters"),
    ]:
        response = auth.add_note(title, body)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not Note.objects.exists()


def test_owners_see_only_their_own_notes(csrf_client, auth):
    auth.register("alice")
    auth.add_note("alice only")
    auth.logout()
    auth.register("bob")
    page = csrf_client.get("/notes").content.decode()
    assert "alice only" not in page
    assert "No notes yet." in page


def test_only_the_owner_can_delete_a_note(auth):
    auth.register("alice")
    auth.add_note("keep me")
    note_id = Note.objects.get().pk
    auth.logout()
    auth.register("bob")
    bobs_token = auth.token("/notes")
    assert auth.delete_note(note_id, bobs_token).status_code == 404
    for missing in (999_999, 0, -1, "abc", 99999999999999999999999, 2**63):
        assert auth.delete_note(missing, bobs_token).status_code == 404
    assert Note.objects.count() == 1
    auth.logout()
    auth.login("alice")
    assert auth.delete_note(note_id, bobs_token).status_code == 403  # another session's token
    assert Note.objects.count() == 1
    response = auth.delete_note(note_id)
    assert response.status_code == 302
    assert response["Location"] == "/notes"
    assert not Note.objects.exists()


def test_delete_needs_a_post(csrf_client, auth):
    auth.register("alice")
    auth.add_note("stays")
    assert csrf_client.get(f"/notes/{Note.objects.get().pk}/delete").status_code == 405
    assert Note.objects.count() == 1


@pytest.mark.parametrize("token", [None, "forged" * 8])
def test_note_posts_without_a_valid_csrf_token_change_nothing(csrf_client, auth, token):
    extra = {} if token is None else {"csrfmiddlewaretoken": token}
    auth.register("alice")
    auth.add_note("stays")
    note_id = Note.objects.get().pk
    assert csrf_client.post("/notes", {"title": "forged", "body": "", **extra}).status_code == 403
    assert csrf_client.post(f"/notes/{note_id}/delete", extra).status_code == 403
    assert list(Note.objects.values_list("title", flat=True)) == ["stays"]


def test_note_text_is_escaped(csrf_client, auth):
    auth.register("alice")
    auth.add_note("<script>alert(1)</script>", "<b>bold</b>")
    page = csrf_client.get("/notes").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
