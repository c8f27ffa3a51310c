"""Password reset by e-mail and password change (docs/contract.md §2a, §2b)."""

import re
import socket
import time
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from {{ cookiecutter.project_slug }}.extensions import db
from {{ cookiecutter.project_slug }}.models import User
from {{ cookiecutter.project_slug }}.tokens import make_token

SENT = "If an account uses that address, we have sent it a link to set a new password."
LINK = re.compile(r"https?://\S+")


def request_reset(auth, email):
    response = auth.post("/auth/password-reset", email=email)
    return response, auth.client.get(response.headers["Location"]) if response.location else None


def reset_link(message):
    links = LINK.findall(message.body)
    assert len(links) == 1, message.body
    return links[0]


def set_password(auth, link, password="a brand new password", confirm=None):
    """Post the form of the reset link (with this session's CSRF token, which any form has)."""
    data = {"password": password, "password_confirm": confirm or password}
    return auth.post(urlsplit(link).path, page="/auth/password-reset", **data)


def user(app, username="alice"):
    with app.app_context():
        return db.session.scalars(select(User).where(User.username == username)).one()


def test_password_reset_page_has_one_email_input(client):
    page = client.get("/auth/password-reset").get_data(as_text=True)
    assert 'action="/auth/password-reset"' in page
    assert page.count('type="email"') == 1
    assert page.count('type="text"') == page.count('type="password"') == 0


def test_password_reset_answers_the_same_whether_or_not_an_account_exists(auth, outbox):
    auth.register("alice", email="alice@example.com")
    auth.logout()
    known, known_page = request_reset(auth, "ALICE@example.com")
    unknown, unknown_page = request_reset(auth, "nobody@example.com")
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    assert SENT in known_page.get_data(as_text=True)
    assert SENT in unknown_page.get_data(as_text=True)
    assert [message.to for message in outbox] == [["alice@example.com"]]


def test_password_reset_mail_holds_one_link_to_this_site(app, auth, outbox):
    auth.register("alice")
    request_reset(auth, "alice@example.com")
    (message,) = outbox
    assert message.from_email == "webmaster@localhost"
    assert message.content_subtype == "plain"
    link = reset_link(message)
    assert re.fullmatch(r"http://localhost/auth/password-reset/[^/?#]+", link)


def test_password_reset_link_uses_base_url_and_email_from(auth, make_app):
    app = make_app({"BASE_URL": "https://notes.example.com/", "EMAIL_FROM": "site@example.com"})
    auth = auth.another_browser(app)
    auth.register("alice")
    request_reset(auth, "alice@example.com")
    (message,) = app.extensions["mailman"].outbox
    assert message.from_email == "site@example.com"
    assert reset_link(message).startswith("https://notes.example.com/auth/password-reset/")


def test_password_reset_link_never_names_a_forged_host(client, auth, outbox):
    auth.register("alice")
    token = auth.token("/auth/password-reset")
    response = client.post(
        "/auth/password-reset",
        data={"csrf_token": token, "email": "alice@example.com"},
        headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"},
    )
    assert response.status_code == 400
    assert outbox == []
    client.post(
        "/auth/password-reset",
        data={"csrf_token": token, "email": "alice@example.com"},
        headers={"X-Forwarded-Host": "evil.example"},
    )
    assert "evil.example" not in reset_link(outbox[0])


def test_password_reset_refuses_an_invalid_address(auth, outbox):
    response = auth.post("/auth/password-reset", email="not an address")
    assert response.status_code == 200
    assert "Enter a valid e-mail address." in response.get_data(as_text=True)
    assert outbox == []


def test_password_reset_needs_a_csrf_token(client, auth, outbox):
    auth.register("alice")
    response = client.post("/auth/password-reset", data={"email": "alice@example.com"})
    assert response.status_code == 400
    assert outbox == []


def test_password_reset_sends_at_most_three_mails_per_address_per_hour(auth, outbox, clock):
    auth.register("alice")
    for _ in range(5):
        response, page = request_reset(auth, "alice@example.com")
        assert SENT in page.get_data(as_text=True)
    assert len(outbox) == 3
    clock.advance(3601)
    request_reset(auth, "alice@example.com")
    assert len(outbox) == 4


def test_password_reset_with_a_dead_mail_server_answers_the_same(auth, make_app, caplog):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = make_app({"EMAIL_URL": f"smtp://127.0.0.1:{port}"}, MAIL_BACKEND="smtp")
    auth = auth.another_browser(app)
    auth.register("alice")
    started = time.monotonic()
    response, page = request_reset(auth, "alice@example.com")
    assert time.monotonic() - started < 10
    assert response.status_code == 303
    assert SENT in page.get_data(as_text=True)
    assert "The password-reset mail could not be sent" in caplog.text


