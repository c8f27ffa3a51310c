import pytest
import webtest
from argon2 import PasswordHasher
from conftest import PASSWORD, form, location
from sqlalchemy import func, select

from {{ cookiecutter.project_slug }} import rules
from {{ cookiecutter.project_slug }}.models import StoredSession, User


def user_count(db):
    return db.scalar(select(func.count()).select_from(User))


def test_register_logs_in_and_redirects_to_notes(client, auth, db):
    response = auth.register("alice")
    assert response.status_int == 303
    assert location(response) == "/notes"
    page = client.get("/notes")
    assert page.status_int == 200
    assert "Welcome, alice!" in page.text  # a flash message, shown once
    assert "Welcome, alice!" not in client.get("/notes").text
    user = db.scalars(select(User)).one()
    assert (user.username, user.username_key, user.email_key) == (
        "alice",
        "alice",
        "alice@example.com",
    )
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_the_register_page_has_the_contract_form(client):
    page_form = form(client.get("/auth/register"), "/auth/register")
    kinds = [field.attrs.get("type") for name, field in page_form.field_order if name]
    assert kinds == ["hidden", "text", "email", "password", "password"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": ""}, rules.REQUIRED),
        ({"username": "a" * 151}, rules.USERNAME_TOO_LONG),
        ({"username": "ß" * 80}, rules.USERNAME_TOO_LONG),  # folds to 160 characters
        ({"username": "has space"}, rules.USERNAME_CHARACTERS),
        ({"email": "not-an-email"}, rules.EMAIL_INVALID),
        ({"email": ""}, rules.REQUIRED),
        ({"password": "short"}, rules.PASSWORD_LENGTH),
        ({"confirmation": "something else"}, rules.PASSWORD_MISMATCH),
    ],
)
def test_register_refuses_invalid_values(auth, db, fields, message):
    values = {"username": "bob", "email": "bob@example.com", "password": "long enough pw"}
    response = auth.register(**{**values, **fields})
    assert response.status_int == 200
    assert message in response.text
    assert form(response, "/auth/register")
    assert user_count(db) == 0


@pytest.mark.parametrize(
    ("username", "email", "message"),
    [
        ("alice", "other@example.com", rules.USERNAME_TAKEN),
        ("Alice", "other@example.com", rules.USERNAME_TAKEN),
        ("ALICE", "other@example.com", rules.USERNAME_TAKEN),
        ("other", "ALICE@Example.com", rules.EMAIL_TAKEN),
    ],
)
def test_register_refuses_a_taken_username_or_email_whatever_the_case(
    auth, db, username, email, message
):
    auth.register("alice", email="alice@example.com")
    auth.logout()
    response = auth.register(username, email=email)
    assert response.status_int == 200
    assert message in response.text
    assert user_count(db) == 1


def test_register_normalises_usernames_nfkc_and_keeps_them_unique(auth, db):
    assert auth.register("ﬁle", email="ligature@example.com").status_int == 303  # ﬁ: one letter
    assert db.scalars(select(User.username)).one() == "file"
    auth.logout()
    assert rules.USERNAME_TAKEN in auth.register("FILE", email="f@example.com").text
    assert auth.register("émile", email="emile@example.com").status_int == 303
    auth.logout()
    assert rules.USERNAME_TAKEN in auth.register("Émile", email="e2@example.com").text
    assert user_count(db) == 2


def test_register_the_database_refuses_a_folded_duplicate(db):
    """The unique key is in the database, not only in the form: another writer can't add one."""
    db.add(User(username="alice", email="a@example.com", password_hash="x"))
    db.commit()
    db.add(User(username="ALICE", email="b@example.com", password_hash="x"))
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        db.commit()


def test_long_non_ascii_password(auth):
    password = "ü" * 40  # 80 bytes in UTF-8: more than bcrypt could take
    assert auth.register("umlaut", password=password).status_int == 303
    auth.logout()
    assert auth.login("umlaut", password[:-1]).status_int == 200
    assert auth.login("umlaut", password).status_int == 303


def test_login_and_logout(client, auth):
    auth.register("alice")
    auth.logout()
    assert client.get("/notes").status_int == 303
    response = auth.login("alice")
    assert response.status_int == 303
    assert location(response) == "/notes"
    assert client.get("/notes").status_int == 200
    response = auth.logout()
    assert response.status_int == 303
    assert location(response) == "/"
    assert client.get("/notes").status_int == 303


