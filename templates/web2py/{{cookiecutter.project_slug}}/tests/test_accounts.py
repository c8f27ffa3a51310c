"""The account lifecycle: password reset by mail, password change, throttling, sessions."""

import logging
import re

import pytest
import webtest
from conftest import PASSWORD, SESSION_COOKIE, form_on, text_of

SENT = "If an account uses that address, we have sent it a link to set a new password."
TOO_MANY = "Too many failed sign-in attempts. Try again in a few minutes."
LINK = re.compile(r"(\S+)/auth/password-reset/(\S+)")


def reset_link(message):
    [link] = LINK.findall(text_of(message))
    return link


def registered_and_out(user, name="alice"):
    assert user.register(name).status_int == 303
    user.logout()


def second_browser(site, app):
    """Another client holding a copy of ``app``'s session cookie."""
    other = webtest.TestApp(site)
    other.set_cookie(SESSION_COOKIE, app.cookies[SESSION_COOKIE])
    return other


# password reset -----------------------------------------------------------------------------


def test_reset_request_page_has_one_email_input_and_the_login_links_it(app):
    assert 'href="/auth/password-reset"' in app.get("/auth/login").text
    form = form_on(app.get("/auth/password-reset"), "/auth/password-reset")
    visible = [f for [f] in form.fields.values() if getattr(f, "attrs", {}).get("type") != "hidden"]
    assert [f.attrs["type"] for f in visible if f.attrs.get("type") != "submit"] == ["email"]


def test_reset_answers_the_same_for_unknown_addresses_and_mails_only_real_ones(user, outbox):
    registered_and_out(user)
    known = user.ask_for_reset("ALICE@example.com")
    unknown = user.ask_for_reset("nobody@example.com")
    assert known.status_int == unknown.status_int == 200
    assert SENT in known.text and SENT in unknown.text
    [message] = outbox
    assert message["To"] == "alice@example.com"
    assert message["From"] == "site@example.com"
    origin, token = reset_link(message)
    assert origin == "http://localhost:80"  # the request's own scheme and host
    assert "/" not in token


def test_reset_link_uses_base_url(user, outbox, reload_settings):
    registered_and_out(user)
    reload_settings(BASE_URL="https://notes.example.com")
    user.ask_for_reset()
    assert reset_link(outbox[0])[0] == "https://notes.example.com"


def test_reset_link_never_uses_a_forged_host(app, user, outbox):
    registered_and_out(user)
    forged = app.get("/auth/password-reset", headers={"Host": "evil.example"}, expect_errors=True)
    assert forged.status_int == 400
    user.ask_for_reset(HTTP_HOST="testserver.example", HTTP_X_FORWARDED_HOST="evil.example")
    assert reset_link(outbox[0])[0] == "http://testserver.example"


def test_reset_sets_the_password_once_and_ends_every_session(site, app, user, db, outbox):
    assert user.register("alice").status_int == 303
    before = second_browser(site, app)  # a session opened before the reset
    user.logout()
    user.ask_for_reset()
    origin, token = reset_link(outbox[0])
    page = app.get(f"/auth/password-reset/{token}")
    assert page.status_int == 303  # the key goes into the session, out of the URL
    assert page.headers["Location"] == "/auth/password-reset/set-password"
    page = page.follow()
    form = form_on(page, "/auth/password-reset/set-password")
    assert [
        f.attrs["type"] for [f] in form.fields.values() if f.attrs.get("type") == "password"
    ] == ["password", "password"]
    form["new_password"] = form["new_password2"] = "a new password"
    done = form.submit()
    assert done.status_int == 303
    assert done.headers["Location"] == "/auth/login"
    assert "Your password has been set." in done.follow().text
    assert before.get("/notes").status_int == 303
    assert user.login("alice", PASSWORD).status_int == 200
    assert user.login("alice", "a new password").status_int == 303
    user.logout()
    again = app.get(f"/auth/password-reset/{token}")
    assert again.status_int == 200
    assert "invalid or has expired" in again.text
    assert 'href="/auth/password-reset"' in again.text
    assert 'type="password"' not in again.text


