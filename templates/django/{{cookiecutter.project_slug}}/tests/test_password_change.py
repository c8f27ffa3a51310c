"""Password change: Django's PasswordChangeView with update_session_auth_hash."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW = "a brand new password"


def test_change_page_needs_login(csrf_client):
    response = csrf_client.get("/auth/password")
    assert response.status_code == 302
    assert response["Location"] == "/auth/login?next=/auth/password"


def test_change_page_has_three_password_inputs_and_is_linked_from_the_header(csrf_client, auth):
    auth.register("alice")
    assert 'href="/auth/password"' in csrf_client.get("/notes").content.decode()
    page = csrf_client.get("/auth/password").content.decode()
    assert 'action="/auth/password"' in page
    assert re.findall(r'<input type="(\w+)"', page).count("password") == 3


def test_change_keeps_this_session_under_a_new_id_and_ends_the_others(csrf_client, auth):
    auth.register("alice")
    before = csrf_client.cookies["sessionid"].value
    copy, elsewhere = Client(), Client()
    copy.cookies["sessionid"] = before
    elsewhere.post("/auth/login", {"username": "alice", "password": auth.password})
    assert copy.get("/notes").status_code == elsewhere.get("/notes").status_code == 200

    response = auth.change_password(auth.password, NEW)
    assert response.status_code == 302
    assert response["Location"] == "/notes"
    assert "Your password has been changed." in csrf_client.get("/notes").content.decode()
    assert csrf_client.cookies["sessionid"].value != before
    assert csrf_client.get("/notes").status_code == 200
    assert copy.get("/notes").status_code == 302
    assert elsewhere.get("/notes").status_code == 302
    assert User.objects.get().check_password(NEW)


@pytest.mark.parametrize(
    ("current", "new", "confirmation", "message"),
    [
        ("wrong password", NEW, NEW, "Your old password was entered incorrectly."),
        (None, "short", "short", "This password is too short."),
        (None, NEW, "something else", "The two password fields didn"),
        (None, "", "", "This field is required."),
    ],
)
def test_change_refuses_a_wrong_current_or_invalid_new_password(
    auth, current, new, confirmation, message
):
    auth.register("alice")
    response = auth.change_password(current or auth.password, new, confirmation)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.get().check_password(auth.password)


def test_change_needs_a_csrf_token(csrf_client, auth):
    auth.register("alice")
    data = {"old_password": auth.password, "new_password1": NEW, "new_password2": NEW}
    assert csrf_client.post("/auth/password", data).status_code == 403
    assert User.objects.get().check_password(auth.password)
