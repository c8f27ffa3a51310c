import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()


def input_types(page):
    return sorted(re.findall(r'<input type="(\w+)"', page))


def test_register_form_has_one_text_one_email_and_two_password_inputs(client):
    page = client.get("/auth/register").content.decode()
    assert 'action="/auth/register"' in page
    assert input_types(page) == ["email", "hidden", "password", "password", "text"]


def test_login_form_has_one_text_and_one_password_input(client):
    page = client.get("/auth/login").content.decode()
    assert 'action="/auth/login"' in page
    assert input_types(page) == ["hidden", "password", "text"]


def test_register_logs_in_and_redirects_to_notes(client, auth):
    response = auth.register("alice")
    assert response.status_code == 302
    assert response["Location"] == "/notes"
    assert client.get("/notes").status_code == 200
    user = User.objects.get()
    assert (user.username, user.email) == ("alice", "alice@example.com")
    assert user.password.startswith("argon2$argon2id$")
    assert PASSWORD not in user.password


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": ""}, "This field is required."),
        ({"username": "a" * 151}, "at most 150 characters"),
        ({"username": "has space"}, "Enter a valid username."),
        ({"email": ""}, "This field is required."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"password": "short7!"}, "This password is too short."),
        ({"confirmation": "something else"}, "The two password fields didn"),
    ],
)
def test_register_refuses_invalid_values(client, auth, fields, message):
    response = auth.register(**{"username": "bob", **fields})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'action="/auth/register"' in response.content.decode()
    assert not User.objects.exists()
    assert client.get("/notes").status_code == 302


def test_register_refuses_a_taken_username_or_email(client, auth):
    auth.register("alice")
    auth.logout()
    for username, email, message in [
        ("alice", "other@example.com", "A user with that username already exists."),
        ("ALICE", "other@example.com", "A user with that username already exists."),
        ("other", "ALICE@example.com", "A user with that e-mail address already exists."),
    ]:
        response = auth.register(username, email=email)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert User.objects.count() == 1


def test_long_non_ascii_password(auth):
    password = "ü" * 40  # 80 bytes in UTF-8: more than bcrypt could take
    assert auth.register("umlaut", password=password).status_code == 302
    auth.logout()
    assert auth.login("umlaut", password[:-1]).status_code == 200
    assert auth.login("umlaut", password).status_code == 302


def test_login_and_logout(client, auth):
    auth.register("alice")
    auth.logout()
    assert client.get("/notes").status_code == 302
    response = auth.login("alice")
    assert response.status_code == 302
    assert response["Location"] == "/notes"
    assert client.get("/notes").status_code == 200
    response = auth.logout()
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/notes").status_code == 302


@pytest.mark.parametrize(("username", "password"), [("alice", "wrong password"), ("nobody", "x")])
def test_login_failure_is_generic(client, auth, username, password):
    auth.register("alice")
    auth.logout()
    response = auth.login(username, password)
    assert response.status_code == 200
    assert "Invalid username or password" in response.content.decode()
    assert client.get("/notes").status_code == 302


def test_login_follows_a_local_next(auth):
    auth.register("alice")
    auth.logout()
    response = auth.login("alice", next_url="/notes%3Fpage%3D2")
    assert response.status_code == 302
    assert response["Location"] == "/notes?page=2"


def test_the_login_form_keeps_a_local_next(client):
    page = client.get("/auth/login?next=/notes").content.decode()
    assert 'action="/auth/login?next=/notes"' in page


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "http:/evil.example",
    ],
)
def test_login_never_redirects_off_site(auth, target):
    auth.register("alice")
    auth.logout()
    response = auth.login("alice", next_url=target)
    assert response.status_code == 302
    assert response["Location"] == "/notes"


def test_logout_needs_a_post(client, auth):
    auth.register("alice")
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/notes").status_code == 200


@pytest.mark.parametrize("token", [None, "forged" * 8])
def test_posts_without_a_valid_csrf_token_are_refused(client, auth, token):
    extra = {} if token is None else {"csrfmiddlewaretoken": token}
    client.get("/auth/register")  # the CSRF cookie is set, as in a browser
    data = {"username": "eve", "email": "eve@example.com", "password1": "long enough pw"}
    data["password2"] = data["password1"]
    assert client.post("/auth/register", {**data, **extra}).status_code == 403
    assert not User.objects.exists()

    auth.register("alice")
    assert client.post("/auth/logout", extra).status_code == 403
    assert client.get("/notes").status_code == 200

    auth.logout()
    credentials = {"username": "alice", "password": PASSWORD}
    assert client.post("/auth/login", {**credentials, **extra}).status_code == 403
    assert client.get("/notes").status_code == 302


def test_the_session_from_before_login_is_not_logged_in(client, auth):
    auth.register("alice")
    auth.logout()
    session = client.session  # an anonymous session, as a visitor may have
    session["seen"] = True
    session.save()
    before = client.cookies["sessionid"].value
    auth.login("alice")
    assert client.cookies["sessionid"].value != before
    replay = Client()
    replay.cookies["sessionid"] = before
    assert replay.get("/notes").status_code == 302


def test_session_and_csrf_cookie_flags(client, auth, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = auth.register("alice")
    session = response.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert session["secure"] is True
    assert client.cookies["csrftoken"]["secure"] is True
    assert client.cookies["csrftoken"]["samesite"] == "Lax"