@pytest.mark.parametrize(
    "token", ["tampered", "1700000000-00000000-0000-0000-0000-000000000000", "%00", "x" * 3000]
)
def test_reset_with_a_tampered_token_is_refused(app, token):
    page = app.get(f"/auth/password-reset/{token}", expect_errors=True)
    assert page.status_int == 200
    assert "invalid or has expired" in page.text
    assert 'type="password"' not in page.text


def test_reset_token_expires_after_password_reset_max_age(app, user, outbox, clock):
    registered_and_out(user)
    user.ask_for_reset()
    token = reset_link(outbox[0])[1]
    clock.advance(3601)
    page = app.get(f"/auth/password-reset/{token}")
    assert "invalid or has expired" in page.text


def test_reset_token_dies_when_the_password_changes(app, user, outbox):
    user.register("alice")
    user.ask_for_reset()
    token = reset_link(outbox[0])[1]
    assert user.change_password().status_int == 303
    assert "invalid or has expired" in app.get(f"/auth/password-reset/{token}").text


def test_reset_with_invalid_new_passwords_changes_nothing(app, user, outbox):
    registered_and_out(user)
    user.ask_for_reset()
    page = app.get(f"/auth/password-reset/{reset_link(outbox[0])[1]}").follow()
    form = form_on(page, "/auth/password-reset/set-password")
    form["new_password"], form["new_password2"] = "a new password", "another one"
    response = form.submit()
    assert response.status_int == 200
    assert "The passwords do not match." in response.text
    assert user.login("alice", PASSWORD).status_int == 303


def test_reset_sends_at_most_three_mails_an_hour_per_address(user, outbox, clock):
    registered_and_out(user)
    for _ in range(5):
        assert SENT in user.ask_for_reset().text
    assert len(outbox) == 3
    clock.advance(3601)
    user.ask_for_reset()
    assert len(outbox) == 4


def test_reset_with_a_dead_mail_server_answers_the_same_and_logs(user, reload_settings, caplog):
    registered_and_out(user)
    reload_settings(EMAIL_URL="smtp://127.0.0.1:9")  # nothing listens there
    with caplog.at_level(logging.WARNING):
        response = user.ask_for_reset()
    assert response.status_int == 200
    assert SENT in response.text
    assert "could not be sent" in caplog.text


def test_reset_mail_goes_to_the_log_by_default(user, reload_settings, caplog, outbox):
    registered_and_out(user)
    reload_settings(EMAIL_URL="")
    with caplog.at_level(logging.WARNING):
        user.ask_for_reset()
    assert outbox == []
    assert "To: alice@example.com" in caplog.text
    assert "/auth/password-reset/" in caplog.text


@pytest.mark.parametrize("address", ["nul\x00@example.com", "not an address"])
def test_reset_request_with_an_invalid_address_is_a_form_message(user, outbox, address):
    response = user.ask_for_reset(address)
    assert response.status_int == 200
    assert SENT not in response.text
    assert outbox == []


# password change ----------------------------------------------------------------------------


def test_change_password_needs_login(app):
    response = app.get("/auth/password")
    assert response.status_int == 303
    assert response.headers["Location"] == "/auth/login?next=%2Fauth%2Fpassword"


def test_change_password_is_linked_from_the_header(app, user):
    user.register("alice")
    assert 'href="/auth/password"' in app.get("/").text


