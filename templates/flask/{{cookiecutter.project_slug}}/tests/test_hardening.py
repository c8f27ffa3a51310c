"""Hostile requests: text a database can't store, odd bodies, forged hosts, big bodies
(docs/contract.md §3, "Requests")."""

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from wtforms import StringField

from {{ cookiecutter.project_slug }} import forms
from {{ cookiecutter.project_slug }}.extensions import db
from {{ cookiecutter.project_slug }}.models import Note, ThrottleEvent, User

UNSTORABLE = "Remove the control character (such as NUL) or invalid text from this field."
# What a client can send that no database should store. (A lone surrogate can't travel in
# UTF-8: Werkzeug decodes such bytes as U+FFFD; the forms are checked with one below.)
BAD_TEXT = ["nul\x00here", "\x00"]


def rows(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def form_data(fields, name, value):
    return {key: value if key == name else default for key, default in fields.items()}


REGISTRATION = {
    "username": "bob",
    "email": "bob@example.com",
    "password": "long enough pw",
    "password_confirm": "long enough pw",
}


@pytest.mark.parametrize("value", BAD_TEXT)
@pytest.mark.parametrize("name", list(REGISTRATION))
def test_register_refuses_unstorable_text_in_any_field(app, auth, name, value):
    response = auth.post("/auth/register", **form_data(REGISTRATION, name, value))
    assert response.status_code == 200
    assert UNSTORABLE in response.get_data(as_text=True)
    assert rows(app, User) == 0


@pytest.mark.parametrize("value", BAD_TEXT)
@pytest.mark.parametrize("name", ["username", "password"])
def test_login_refuses_unstorable_text_and_counts_nothing(app, auth, name, value):
    fields = {"username": "alice", "password": "some password"}
    response = auth.post("/auth/login", **form_data(fields, name, value))
    assert response.status_code == 200
    assert UNSTORABLE in response.get_data(as_text=True)
    assert rows(app, ThrottleEvent) == 0


@pytest.mark.parametrize("value", BAD_TEXT)
@pytest.mark.parametrize("name", ["title", "body"])
def test_notes_page_refuses_unstorable_text(app, auth, name, value):
    auth.register("alice")
    response = auth.post("/notes", **form_data({"title": "title", "body": "body"}, name, value))
    assert response.status_code == 200
    assert UNSTORABLE in response.get_data(as_text=True)
    assert rows(app, Note) == 0


@pytest.mark.parametrize("value", BAD_TEXT)
def test_password_reset_page_refuses_unstorable_text(auth, outbox, value):
    auth.register("alice")
    response = auth.post("/auth/password-reset", email=f"alice@example.com{value}")
    assert response.status_code == 200
    assert UNSTORABLE in response.get_data(as_text=True)
    assert outbox == []


@pytest.mark.parametrize("value", BAD_TEXT)
@pytest.mark.parametrize("name", ["current_password", "password", "password_confirm"])
def test_password_change_refuses_unstorable_text(app, auth, name, value):
    auth.register("alice")
    with app.app_context():
        before = db.session.scalars(select(User.password_hash)).one()
    fields = {"current_password": auth.password, "password": "new password 1"}
    fields["password_confirm"] = fields["password"]
    response = auth.post("/auth/password", **form_data(fields, name, value))
    assert response.status_code == 200
    assert UNSTORABLE in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(User.password_hash)).one() == before


@pytest.mark.parametrize(
    "form_class",
    [
        forms.RegistrationForm,
        forms.LoginForm,
        forms.NoteForm,
        forms.PasswordResetRequestForm,
        forms.NewPasswordForm,
        forms.PasswordChangeForm,
    ],
)
@pytest.mark.parametrize("value", ["a\x00b", "lone \ud800 surrogate", "\udfff"])
def test_every_text_field_of_every_form_refuses_unstorable_text(app, form_class, value):
    with app.test_request_context(method="POST"):
        names = [field.name for field in form_class(meta={"csrf": False})]
        form = form_class(MultiDict(dict.fromkeys(names, value)), meta={"csrf": False})
        assert not form.validate()
        text_fields = [field for field in form if isinstance(field, StringField)]
        assert text_fields
        assert all(field.errors == [UNSTORABLE] for field in text_fields)


