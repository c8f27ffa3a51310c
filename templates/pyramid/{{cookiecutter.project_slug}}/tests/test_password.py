import re
from urllib.parse import urlsplit

import pytest
from pyramid_mailer import get_mailer
from sqlalchemy import func, select

from {{ cookiecutter.project_slug }}.models import Login, User
from {{ cookiecutter.project_slug }}.rules import RESET_DONE, RESET_INVALID, RESET_SENT

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new password"
LINK = re.compile(r"https?://\S+")


def request_reset(testapp, email="alice@example.com"):
    return testapp.submit("/auth/password-reset", email=email)


def reset_link(mailer):
    (message,) = mailer.outbox
    (link,) = LINK.findall(message.body)
    return link


def path_of(url):
    return urlsplit(url).path


def test_reset_page_is_linked_from_login_and_has_one_email_input(testapp):
    assert 'href="/auth/password-reset"' in testapp.get("/auth/login").text
    form = testapp.form("/auth/password-reset")
    kinds = [field.attrs.get("type") for (field,) in form.fields.values()]
    assert [kind for kind in kinds if kind not in ("hidden", "submit")] == ["email"]


def test_reset_answers_the_same_for_known_and_unknown_addresses(testapp, mailer):
    testapp.register("alice")
    testapp.logout()
    known, unknown = request_reset(testapp), request_reset(testapp, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    assert RESET_SENT in known.text and RESET_SENT in unknown.text
    assert known.text.replace(known.form["csrf_token"].value, "") == unknown.text.replace(
        unknown.form["csrf_token"].value, ""
    )
    assert len(mailer.outbox) == 1  # to alice only


def test_reset_mail_holds_one_absolute_link_and_comes_from_email_from(testapp, mailer):
    testapp.register("alice", email="Alice@Example.com")
    request_reset(testapp, "ALICE@example.COM")  # matched whatever its case
    (message,) = mailer.outbox
    assert message.recipients == ["Alice@Example.com"]
    assert message.sender == "webmaster@example.com"
    link = reset_link(mailer)
    assert link.startswith("http://example.com/auth/password-reset/")
    assert "/" not in link.removeprefix("http://example.com/auth/password-reset/")


def test_reset_link_uses_base_url(app_with):
    browser = app_with(base_url="https://notes.example.org")
    browser.register("baseurl")
    request_reset(browser, "baseurl@example.com")
    link = reset_link(get_mailer(browser.app.registry))
    assert link.startswith("https://notes.example.org/auth/password-reset/")


def test_reset_link_never_names_a_forged_host(testapp, visitor, mailer):
    testapp.register("alice")
    forged = visitor(HTTP_HOST="evil.example")
    assert forged.get("/auth/password-reset", status=400).status_code == 400
    forwarded = visitor(HTTP_X_FORWARDED_HOST="evil.example")
    request_reset(forwarded)
    assert "evil.example" not in reset_link(mailer)


def test_reset_sends_at_most_three_mails_per_address_per_hour(testapp, mailer, clock):
    testapp.register("alice")
    for _ in range(5):
        assert RESET_SENT in request_reset(testapp).text
    assert len(mailer.outbox) == 3
    clock.advance(3601)
    request_reset(testapp)
    assert len(mailer.outbox) == 4


def test_reset_refuses_an_invalid_address(testapp, mailer):
    for value in ["not an address", "", "a\x00@example.com"]:
        response = request_reset(testapp, value)
        assert response.status_code == 200
        assert RESET_SENT not in response.text
        assert 'class="error"' in response.text
    assert mailer.outbox == []


def test_reset_link_sets_a_new_password_once_and_ends_every_session(testapp, visitor, mailer):
    testapp.register("alice")
    other_device = visitor()
    other_device.login("alice")
    request_reset(testapp)
    link = reset_link(mailer)
    response = testapp.get(link, status=303)  # the token goes into the session, off the URL
    set_password = response.headers["Location"]
    assert path_of(set_password) == "/auth/password-reset/set-password"
    form = testapp.form(set_password)
    assert [n for n, f in form.fields.items() if f[0].attrs.get("type") == "password"] == [
        "password",
        "password_confirm",
    ]
    form["password"] = form["password_confirm"] = NEW_PASSWORD
    response = form.submit(status=303)
    assert path_of(response.headers["Location"]) == "/auth/login"
    assert RESET_DONE in response.follow().text
    # Every session of alice ended, the one that asked for the reset and the other device.
    assert testapp.get("/notes").status_code == 303
    assert other_device.get("/notes").status_code == 303
    # The link is spent, and so is the form posted again.
    assert RESET_INVALID in testapp.get(link, status=200).text
    assert testapp.login("alice", PASSWORD).status_code == 200
    assert testapp.login("alice", NEW_PASSWORD).status_code == 303


def test_reset_link_can_be_posted_to_directly(testapp, mailer):
    testapp.register("alice")
    request_reset(testapp)
    link = reset_link(mailer)
    token = testapp.csrf_token("/notes")
    data = {"csrf_token": token, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    assert testapp.post(link, data, status=303)
    again = testapp.post(link, {**data, "csrf_token": testapp.csrf_token()}, status=200)
    assert RESET_INVALID in again.text


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("0" if token[-1] != "0" else "1"),
        lambda token: token.replace("-", "0-", 1),  # another user's id
        lambda token: "zzzzzzzzzzzzz-" + token.split("-", 1)[1],
        lambda token: "not-a-token",
        lambda token: "set-password",
    ],
)
def test_reset_refuses_a_tampered_token(testapp, mailer, tamper):
    testapp.register("alice")
    testapp.logout()
    request_reset(testapp)
    link = reset_link(mailer)
    base, token = link.rsplit("/", 1)
    response = testapp.get(f"{base}/{tamper(token)}", status=200)
    assert RESET_INVALID in response.text
    assert 'href="/auth/password-reset"' in response.text
    assert 'type="password"' not in response.text


