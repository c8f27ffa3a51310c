"""Password reset by e-mail: the neutral answer, the mail and its link, the token's life."""

import re
from urllib.parse import urlsplit

import pytest
import webtest
from conftest import PASSWORD, form, location, submit
from sqlalchemy import func, select

from {{ cookiecutter.project_slug }} import rules
from {{ cookiecutter.project_slug }}.models import ThrottleEvent, User

LINK = re.compile(r"\S+/auth/password-reset/\S+")


def ask_for_reset(client, email):
    return submit(client, "/auth/password-reset", email=email)


def links(message):
    return LINK.findall(message.get_content())


@pytest.fixture()
def alice(auth):
    auth.register("alice", email="Alice@Example.com")
    auth.logout()


def test_reset_request_page_has_one_email_field(client):
    page_form = form(client.get("/auth/password-reset"), "/auth/password-reset")
    assert [field.attrs.get("type") for name, field in page_form.field_order if name] == [
        "hidden",
        "email",
    ]


@pytest.mark.usefixtures("alice")
def test_reset_request_answers_the_same_with_or_without_an_account(client, outbox):
    answers = []
    for email in ("alice@example.com", "nobody@example.com"):
        response = ask_for_reset(client, email)
        page = response.follow()
        answers.append((response.status_int, location(response), page.html.main.get_text()))
    assert answers[0] == answers[1]
    assert answers[0][:2] == (303, "/auth/password-reset")
    assert rules.RESET_SENT in answers[0][2]
    assert len(outbox.messages) == 1  # only the account's address got one


@pytest.mark.usefixtures("alice")
def test_reset_mail_holds_one_absolute_link_and_goes_to_the_account(client, outbox):
    ask_for_reset(client, "ALICE@example.COM")  # the address matches whatever its case
    [message] = outbox.messages
    assert message["To"] == "Alice@Example.com"
    assert message["From"] == "webmaster@localhost"
    assert message.get_content_type() == "text/plain"
    [link] = links(message)
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == "http://localhost:80"  # the request's origin
    assert parts.path.count("/") == 3  # /auth/password-reset/<token>: one segment


def test_reset_link_origin_is_base_url_when_set(make_app, outbox):
    client = webtest.TestApp(make_app(base_url="https://notes.example.com"))
    fields = {"username": "bob", "email": "bob@example.com"}
    submit(client, "/auth/register", **fields, password=PASSWORD, password_confirm=PASSWORD)
    ask_for_reset(client, "bob@example.com")
    [link] = links(outbox.messages[0])
    assert link.startswith("https://notes.example.com/auth/password-reset/")


@pytest.mark.usefixtures("alice")
def test_reset_a_forged_host_never_reaches_a_link(client, outbox):
    response = client.get(
        "/auth/password-reset", headers={"Host": "evil.example"}, expect_errors=True
    )
    assert response.status_int == 400
    page_form = form(client.get("/auth/password-reset"), "/auth/password-reset")
    page_form["email"] = "alice@example.com"
    response = page_form.submit(headers={"Host": "evil.example"}, expect_errors=True)
    assert response.status_int == 400
    assert outbox.messages == []


def test_reset_request_refuses_an_invalid_address(client, outbox):
    response = ask_for_reset(client, "not an address")
    assert response.status_int == 200
    assert rules.EMAIL_INVALID in response.text
    assert outbox.messages == []


def test_reset_request_needs_the_csrf_token(client, outbox, alice):
    client.get("/auth/password-reset")
    response = client.post(
        "/auth/password-reset", {"email": "alice@example.com"}, expect_errors=True
    )
    assert response.status_int == 403
    assert outbox.messages == []


@pytest.mark.usefixtures("alice")
def test_reset_mails_at_most_three_per_address_per_hour(client, outbox, clock):
    answers = {location(ask_for_reset(client, "alice@example.com")) for _ in range(5)}
    assert answers == {"/auth/password-reset"}
    assert len(outbox.messages) == 3
    clock.advance(3601)
    ask_for_reset(client, "alice@example.com")
    assert len(outbox.messages) == 4


def open_link(client, link):
    """GET the mail's link: it keeps the token in the session and goes on without it."""
    response = client.get(link)
    assert response.status_int == 303
    assert location(response) == "/auth/password-reset/set-password"
    return response.follow()


def set_new_password(page, password="a new password!", confirmation=None):
    page_form = form(page, "/auth/password-reset/set-password")
    page_form["password"] = password
    page_form["password_confirm"] = password if confirmation is None else confirmation
    return page_form.submit(expect_errors=True)