@pytest.mark.parametrize("raw", [b"%FF%FE", b"%C3%28", b"%ED%A0%80", b"\xff\xfe"])
@pytest.mark.parametrize("field", ["username", "password"])
def test_a_form_whose_text_is_not_utf8_is_refused(app, client, auth, field, raw):
    """Werkzeug would keep such bytes as "%XX" text (or U+FFFD): they are a 400 instead."""
    fields = {**REGISTRATION, "csrf_token": auth.token("/auth/register")}
    body = "&".join(f"{key}={value}" for key, value in fields.items() if key != field)
    response = client.post(
        "/auth/register",
        data=f"{body}&{field}=x".encode() + raw,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert rows(app, User) == 0


def test_a_multipart_form_whose_text_is_not_utf8_is_refused(app, client, auth):
    data = {**REGISTRATION, "csrf_token": auth.token("/auth/register")}
    response = client.post("/auth/register", data=data, content_type="multipart/form-data")
    assert response.status_code == 303  # a multipart form is fine...
    auth.logout()
    token = auth.token("/auth/register")
    boundary = "b0undary"
    parts = [(name, value.encode()) for name, value in {**REGISTRATION, "username": "eve"}.items()]
    parts += [("email", b"eve@example.com\xff"), ("csrf_token", token.encode())]
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value
        + b"\r\n"
        for name, value in parts
    )
    response = client.post(
        "/auth/register",
        data=body + f"--{boundary}--\r\n".encode(),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 400  # ...but not with bytes that are not UTF-8
    assert rows(app, User) == 1


def test_a_field_sent_twice_is_answered_without_error(app, client, auth):
    token = auth.token("/auth/register")
    body = (
        f"csrf_token={token}&username=bob&username=eve&email=bob%40example.com"
        "&password=long+enough+pw&password_confirm=long+enough+pw"
    )
    response = client.post(
        "/auth/register", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalars(select(User.username)).all() == ["bob"]


def test_a_json_body_posted_to_a_form_is_refused(app, client):
    response = client.post("/auth/register", json=REGISTRATION)
    assert response.status_code == 400
    assert rows(app, User) == 0


@pytest.mark.parametrize(
    "path", ["/" + "a" * 8000, "/notes?" + "q=" * 4000, "/auth/login?next=" + "/" * 5000]
)
def test_long_paths_and_queries_are_answered_without_error(client, path):
    assert client.get(path).status_code < 500


def test_put_on_a_page_is_405_and_head_of_home_is_200(client):
    assert client.put("/").status_code == 405
    head = client.head("/")
    assert head.status_code == 200
    assert head.data == b""


@pytest.mark.parametrize(
    "host", ["evil.example", "localhost.evil.example", "evil.example:80", "[::2]", "a b"]
)
@pytest.mark.parametrize("path", ["/", "/health", "/static/style.css", "/no/such/page"])
def test_a_host_outside_allowed_hosts_is_400_on_every_route(client, host, path):
    response = client.get(path, headers={"Host": host})
    assert response.status_code == 400
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST:8000", "127.0.0.1:5000", "[::1]:8000"])
def test_the_default_allowed_hosts_are_served(client, host):
    assert client.get("/", headers={"Host": host}).status_code == 200


def test_allowed_hosts_comes_from_the_environment(make_app):
    client = make_app({"ALLOWED_HOSTS": ".example.com"}).test_client()
    assert client.get("/", headers={"Host": "notes.example.com"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost"}).status_code == 400


def test_a_body_over_one_mib_is_413_and_changes_nothing(app, client, auth):
    auth.register("alice")
    token = auth.token("/")
    padding = "x" * (1024 * 1024)
    response = client.post("/auth/logout", data={"csrf_token": token, "padding": padding})
    assert response.status_code == 413
    assert client.get("/notes").status_code == 200  # still logged in
    response = auth.post("/notes", title="big", body="b" * (1024 * 1024 + 1))
    assert response.status_code == 413
    assert rows(app, Note) == 0


@pytest.mark.parametrize(
    "path", ["/.env", "/static/../.env", "/static/%2e%2e/.env", "/pyproject.toml"]
)
def test_only_the_static_folder_is_served_as_files(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"SECRET_KEY" not in response.data


@pytest.mark.parametrize(
    "note_id", ["0", "-1", "abc", "1.5", "99999999999999999999999", str(2**31), "%EF%BC%91"]
)
def test_note_ids_out_of_range_are_404(app, auth, note_id):
    auth.register("alice")
    auth.add_note("keep me")
    assert auth.delete_note(note_id).status_code == 404
    assert rows(app, Note) == 1