def test_change_password_keeps_this_session_under_a_new_id_and_ends_the_others(site, app, user):
    user.register("alice")
    other = second_browser(site, app)
    before = app.cookies[SESSION_COOKIE]
    response = user.change_password()
    assert response.status_int == 303
    assert response.headers["Location"] == "/notes"
    assert app.get("/notes").status_int == 200
    assert app.cookies[SESSION_COOKIE] != before
    assert other.get("/notes").status_int == 303
    user.logout()
    assert user.login("alice", "a brand new password").status_int == 303


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"current": "not my password"}, "Your current password is not correct."),
        ({"new": "short"}, "between 8 and 1024"),
        ({"confirmation": "something else"}, "The passwords do not match."),
        ({"new": "nul \x00 inside"}, "control character"),
    ],
)
def test_change_password_refuses_invalid_values(user, fields, message):
    user.register("alice")
    response = user.change_password(**fields)
    assert response.status_int == 200
    assert message in response.text
    user.logout()
    assert user.login("alice", PASSWORD).status_int == 303


# throttling ---------------------------------------------------------------------------------


def test_login_throttling_per_username_even_with_the_right_password(user, clock):
    registered_and_out(user)
    for _ in range(5):
        assert user.login("ALICE", "wrong password").status_int == 200
    refused = user.login("alice", PASSWORD)
    assert refused.status_int == 429
    assert TOO_MANY in refused.text
    assert form_on(refused, "/auth/login")
    clock.advance(901)
    assert user.login("alice", PASSWORD).status_int == 303


def test_login_throttling_does_not_count_refused_attempts(user, clock):
    registered_and_out(user)
    for _ in range(5):
        user.login("alice", "wrong password")
    clock.advance(600)
    for _ in range(10):
        assert user.login("alice", "wrong password").status_int == 429
    clock.advance(301)  # 901 s after the failures: the refused attempts did not count
    assert user.login("alice", PASSWORD).status_int == 303


def test_login_throttling_window_slides(user, clock):
    registered_and_out(user)
    for _ in range(4):
        user.login("alice", "wrong password")
    clock.advance(800)
    user.login("alice", "wrong password")
    clock.advance(200)  # the first four are out of the window, the fifth is not
    assert user.login("alice", PASSWORD).status_int == 303


def test_login_success_clears_the_username_throttle_count(user):
    registered_and_out(user)
    for _ in range(4):
        user.login("alice", "wrong password")
    assert user.login("alice", PASSWORD).status_int == 303
    user.logout()
    for _ in range(4):
        assert user.login("alice", "wrong password").status_int == 200
    assert user.login("alice", PASSWORD).status_int == 303


def test_login_throttling_per_client_address(user):
    registered_and_out(user)
    for n in range(20):
        user.login(f"nobody{n}", "wrong password", REMOTE_ADDR="10.0.0.7")
    assert user.login("alice", PASSWORD, REMOTE_ADDR="10.0.0.7").status_int == 429
    assert user.login("alice", PASSWORD, REMOTE_ADDR="10.0.0.8").status_int == 303


def test_login_throttling_uses_the_forwarded_address_only_behind_trusted_proxies(site, app, db):
    from {{ cookiecutter.project_slug }}.hardening import RequestGuard

    behind_proxy = webtest.TestApp(RequestGuard(site.app, trusted_proxies={"127.0.0.1"}))
    user_page = behind_proxy.get("/auth/login")
    form = form_on(user_page, "/auth/login")
    form["username"], form["password"] = "nobody", "wrong password"
    form.submit(
        extra_environ={"REMOTE_ADDR": "127.0.0.1"},
        headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.4"},
    )
    direct = webtest.TestApp(site)
    form = form_on(direct.get("/auth/login"), "/auth/login")
    form["username"], form["password"] = "nobody", "wrong password"
    form.submit(extra_environ={"REMOTE_ADDR": "192.0.2.1"}, headers={"X-Forwarded-For": "1.2.3.4"})
    addresses = {row.subject for row in db(db.auth_throttle.kind == "address").select()}
    assert addresses == {"198.51.100.4", "192.0.2.1"}


def test_login_throttle_rows_older_than_the_window_are_deleted(user, db, clock):
    for n in range(3):
        user.login(f"nobody{n}", "wrong password")
    clock.advance(3601)
    user.login("someone", "wrong password")
    db.commit()
    assert db(db.auth_throttle).count() == 2  # the new username and address events only
