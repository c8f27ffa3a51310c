"""Password change: login required, the current password checked, other sessions ended."""

import webtest
from conftest import PASSWORD, form, location
from sqlalchemy import select

from {{ cookiecutter.project_slug }} import rules
from {{ cookiecutter.project_slug }}.models import User


def test_change_password_needs_login(client):
    response = client.get("/auth/password")
    assert response.status_int == 303
    assert location(response) == "/auth/login?next=/auth/password"


def test_change_password_page_is_linked_from_the_header_and_has_three_password_inputs(client, auth):
    auth.register("alice")
    page = client.get("/")
    assert page.html.find("a", href="/auth/password")
    page_form = form(client.get("/auth/password"), "/auth/password")
    kinds = [field.attrs.get("type") for name, field in page_form.field_order if name]
    assert kinds == ["hidden", "password", "password", "password"]


def test_change_password_keeps_this_session_on_a_new_id_and_ends_the_others(app, client, auth):
    auth.register("alice")
    other = webtest.TestApp(app)
    auth_other = type(auth)(other)
    auth_other.login("alice")
    copy = webtest.TestApp(app)  # a copy of this session's cookie, taken before the change
    copy.set_cookie("session_id", client.cookies["session_id"])
    before = client.cookies["session_id"]
    response = auth.change_password(new="a brand new password")
    assert response.status_int == 303
    assert location(response) == "/notes"
    assert rules.PASSWORD_CHANGED in response.follow().text
    assert client.cookies["session_id"] != before
    assert auth.logged_in()
    assert not auth_other.logged_in()
    assert copy.get("/notes").status_int == 303
    auth.logout()
    assert auth.login("alice", PASSWORD).status_int == 200
    assert auth.login("alice", "a brand new password").status_int == 303


def test_change_password_refuses_a_wrong_current_password_or_an_invalid_new_one(auth, db):
    auth.register("alice")
    before = db.scalars(select(User.password_hash)).one()
    for fields, message in [
        ({"current": "not my password"}, rules.PASSWORD_WRONG),
        ({"new": "short"}, rules.PASSWORD_LENGTH),
        ({"confirmation": "something else"}, rules.PASSWORD_MISMATCH),
        ({"new": "nul \x00 in it"}, rules.UNSTORABLE),
        ({"current": "nul \x00 in it"}, rules.UNSTORABLE),
    ]:
        response = auth.change_password(**fields)
        assert response.status_int == 200
        assert message in response.text
    db.expire_all()
    assert db.scalars(select(User.password_hash)).one() == before
    assert auth.logged_in()


def test_change_password_needs_the_csrf_token(client, auth, db):
    auth.register("alice")
    before = db.scalars(select(User.password_hash)).one()
    new = "x" * 12
    data = {"current_password": PASSWORD, "new_password": new, "new_password_confirm": new}
    assert client.post("/auth/password", data, expect_errors=True).status_int == 403
    assert db.scalars(select(User.password_hash)).one() == before
