"""Password reset by e-mail (Django's views and token generator) and the mail set-up."""

import logging
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.test import Client

pytestmark = pytest.mark.django_db
User = get_user_model()
SENT = "If an account uses that address, we have sent it a link to set a new password."
LINK = re.compile(r"https?://\S+")


def the_link(mail):
    links = LINK.findall(mail.body)
    assert len(links) == 1, mail.body
    return links[0]


def test_reset_page_has_one_email_input_and_nothing_else_visible(csrf_client):
    page = csrf_client.get("/auth/password-reset").content.decode()
    assert 'action="/auth/password-reset"' in page
    assert sorted(re.findall(r'<input type="(\w+)"', page)) == ["email", "hidden"]


def test_reset_answers_the_same_whether_or_not_the_address_has_an_account(
    csrf_client, auth, alice, mailoutbox
):
    answers = []
    for email in ("alice@example.com", "nobody@example.com"):
        response = auth.request_reset(email)
        assert response.status_code == 302
        assert response["Location"] == "/auth/password-reset/sent"
        page = csrf_client.get(response["Location"])
        answers.append((page.status_code, page.content.decode()))
    assert answers[0] == answers[1]
    assert SENT in answers[0][1]
    assert [mail.to for mail in mailoutbox] == [["alice@example.com"]]


def test_reset_mail_is_plain_text_from_email_from_with_one_absolute_link(
    auth, alice, mailoutbox, settings
):
    settings.DEFAULT_FROM_EMAIL = "notes@example.com"
    auth.request_reset("ALICE@Example.com")  # the address is matched whatever its case
    (mail,) = mailoutbox
    assert mail.from_email == "notes@example.com"
    assert mail.to == ["alice@example.com"]
    assert not mail.alternatives
    link = the_link(mail)
    assert re.fullmatch(r"http://testserver/auth/password-reset/[^/?#]+", link)


def test_reset_link_uses_base_url_when_set(auth, alice, mailoutbox, settings):
    settings.BASE_URL = "https://notes.example.com"
    auth.request_reset("alice@example.com")
    assert the_link(mailoutbox[0]).startswith("https://notes.example.com/auth/password-reset/")


def test_reset_link_never_takes_a_forwarded_host(auth, alice, mailoutbox):
    token = auth.token("/auth/password-reset")
    auth.client.post(
        "/auth/password-reset",
        {"csrfmiddlewaretoken": token, "email": "alice@example.com"},
        headers={"x-forwarded-host": "evil.example"},
    )
    assert the_link(mailoutbox[0]).startswith("http://testserver/")


def test_reset_for_another_host_is_refused(auth, alice, mailoutbox):
    token = auth.token("/auth/password-reset")
    response = auth.client.post(
        "/auth/password-reset",
        {"csrfmiddlewaretoken": token, "email": "alice@example.com"},
        headers={"host": "evil.example"},
    )
    assert response.status_code == 400
    assert not mailoutbox


def test_reset_sends_at_most_three_mails_per_address_per_hour(auth, alice, mailoutbox, clock):
    for _ in range(5):
        assert auth.request_reset("alice@example.com")["Location"] == "/auth/password-reset/sent"
    assert len(mailoutbox) == 3
    clock.advance(minutes=61)
    auth.request_reset("alice@example.com")
    assert len(mailoutbox) == 4


def test_reset_refuses_an_invalid_address_with_a_message(auth, mailoutbox):
    response = auth.request_reset("not an address")
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not mailoutbox


def test_reset_needs_a_csrf_token(csrf_client, alice, mailoutbox):
    csrf_client.get("/auth/password-reset")
    response = csrf_client.post("/auth/password-reset", {"email": "alice@example.com"})
    assert response.status_code == 403
    assert not mailoutbox


