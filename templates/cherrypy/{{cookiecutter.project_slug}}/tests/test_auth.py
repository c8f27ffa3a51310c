import pytest
from argon2 import PasswordHasher
from conftest import location
from sqlalchemy import func, select

from {{ cookiecutter.project_slug }} import security
from {{ cookiecutter.project_slug }}.models import User


def user_count(db):
    return db.scalar(select(func.count()).select_from(User))


def test_register_logs_in_and_redirects_to_notes(client, auth, db):
    response = auth.register("alice")
    assert response.status_int == 303
    assert location(response) == "/notes"
    assert client.get("/notes").status_int == 200
    user = db.scalars(select(User)).one()
    assert user.username == "alice"
    assert user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": ""}, "This field is required."),
        ({"username": "a" * 151}, "150"),
        ({"username": "has space"}, "without spaces"),
        ({"email": "not-an-email"}, "Invalid email address."),
        ({"email": ""}, "This field is required."),
        ({"password": "short", "password_confirm": "short"}, "between 8 and 1024"),
        ({"password_confirm": "something else"}, "The passwords do not match."),
    ],
)
def test_register_refuses_invalid_values(auth, db, fields, message):
    data = {"username": "bob", "email": "bob@example.com", "password": "long enough pw"}
    data["password_confirm"] = data["password"]
    data.update(fields)
    response = auth.register(**data)
    assert response.status_int == 200
    assert message in response.text
    assert 'action="/auth/register"' in response.text
    assert user_count(db) == 0


def test_register_refuses_a_taken_username_or_email(auth, db):
    auth.register("alice", email="alice@example.com")
    auth.logout()
    for username, email in [("alice", "other@example.com"), ("other", "ALICE@example.com")]:
        response = auth.register(username, email=email)
        assert response.status_int == 200
        assert "already registered" in response.text
    assert user_count(db) == 1


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


@pytest.mark.parametrize(("username", "password"), [("alice", "wrong password"), ("nobody", "x")])
def test_login_failure_is_generic(client, auth, username, password):
    auth.register("alice")
    auth.logout()
    response = auth.login(username, password)
    assert response.status_int == 200
    assert "Invalid username or password" in response.text
    assert client.get("/notes").status_int == 303


def test_login_rehashes_a_password_hashed_with_older_parameters(auth, db):
    auth.register("alice")
    auth.logout()
    user = db.scalars(select(User)).one()
    old_hash = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).hash(
        "correct horse battery"
    )
    user.password_hash = old_hash
    db.commit()
    assert auth.login("alice").status_int == 303
    db.expire_all()
    rehashed = db.scalars(select(User)).one().password_hash
    assert rehashed != old_hash
    assert not security.password_hasher.check_needs_rehash(rehashed)


def test_login_follows_a_local_next(auth):
    auth.register("alice")
    auth.logout()
    response = auth.login("alice", next_url="/notes%3Fpage%3D2")
    assert location(response) == "/notes?page=2"


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "https://evil.example", "/\\evil.example", "http:/evil.example",
     "%2F%2Fevil.example", "/%5Cevil.example"],
)
def test_login_never_redirects_off_site(auth, target):
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
    credentials = {"username": "alice", "password": "correct horse battery"}
    response = client.post("/auth/login", {**credentials, **extra}, expect_errors=True)
    assert response.status_int == 403
    assert client.get("/notes").status_int == 303


def test_the_session_from_before_login_is_not_logged_in(client, auth):
    auth.register("alice")
    auth.logout()
    client.get("/auth/login")
    before = client.cookies["session_id"]
    auth.login("alice")
    assert client.cookies["session_id"] != before
    client.set_cookie("session_id", before)
    assert client.get("/notes").status_int == 303
