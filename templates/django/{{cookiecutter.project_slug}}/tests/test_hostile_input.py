"""Hostile requests: refused cleanly (a form message or a 4xx), nothing stored, never a 5xx."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.forms import LoginForm, PasswordChangeForm, PasswordResetForm, RegisterForm
from accounts.models import ThrottleEvent
from notes.forms import NoteForm
from notes.models import Note

pytestmark = pytest.mark.django_db
User = get_user_model()
UNSTORABLE = "Remove the control character (such as NUL) or invalid text from this field."


def post_raw(client, path, body, token, content_type="application/x-www-form-urlencoded"):
    """``body`` (bytes, already URL-encoded) posted as a browser would post a form."""
    return client.generic(
        "POST",
        path,
        b"csrfmiddlewaretoken=" + token.encode() + b"&" + body,
        content_type=content_type,
    )


def test_register_refuses_unstorable_text_in_any_field(auth):
    bad = "nul\x00here"
    for field in ("username", "email", "password"):
        values = {"username": "bob", "email": "bob@example.com", "password": "long enough pw"}
        values[field] = bad if field != "email" else f"bob{bad}@example.com"
        response = auth.register(**values)
        assert response.status_code == 200
        assert UNSTORABLE in response.content.decode()
    assert not User.objects.exists()


def test_note_and_login_forms_refuse_unstorable_text(auth):
    bad = "nul\x00here"
    auth.register("alice")
    for title, body in [(bad, "body"), ("title", bad)]:
        response = auth.add_note(title, body)
        assert response.status_code == 200
        assert UNSTORABLE in response.content.decode()
    assert not Note.objects.exists()
    auth.logout()
    for username, password in [(bad, "a password"), ("alice", bad)]:
        response = auth.login(username, password)
        assert response.status_code == 200
        assert UNSTORABLE in response.content.decode()
    assert not ThrottleEvent.objects.exists()  # refused before any sign-in was tried


def test_reset_and_change_forms_refuse_unstorable_text(auth, mailoutbox):
    bad = "nul\x00here"
    response = auth.request_reset(f"a{bad}@example.com")
    assert response.status_code == 200
    assert UNSTORABLE in response.content.decode()
    auth.register("alice")
    response = auth.change_password(bad, "a brand new password")
    assert response.status_code == 200
    assert UNSTORABLE in response.content.decode()
    response = auth.change_password(auth.password, bad, bad)
    assert response.status_code == 200
    assert UNSTORABLE in response.content.decode()
    assert User.objects.get().check_password(auth.password)
    assert not mailoutbox


@pytest.mark.parametrize(
    "form_class", [RegisterForm, LoginForm, NoteForm, PasswordResetForm, PasswordChangeForm]
)
def test_every_form_refuses_a_lone_surrogate_in_any_field(form_class, django_user_model):
    """A surrogate can't come through a UTF-8 form body (that is a 400, below), but no text
    field of a form lets one through to the database either."""
    user = django_user_model.objects.create_user("alice", "alice@example.com", "a long password")
    if form_class is PasswordChangeForm:
        form = form_class(user)
    elif form_class is LoginForm:
        form = form_class(None)
    else:
        form = form_class()
    for name in form.fields:
        data = {field: "lone \ud800 surrogate" if field == name else "" for field in form.fields}
        bound = (
            form_class(user, data)
            if form_class is PasswordChangeForm
            else (form_class(None, data) if form_class is LoginForm else form_class(data))
        )
        assert UNSTORABLE in bound.errors.get(name, []), (form_class.__name__, name)


@pytest.mark.parametrize(
    "raw", [b"title=%FF%FEbad&body=", b"title=\xff\xfe&body=", b"title=%ED%A0%80"]
)
def test_a_form_body_that_is_not_utf8_is_refused_with_400(csrf_client, auth, raw):
    auth.register("alice")
    response = post_raw(csrf_client, "/notes", raw, auth.token("/notes"))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert not Note.objects.exists()


def test_a_field_sent_twice_a_json_body_and_a_long_query_get_no_5xx(csrf_client, auth):
    auth.register("alice")
    token = auth.token("/notes")
    response = post_raw(csrf_client, "/notes", b"title=one&title=two&body=", token)
    assert response.status_code == 302
    assert list(Note.objects.values_list("title", flat=True)) == ["two"]
    response = post_raw(csrf_client, "/notes", b'{"title": "json"}', token, "application/json")
    assert response.status_code in (200, 400, 403)
    assert Note.objects.count() == 1
    assert csrf_client.get("/notes?" + "q=" + "x" * 8000).status_code == 200
    assert csrf_client.get("/" + "a" * 8000).status_code == 404


@pytest.mark.parametrize("cookie", ["garbage", "x" * 4000, "é\u00ff;", "' OR 1=1 --"])
def test_a_garbage_session_cookie_is_anonymous(cookie):
    client = Client()
    client.cookies["sessionid"] = cookie
    assert client.get("/").status_code == 200
    assert client.get("/notes").status_code == 302


def test_an_unexpected_method_on_a_page_route_is_a_405_and_head_works(csrf_client, auth):
    assert csrf_client.put("/").status_code == 405
    assert csrf_client.head("/").status_code == 200
    assert csrf_client.head("/").content == b""
    auth.register("alice")
    token = auth.token("/notes")
    for path in ("/notes", "/auth/login", "/auth/register", "/auth/password-reset"):
        response = csrf_client.put(
            path,
            f"csrfmiddlewaretoken={token}&title=put",
            content_type="application/x-www-form-urlencoded",
            headers={"x-csrftoken": token},
        )
        assert response.status_code == 405, path
    assert not Note.objects.exists()