def test_reset_link_sets_a_new_password_once_and_ends_every_session(
    csrf_client, auth, alice, mailoutbox
):
    old_session = Client()
    old_session.post("/auth/login", {"username": "alice", "password": auth.password})
    assert old_session.get("/notes").status_code == 200

    auth.request_reset("alice@example.com")
    link = the_link(mailoutbox[0])
    response = csrf_client.get(link)
    # The token goes into the session; the form is at a token-free URL (no token in a Referer).
    assert response.status_code == 302
    form_url = response["Location"]
    token = link.rsplit("-", 2)
    assert form_url.endswith("-set-password") and token[-1] not in form_url
    page = csrf_client.get(form_url).content.decode()
    assert sorted(re.findall(r'<input type="(\w+)"', page)) == ["hidden", "password", "password"]

    new = "a brand new password"
    data = {"new_password1": new, "new_password2": new}
    response = auth.post(form_url, data)
    assert response.status_code == 302
    assert response["Location"] == "/auth/login"
    assert "Your password has been set." in csrf_client.get("/auth/login").content.decode()
    assert old_session.get("/notes").status_code == 302  # the session from before has ended

    # Spent: the link and the form are invalid now, and change nothing.
    assert "invalid" in csrf_client.get(link).content.decode()
    again = {"new_password1": "x" * 12, "new_password2": "x" * 12}
    response = auth.post(form_url, again, form_path="/auth/login")
    assert response.status_code == 200
    assert "invalid" in response.content.decode()
    assert auth.login("alice", "x" * 12).status_code == 200
    assert auth.login("alice", new).status_code == 302


def test_reset_form_refuses_invalid_passwords_with_a_message(csrf_client, auth, alice, mailoutbox):
    auth.request_reset("alice@example.com")
    form_url = csrf_client.get(the_link(mailoutbox[0]))["Location"]
    for first, second, message in [
        ("short", "short", "This password is too short."),
        ("a long password", "another one", "The two password fields didn"),
    ]:
        response = auth.post(form_url, {"new_password1": first, "new_password2": second})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert auth.login("alice").status_code == 302  # the password is still the old one


@pytest.mark.parametrize(
    "mangle",
    [
        lambda link: link[:-1] + ("0" if link[-1] != "0" else "1"),  # tampered signature
        lambda link: link.rsplit("-", 2)[0] + "-abc-def",  # another token
        lambda link: link.rsplit("-", 1)[0],  # cut short
        lambda link: link.rsplit("/", 1)[0] + "/whatever",
    ],
)
def test_reset_link_tampered_is_invalid_with_a_link_to_ask_again(
    csrf_client, auth, alice, mailoutbox, mangle
):
    auth.request_reset("alice@example.com")
    response = csrf_client.get(mangle(the_link(mailoutbox[0])))
    page = response.content.decode()
    assert response.status_code in (200, 400, 404, 410)
    assert "invalid" in page
    assert 'href="/auth/password-reset"' in page
    assert 'type="password"' not in page


def test_reset_link_expires(csrf_client, auth, alice, mailoutbox, settings, monkeypatch):
    settings.PASSWORD_RESET_TIMEOUT = 60
    auth.request_reset("alice@example.com")
    link = the_link(mailoutbox[0])
    now = PasswordResetTokenGenerator._now
    monkeypatch.setattr(
        PasswordResetTokenGenerator, "_now", lambda self: now(self) + timedelta(seconds=59)
    )
    assert csrf_client.get(link).status_code == 302  # still valid
    monkeypatch.setattr(
        PasswordResetTokenGenerator, "_now", lambda self: now(self) + timedelta(seconds=61)
    )
    assert "invalid or has expired" in csrf_client.get(link).content.decode()


def test_reset_link_dies_when_the_password_changes(csrf_client, auth, alice, mailoutbox):
    auth.request_reset("alice@example.com")
    alice.set_password("changed elsewhere")
    alice.save()
    assert "invalid" in csrf_client.get(the_link(mailoutbox[0])).content.decode()


def test_reset_with_a_dead_mail_server_answers_the_same_and_logs_why(auth, alice, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with caplog.at_level(logging.ERROR):
        response = auth.request_reset("alice@example.com")
    assert response.status_code == 302
    assert response["Location"] == "/auth/password-reset/sent"
    (record,) = [r for r in caplog.records if "password reset email" in r.getMessage()]
    assert "Failed to send" in record.getMessage()
    assert isinstance(record.exc_info[1], OSError)  # why: the connection was refused