def test_password_reset_link_shows_a_form_and_sets_the_password(app, auth, outbox):
    auth.register("alice")
    auth.logout()
    request_reset(auth, "alice@example.com")
    link = reset_link(outbox[0])
    page = auth.client.get(link).get_data(as_text=True)
    assert page.count('type="password"') == 2
    response = set_password(auth, link)
    assert response.status_code == 303
    assert response.headers["Location"] == "/auth/login"
    assert "Your password has been set" in auth.client.get("/auth/login").get_data(as_text=True)
    assert auth.login("alice", "a brand new password").status_code == 303
    auth.logout()
    assert auth.login("alice").status_code == 200  # the old password is gone


def test_password_reset_token_is_single_use(app, auth, outbox):
    auth.register("alice")
    request_reset(auth, "alice@example.com")
    link = reset_link(outbox[0])
    set_password(auth, link)
    hash_after_reset = user(app).password_hash
    again = set_password(auth, link, "yet another password")
    assert again.status_code == 400
    assert "invalid or has expired" in again.get_data(as_text=True)
    assert user(app).password_hash == hash_after_reset
    page = auth.client.get(link)
    assert page.status_code == 400
    assert 'type="password"' not in page.get_data(as_text=True)
    assert 'href="/auth/password-reset"' in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("0" if token[-1] != "0" else "1"),
        lambda token: "1" + token,
        lambda token: "zzzzzzzzzzzzz-1-" + token.rsplit("-", 1)[1],
        lambda token: "garbage",
    ],
)
def test_password_reset_refuses_a_tampered_token(app, client, auth, outbox, tamper):
    auth.register("alice")
    request_reset(auth, "alice@example.com")
    link = reset_link(outbox[0])
    token = link.rsplit("/", 1)[1]
    response = client.get(f"/auth/password-reset/{tamper(token)}")
    assert response.status_code == 400
    assert "invalid or has expired" in response.get_data(as_text=True)


def test_password_reset_refuses_an_expired_token(app, auth):
    auth.register("alice")
    alice = user(app)
    max_age = app.config["PASSWORD_RESET_MAX_AGE"]
    made = time.time() - max_age - 1
    token = make_token(app.secret_key, alice.id, alice.password_hash, now=made)
    assert auth.client.get(f"/auth/password-reset/{token}").status_code == 400
    fresh = make_token(app.secret_key, alice.id, alice.password_hash, now=made + 2)
    assert auth.client.get(f"/auth/password-reset/{fresh}").status_code == 200


def test_password_reset_ends_every_session_of_the_user(auth, outbox):
    auth.register("alice")
    before = auth.client.get_cookie("session").value
    elsewhere = auth.another_browser()
    elsewhere.login("alice")
    request_reset(elsewhere, "alice@example.com")
    set_password(elsewhere, reset_link(outbox[0]))
    assert auth.client.get("/notes").status_code == 302
    assert elsewhere.client.get("/notes").status_code == 302
    auth.client.set_cookie("session", before)
    assert auth.client.get("/notes").status_code == 302


def test_password_reset_refuses_invalid_new_passwords(app, auth, outbox):
    auth.register("alice")
    request_reset(auth, "alice@example.com")
    link = reset_link(outbox[0])
    before = user(app).password_hash
    for password, confirm, message in [
        ("short", "short", "Use between 8 and 1024"),
        ("long enough", "different", "The passwords do not match."),
    ]:
        response = set_password(auth, link, password, confirm)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert user(app).password_hash == before


def test_password_change_page_needs_login(client):
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=%2Fauth%2Fpassword"


def test_password_change_page_is_linked_and_has_three_password_inputs(client, auth):
    auth.register("alice")
    assert 'href="/auth/password"' in client.get("/").get_data(as_text=True)
    page = client.get("/auth/password").get_data(as_text=True)
    assert page.count('type="password"') == 3


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("wrong password", "a brand new password", None, "Your current password is not correct."),
        (None, "short", None, "Use between 8 and 1024"),
        (None, "a brand new password", "different", "The passwords do not match."),
    ],
)
def test_password_change_refuses_wrong_or_invalid_values(app, auth, current, new, confirm, message):
    auth.register("alice")
    before = user(app).password_hash
    data = {"password": new, "password_confirm": confirm or new}
    response = auth.post("/auth/password", current_password=current or auth.password, **data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert user(app).password_hash == before


def test_password_change_keeps_this_session_and_ends_the_others(app, auth):
    auth.register("alice")
    copied = auth.client.get_cookie("session").value
    elsewhere = auth.another_browser()
    elsewhere.login("alice")
    data = {"password": "a brand new password", "password_confirm": "a brand new password"}
    response = auth.post("/auth/password", current_password=auth.password, **data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/notes"
    assert auth.client.get_cookie("session").value != copied
    assert "Your password has been changed." in auth.client.get("/notes").get_data(as_text=True)
    assert elsewhere.client.get("/notes").status_code == 302
    stale = auth.another_browser()
    stale.client.set_cookie("session", copied)
    assert stale.client.get("/notes").status_code == 302
    auth.logout()
    assert auth.login("alice", "a brand new password").status_code == 303