def test_login_finds_the_username_whatever_its_case(auth):
    auth.register("alice")
    auth.logout()
    assert location(auth.login("ALICE")) == "/notes"
    assert auth.logged_in()


def test_the_login_page_links_to_password_reset(client):
    page = client.get("/auth/login")
    assert page.html.find("a", href="/auth/password-reset").text == "Forgot your password?"
    page_form = form(page, "/auth/login")
    assert [field.attrs.get("type") for name, field in page_form.field_order if name] == [
        "hidden",
        "text",
        "password",
    ]


@pytest.mark.parametrize(("username", "password"), [("alice", "wrong password"), ("nobody", "x")])
def test_login_failure_is_generic(client, auth, username, password):
    auth.register("alice")
    auth.logout()
    response = auth.login(username, password)
    assert response.status_int == 200
    assert rules.INVALID_LOGIN in response.text
    assert client.get("/notes").status_int == 303


def test_login_rehashes_a_password_hashed_with_other_parameters(app, auth, db):
    auth.register("alice")
    auth.logout()
    user = db.scalars(select(User)).one()
    old_hash = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).hash(PASSWORD)
    user.password_hash = old_hash
    db.commit()
    assert auth.login("alice").status_int == 303
    db.expire_all()
    rehashed = db.scalars(select(User)).one().password_hash
    assert rehashed != old_hash
    assert not app.config["services"]["passwords"].hasher.check_needs_rehash(rehashed)


def test_login_follows_a_local_next(auth):
    auth.register("alice")
    auth.logout()
    response = auth.login("alice", next_url="/notes%3Fpage%3D2")
    assert location(response) == "/notes?page=2"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "http:/evil.example",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
    ],
)
def test_login_never_follows_a_next_off_site(auth, target):
    auth.register("alice")
    auth.logout()
    response = auth.login("alice", next_url=target)
    assert response.status_int == 303
    assert location(response) == "/notes"
    assert "evil.example" not in response.headers["Location"]


def test_the_login_form_keeps_a_local_next(client):
    page = client.get("/auth/login?next=/notes%3Fpage%3D2").text
    assert 'action="/auth/login?next=/notes%3Fpage%3D2"' in page
    assert "evil" not in client.get("/auth/login?next=//evil.example").text


def test_logout_needs_a_post(client, auth):
    auth.register("alice")
    assert client.get("/auth/logout", expect_errors=True).status_int == 405
    assert client.get("/notes").status_int == 200


def test_logout_ends_the_session_on_the_server(app, client, auth, db):
    auth.register("alice")
    copy = webtest.TestApp(app)
    copy.set_cookie("session_id", client.cookies["session_id"])
    assert copy.get("/notes").status_int == 200
    auth.logout()
    assert copy.get("/notes").status_int == 303  # the copy taken before log-out is anonymous
    assert db.scalars(select(StoredSession)).all() == []


@pytest.mark.parametrize("token", [None, "forged"])
def test_posts_without_a_valid_csrf_token_are_refused(client, auth, db, token):
    extra = {} if token is None else {"csrf_token": token}
    data = {"username": "eve", "email": "eve@example.com", "password": "long enough pw"}
    data["password_confirm"] = data["password"]
    client.get("/auth/register")  # a session with a token of its own exists
    response = client.post("/auth/register", {**data, **extra}, expect_errors=True)
    assert response.status_int == 403
    assert "Traceback" not in response.text
    assert user_count(db) == 0
    auth.register("alice")
    assert client.post("/auth/logout", extra, expect_errors=True).status_int == 403
    assert client.get("/notes").status_int == 200
    auth.logout()
    credentials = {"username": "alice", "password": PASSWORD}
    response = client.post("/auth/login", {**credentials, **extra}, expect_errors=True)
    assert response.status_int == 403
    assert client.get("/notes").status_int == 303


def test_the_csrf_token_of_another_session_is_refused(app, client, auth):
    auth.register("alice")
    other = webtest.TestApp(app)
    other_token = other.get("/auth/login").html.find("input", {"name": "csrf_token"})["value"]
    response = client.post("/auth/logout", {"csrf_token": other_token}, expect_errors=True)
    assert response.status_int == 403
    assert auth.logged_in()


def test_the_session_from_before_login_is_not_logged_in(client, auth):
    auth.register("alice")
    auth.logout()
    client.get("/auth/login")
    before = client.cookies["session_id"]
    auth.login("alice")
    assert client.cookies["session_id"] != before
    client.set_cookie("session_id", before)
    assert client.get("/notes").status_int == 303