@pytest.mark.usefixtures("alice")
def test_reset_sets_the_new_password_once_and_ends_every_session(app, client, auth, outbox, db):
    logged_in = webtest.TestApp(app)  # a session opened before the reset
    submit(logged_in, "/auth/login", username="alice", password=PASSWORD)
    assert logged_in.get("/notes").status_int == 200
    ask_for_reset(client, "alice@example.com")
    [link] = links(outbox.messages[0])
    page = open_link(client, link)
    assert "Referrer-Policy" in page.headers
    page_form = form(page, page.request.path)  # the page posts to itself, token-free
    assert [f.attrs["type"] for name, f in page_form.field_order if name] == [
        "hidden",
        "password",
        "password",
    ]
    response = set_new_password(page)
    assert response.status_int == 303
    assert location(response) == "/auth/login"
    assert rules.RESET_DONE in response.follow().text
    assert logged_in.get("/notes").status_int == 303  # the earlier session has ended
    assert auth.login("alice", PASSWORD).status_int == 200  # the old password is gone
    assert location(auth.login("alice", "a new password!")) == "/notes"
    auth.logout()
    # The link is spent: again it is the "invalid" page, with no password form.
    again = webtest.TestApp(app).get(link)
    assert "invalid or has expired" in again.text
    assert again.html.find("a", href="/auth/password-reset")
    assert not again.html.find("input", type="password")
    # And the form posted a second time (same session) changes nothing.
    assert set_new_password(page, "third password!").status_int in {200, 403}
    assert location(auth.login("alice", "a new password!")) == "/notes"


@pytest.mark.usefixtures("alice")
def test_reset_link_expires(client, outbox, clock):
    ask_for_reset(client, "alice@example.com")
    [link] = links(outbox.messages[0])
    clock.advance(3601)
    page = client.get(link)
    assert page.status_int == 200
    assert "invalid or has expired" in page.text
    assert not page.html.find("input", type="password")


@pytest.mark.usefixtures("alice")
def test_reset_link_dies_when_the_password_changes(client, auth, outbox):
    ask_for_reset(client, "alice@example.com")
    [link] = links(outbox.messages[0])
    auth.login("alice")
    assert location(auth.change_password()) == "/notes"
    assert "invalid or has expired" in webtest.TestApp(client.app).get(link).text


def another_signature(token):
    return token[:-1] + ("0" if token[-1] != "0" else "1")


def another_user(token):
    user, _, rest = token.partition("-")
    return ("y" if user != "y" else "z") + "-" + rest


def another_time(token):
    user, stamp, signature = token.split("-")
    return f"{user}-{stamp[:-1]}{'0' if stamp[-1] != '0' else '1'}-{signature}"


@pytest.mark.usefixtures("alice")
@pytest.mark.parametrize(
    "tamper", [another_signature, another_user, another_time, lambda t: t + "x", lambda t: "abc"]
)
def test_reset_refuses_a_tampered_token(client, outbox, tamper):
    ask_for_reset(client, "alice@example.com")
    [link] = links(outbox.messages[0])
    base, _, token = link.rpartition("/")
    page = client.get(f"{base}/{tamper(token)}")
    assert page.status_int == 200
    assert "invalid or has expired" in page.text


def test_reset_without_a_token_in_the_session_is_invalid(client):
    page = client.get("/auth/password-reset/set-password")
    assert "invalid or has expired" in page.text
    assert not page.html.find("input", type="password")


@pytest.mark.usefixtures("alice")
def test_reset_refuses_an_invalid_new_password(client, outbox, db):
    ask_for_reset(client, "alice@example.com")
    page = open_link(client, links(outbox.messages[0])[0])
    before = db.scalars(select(User.password_hash)).one()
    for password, confirmation, message in [
        ("short", None, rules.PASSWORD_LENGTH),
        ("long enough 1", "long enough 2", rules.PASSWORD_MISMATCH),
        ("with a \x00 NUL", None, rules.UNSTORABLE),
    ]:
        response = set_new_password(page, password, confirmation)
        assert response.status_int == 200
        assert message in response.text
    assert db.scalars(select(User.password_hash)).one() == before


@pytest.mark.usefixtures("alice")
def test_reset_counts_mails_in_the_database(client, db):
    ask_for_reset(client, "nobody@example.com")
    assert db.scalar(select(func.count()).select_from(ThrottleEvent)) == 0
    ask_for_reset(client, "alice@example.com")
    assert db.scalar(select(func.count()).select_from(ThrottleEvent)) == 1