def test_reset_token_expires(testapp, mailer, clock):
    testapp.register("alice")
    request_reset(testapp)
    link = reset_link(mailer)
    clock.advance(3601)
    assert RESET_INVALID in testapp.get(link, status=200).text


def test_reset_token_dies_when_the_password_changes(testapp, mailer):
    testapp.register("alice")
    request_reset(testapp)
    link = reset_link(mailer)
    change_password(testapp, PASSWORD, NEW_PASSWORD)
    assert RESET_INVALID in testapp.get(link, status=200).text


def test_reset_refuses_invalid_new_passwords(testapp, mailer, dbsession):
    testapp.register("alice")
    before = dbsession.scalars(select(User.password_hash)).one()
    request_reset(testapp)
    set_password = testapp.get(reset_link(mailer)).headers["Location"]
    for password, confirmation in [("short", "short"), (NEW_PASSWORD, "other"), ("a\x00" * 5,) * 2]:
        form = testapp.form(set_password)
        form["password"], form["password_confirm"] = password, confirmation
        response = form.submit(status=200)
        assert 'class="error"' in response.text
    assert dbsession.scalars(select(User.password_hash)).one() == before


def test_reset_is_csrf_protected(testapp, mailer):
    testapp.register("alice")
    testapp.post("/auth/password-reset", {"email": "alice@example.com"}, status=400)
    testapp.post(
        "/auth/password-reset", {"email": "alice@example.com", "csrf_token": "x"}, status=400
    )
    assert mailer.outbox == []


def change_password(testapp, current, new, confirmation=None):
    return testapp.submit(
        "/auth/password",
        current_password=current,
        password=new,
        password_confirm=new if confirmation is None else confirmation,
    )


def test_change_password_needs_a_login(testapp):
    response = testapp.get("/auth/password", status=303)
    assert response.headers["Location"].endswith("/auth/login?next=%2Fauth%2Fpassword")


def test_change_password_is_linked_from_the_header_with_three_password_inputs(testapp):
    testapp.register("alice")
    assert 'href="/auth/password"' in testapp.get("/notes").text
    form = testapp.form("/auth/password")
    passwords = [n for n, (f,) in form.fields.items() if f.attrs.get("type") == "password"]
    assert passwords == ["current_password", "password", "password_confirm"]


def test_change_password_keeps_this_session_and_ends_the_others(testapp, visitor, dbsession):
    testapp.register("alice")
    copy = testapp.cookies["session"]
    other_device = visitor()
    other_device.login("alice")
    response = change_password(testapp, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 303
    assert path_of(response.headers["Location"]) == "/notes"
    assert testapp.cookies["session"] != copy
    assert testapp.get("/notes").status_code == 200
    assert other_device.get("/notes").status_code == 303
    testapp.set_cookie("session", copy)
    assert testapp.get("/notes").status_code == 303
    assert dbsession.scalar(select(func.count()).select_from(Login)) == 1
    assert testapp.login("alice", NEW_PASSWORD).status_code == 303


@pytest.mark.parametrize(
    ("current", "new", "confirmation"),
    [
        ("wrong password", NEW_PASSWORD, None),
        (PASSWORD, "short", None),
        (PASSWORD, NEW_PASSWORD, "something else"),
        (PASSWORD + "\x00", NEW_PASSWORD, None),
        ("", NEW_PASSWORD, None),
    ],
)
def test_change_password_refuses_invalid_values(testapp, dbsession, current, new, confirmation):
    testapp.register("alice")
    before = dbsession.scalars(select(User.password_hash)).one()
    response = change_password(testapp, current, new, confirmation)
    assert response.status_code == 200
    assert 'class="error"' in response.text
    assert dbsession.scalars(select(User.password_hash)).one() == before
    assert testapp.get("/notes").status_code == 200


def test_change_password_is_csrf_protected(testapp, dbsession):
    testapp.register("alice")
    before = dbsession.scalars(select(User.password_hash)).one()
    data = {
        "current_password": PASSWORD,
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
    }
    testapp.post("/auth/password", data, status=400)
    assert dbsession.scalars(select(User.password_hash)).one() == before
