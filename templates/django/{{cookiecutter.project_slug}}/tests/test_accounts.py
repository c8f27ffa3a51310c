"""Registration, login, logout, `next`, CSRF and sessions; usernames and addresses folded."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.test import Client

pytestmark = pytest.mark.django_db
User = get_user_model()


def input_types(page):
    return sorted(re.findall(r'<input type="(\w+)"', page))


def test_register_page_has_one_text_one_email_and_two_password_inputs(csrf_client):
    page = csrf_client.get("/auth/register").content.decode()
    assert 'action="/auth/register"' in page
    assert input_types(page) == ["email", "hidden", "password", "password", "text"]


def test_login_page_has_one_text_and_one_password_input_and_a_reset_link(csrf_client):
    page = csrf_client.get("/auth/login").content.decode()
    assert 'action="/auth/login"' in page
    assert input_types(page) == ["hidden", "password", "text"]
    assert 'href="/auth/password-reset"' in page


def test_register_logs_in_and_redirects_to_notes(csrf_client, auth):
    response = auth.register("alice")
    assert response.status_code == 302
    assert response["Location"] == "/notes"
    assert csrf_client.get("/notes").status_code == 200
    user = User.objects.get()
    assert (user.username, user.email) == ("alice", "alice@example.com")
    assert (user.username_key, user.email_key) == ("alice", "alice@example.com")
    assert auth.password not in user.password


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
def test_register_refuses_invalid_values(csrf_client, auth, fields, message):
    response = auth.register(**{"username": "bob", **fields})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'action="/auth/register"' in response.content.decode()
    assert not User.objects.exists()
    assert csrf_client.get("/notes").status_code == 302


@pytest.mark.parametrize(
    ("taken", "username", "email", "message"),
    [
        ("alice", "alice", "other@example.com", "A user with that username already exists."),
        ("alice", "ALICE", "other@example.com", "A user with that username already exists."),
        ("émile", "Émile", "other@example.com", "A user with that username already exists."),
        ("file", "ﬁle", "other@example.com", "A user with that username already exists."),
        ("straße", "STRASSE", "other@example.com", "A user with that username already exists."),
        ("alice", "other", "ALICE@example.com", "A user with that e-mail address already exists."),
        ("alice", "other", "alice@EXAMPLE.com", "A user with that e-mail address already exists."),
    ],
)
def test_register_refuses_a_username_or_email_taken_in_another_case(
    auth, taken, username, email, message
):
    auth.register(taken, email="alice@example.com")
    auth.logout()
    response = auth.register(username, email=email)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == 1


def test_usernames_are_stored_nfkc_normalised(auth):
    auth.register("ﬁle", email="file@example.com")  # the ligature ﬁ is "fi"
    assert User.objects.get().username == "file"


def test_the_database_enforces_folded_uniqueness():
    User.objects.create_user("émile", "emile@example.com", "a long password")
    for username, email in [("ÉMILE", "x@example.com"), ("other", "EMILE@example.com")]:
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create_user(username, email, "a long password")
    assert User.objects.count() == 1


def test_long_non_ascii_password(auth):
    password = "ü" * 40  # 80 bytes in UTF-8: more than bcrypt could take
    assert auth.register("umlaut", password=password).status_code == 302
    auth.logout()
    assert auth.login("umlaut", password[:-1]).status_code == 200
    assert auth.login("umlaut", password).status_code == 302


def test_login_and_logout(csrf_client, auth):
    auth.register("alice")
    auth.logout()
    assert csrf_client.get("/notes").status_code == 302
    response = auth.login("alice")
    assert response.status_code == 302
    assert response["Location"] == "/notes"
    assert csrf_client.get("/notes").status_code == 200
    response = auth.logout()
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert csrf_client.get("/notes").status_code == 302


@pytest.mark.parametrize("typed", ["ALICE", "Alice", "alice"])
def test_login_finds_the_username_whatever_its_case(csrf_client, auth, typed):
    auth.register("alice")
    auth.logout()
    assert auth.login(typed).status_code == 302
    assert csrf_client.get("/").context["user"].username == "alice"


@pytest.mark.parametrize(("username", "password"), [("alice", "wrong password"), ("nobody", "x")])
def test_login_failure_is_generic(csrf_client, auth, username, password):
    auth.register("alice")
    auth.logout()
    response = auth.login(username, password)
    assert response.status_code == 200
    assert "Invalid username or password" in response.content.decode()
    assert csrf_client.get("/notes").status_code == 302


def test_login_follows_a_local_next(auth):
    auth.register("alice")
    auth.logout()
    response = auth.login("alice", next_url="/notes%3Fpage%3D2")
    assert response.status_code == 302
    assert response["Location"] == "/notes?page=2"


def test_the_login_form_keeps_a_local_next(csrf_client):
    page = csrf_client.get("/auth/login?next=/notes").content.decode()
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
def test_login_never_redirects_off_site_whatever_next_says(auth, target):
    auth.register("alice")
    auth.logout()
    response = auth.login("alice", next_url=target)
    assert response.status_code == 302
    assert response["Location"] == "/notes"


def test_logout_needs_a_post(csrf_client, auth):
    auth.register("alice")
    assert csrf_client.get("/auth/logout").status_code == 405
    assert csrf_client.get("/notes").status_code == 200


@pytest.mark.parametrize("token", [None, "forged" * 8])
def test_posts_without_a_valid_csrf_token_are_refused(csrf_client, auth, token):
    extra = {} if token is None else {"csrfmiddlewaretoken": token}
    csrf_client.get("/auth/register")  # the CSRF cookie is set, as in a browser
    data = {"username": "eve", "email": "eve@example.com", "password1": "long enough pw"}
    data["password2"] = data["password1"]
    assert csrf_client.post("/auth/register", {**data, **extra}).status_code == 403
    assert not User.objects.exists()

    auth.register("alice")
    assert csrf_client.post("/auth/logout", extra).status_code == 403
    assert csrf_client.get("/notes").status_code == 200

    auth.logout()
    credentials = {"username": "alice", "password": auth.password}
    assert csrf_client.post("/auth/login", {**credentials, **extra}).status_code == 403
    assert csrf_client.get("/notes").status_code == 302


def test_the_session_from_before_login_is_not_logged_in(csrf_client, auth):
    auth.register("alice")
    auth.logout()
    session = csrf_client.session  # an anonymous session, as a visitor may have
    session["seen"] = True
    session.save()
    before = csrf_client.cookies["sessionid"].value
    auth.login("alice")
    assert csrf_client.cookies["sessionid"].value != before
    replay = Client()
    replay.cookies["sessionid"] = before
    assert replay.get("/notes").status_code == 302


def test_logout_ends_the_session_on_the_server(csrf_client, auth):
    auth.register("alice")
    copy = Client()
    copy.cookies["sessionid"] = csrf_client.cookies["sessionid"].value
    assert copy.get("/notes").status_code == 200
    auth.logout()
    assert copy.get("/notes").status_code == 302


def test_session_and_csrf_cookie_flags(csrf_client, auth, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = auth.register("alice")
    session = response.cookies["sessionid"]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert session["secure"] is True
    assert csrf_client.cookies["csrftoken"]["secure"] is True
    assert csrf_client.cookies["csrftoken"]["samesite"] == "Lax"


def test_the_admin_add_user_form_refuses_a_username_taken_in_another_case(admin_client):
    User.objects.create_user("émile", "emile@example.com", "a long password")
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "ÉMILE",
            "email": "other@example.com",
            "usable_password": "true",
            "password1": "a long password 2",
            "password2": "a long password 2",
        },
    )
    assert response.status_code == 200
    assert "A user with that username already exists." in response.content.decode()
    assert not User.objects.filter(email="other@example.com").exists()
