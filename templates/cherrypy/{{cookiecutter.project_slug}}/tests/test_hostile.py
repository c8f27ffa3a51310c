"""Hostile input: what no database can store is refused, and nothing odd is ever a 5xx."""

import pytest
from conftest import PASSWORD, form
from sqlalchemy import func, select

from {{ cookiecutter.project_slug }} import rules
from {{ cookiecutter.project_slug }}.models import Note, User

NUL = "with a \x00 NUL"


def count(db, model):
    return db.scalar(select(func.count()).select_from(model))


def fill(client, path, action=None, **fields):
    page_form = form(client.get(path), action or path)
    for name, value in fields.items():
        page_form[name] = value
    return page_form.submit(expect_errors=True)


REGISTRATION = {
    "username": "bob",
    "email": "bob@example.com",
    "password": PASSWORD,
    "password_confirm": PASSWORD,
}


@pytest.mark.parametrize("field", list(REGISTRATION))
def test_register_refuses_a_nul_in_any_field(client, db, field):
    response = fill(client, "/auth/register", **{**REGISTRATION, field: NUL})
    assert response.status_int in {200, 400}
    assert rules.UNSTORABLE in response.text
    assert count(db, User) == 0


@pytest.mark.parametrize("field", ["username", "password"])
def test_login_refuses_a_nul_and_counts_nothing(client, auth, db, field):
    auth.register("alice")
    auth.logout()
    values = {"username": "alice", "password": PASSWORD, field: NUL}
    response = fill(client, "/auth/login", **values)
    assert response.status_int in {200, 400}
    assert rules.UNSTORABLE in response.text
    assert not auth.logged_in()


@pytest.mark.parametrize("field", ["title", "body"])
def test_notes_refuse_a_nul_in_any_field(auth, db, field):
    auth.register("alice")
    values = {"title": "a title", "body": "a body", field: NUL}
    response = auth.add_note(**values)
    assert response.status_int in {200, 400}
    assert rules.UNSTORABLE in response.text
    assert count(db, Note) == 0


def test_reset_request_refuses_a_nul(client, outbox):
    response = fill(client, "/auth/password-reset", email="alice\x00@example.com")
    assert response.status_int in {200, 400}
    assert rules.UNSTORABLE in response.text
    assert outbox.messages == []


def test_invalid_utf8_in_a_form_body_is_a_400(client, auth, db):
    auth.register("alice")
    body = f"csrf_token={auth.token('/notes')}&title=%FF%FEbad&body=x".encode()
    response = client.post(
        "/notes", body, content_type="application/x-www-form-urlencoded", expect_errors=True
    )
    assert response.status_int == 400
    assert count(db, Note) == 0


def test_a_field_sent_twice_is_a_400(client, auth, db):
    auth.register("alice")
    token = auth.token("/notes")
    response = client.post(
        "/notes", [("csrf_token", token), ("title", "a"), ("title", "b")], expect_errors=True
    )
    assert response.status_int == 400
    assert count(db, Note) == 0


def test_a_json_body_posted_to_a_form_changes_nothing(client, auth, db):
    auth.register("alice")
    response = client.post_json("/notes", {"title": "json"}, expect_errors=True)
    assert response.status_int in {400, 403, 415}
    assert count(db, Note) == 0


@pytest.mark.parametrize(
    "path",
    [
        "/" + "a" * 8000,
        "/notes?" + "x=1&" * 2000,
        "/auth/login?next=/" + "n" * 8000,
        "/auth/password-reset/" + "t" * 8000,
    ],
)
def test_long_paths_and_query_strings_are_no_server_error(client, path):
    assert client.get(path, expect_errors=True).status_int < 500


@pytest.mark.parametrize("cookie", ["garbage", "0" * 40, "a" * 4000, "%00", "é", "../../etc"])
def test_a_garbage_session_cookie_is_an_anonymous_session(client, cookie):
    client.set_cookie("session_id", cookie)
    assert client.get("/").status_int == 200
    assert client.get("/notes").status_int == 303


@pytest.mark.parametrize(
    "note_id", ["0", "-1", "abc", "99999999999999999999999", str(2**31), "1.5", "%D9%A1"]
)
def test_a_note_id_outside_the_column_is_a_404_for_the_owner_too(auth, db, note_id):
    auth.register("alice")
    auth.add_note("stays")
    assert auth.delete_note(note_id).status_int == 404
    assert count(db, Note) == 1


def test_a_note_id_sent_in_the_body_as_well_is_a_404(client, auth, db):
    auth.register("alice")
    auth.add_note("stays")
    note_id = db.scalars(select(Note.id)).one()
    data = {"csrf_token": auth.token("/notes"), "note_id": str(note_id)}
    assert client.post(f"/notes/{note_id}/delete", data, expect_errors=True).status_int == 404
    assert count(db, Note) == 1
