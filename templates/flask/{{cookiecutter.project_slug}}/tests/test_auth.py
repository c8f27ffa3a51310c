import pytest
from sqlalchemy import func, select

from {{ cookiecutter.project_slug }}.extensions import db
from {{ cookiecutter.project_slug }}.models import User


def user_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_register_logs_in_and_redirects_to_notes(app, client, auth):
    response = auth.register("alice")
    assert response.status_code == 303
    assert response.headers["Location"] == "/notes"
    assert client.get("/notes").status_code == 200
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert user.username == "alice"
        assert user.password_hash.startswith("scrypt:")
        assert "correct horse" not in user.password_hash


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": ""}, "This field is required."),
        ({"username": "a" * 151}, "150"),
        ({"username": "has space"}, "without spaces"),
        ({"email": "not-an-email"}, "Invalid email address."),
        ({"password": "short", "password_confirm": "short"}, "between 8 and 1024"),
        ({"password_confirm": "something else"}, "The passwords do not match."),
    ],
)
def test_register_refuses_invalid_values(app, client, auth, fields, message):
    data = {"username": "bob", "email": "bob@example.com", "password": "long enough pw"}
    data["password_confirm"] = data["password"]
    data.update(fields)
    response = auth.register(**data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert user_count(app) == 0


def test_register_refuses_a_taken_username_or_email(app, auth, client):
    auth.register("alice", email="alice@example.com")
    auth.logout()
    for username, email in [("alice", "other@example.com"), ("other", "ALICE@example.com")]:
        response = auth.register(username, email=email)
        assert response.status_code == 200
        assert "already registered" in response.get_data(as_text=True)
    assert user_count(app) == 1


def test_long_non_ascii_password(client, auth):
    password = "ü" * 40  # 80 bytes in UTF-8: more than bcrypt could take
    assert auth.register("umlaut", password=password).status_code == 303
    auth.logout()
    assert auth.login("umlaut", password[:-1]).status_code == 200
    assert auth.login("umlaut", password).status_code == 303


def test_login_and_logout(client, auth):
    auth.register("alice")
    auth.logout()
    assert client.get("/notes").status_code == 303
    response = auth.login("alice")
    assert response.status_code == 303
    assert response.headers["Location"] == "/notes"
    assert client.get("/notes").status_code == 200
    response = auth.logout()
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert client.get("/notes").status_code == 303


@pytest.mark.parametrize(("username", "password"), [("alice", "wrong password"), ("nobody", "x")])
def test_login_failure_is_generic(client, auth, username, password):
    auth.register("alice")
    auth.logout()
    response = auth.login(username, password)
    assert response.status_code == 200
    assert "Invalid username or password" in response.get_data(as_text=True)
    assert client.get("/notes").status_code == 303


def test_login_follows_a_local_next(client, auth):
    auth.register("alice")
    auth.logout()
    response = auth.login("alice", next_url="/notes?page=2")
    assert response.headers["Location"] == "/notes?page=2"


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example", "/\\evil.example", "http:/evil.example"]
)
def test_login_never_redirects_off_site(client, auth, target):
    auth.register("alice")
    auth.logout()
    response = auth.login("alice", next_url=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/notes"


def test_logout_needs_a_post(client, auth):
    auth.register("alice")
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/notes").status_code == 200


@pytest.mark.parametrize("token", [None, "forged"])
def test_posts_without_a_valid_csrf_token_are_refused(app, client, auth, token):
    extra = {} if token is None else {"csrf_token": token}
    data = {"username": "eve", "email": "eve@example.com", "password": "long enough pw"}
    data["password_confirm"] = data["password"]
    response = client.post("/auth/register", data={**data, **extra})
    assert response.status_code == 400
    assert user_count(app) == 0
    auth.register("alice")
    assert client.post("/auth/logout", data=extra).status_code == 400
    assert client.get("/notes").status_code == 200
    client.post("/auth/logout", data={"csrf_token": "x"})
    auth.logout()
    credentials = {"username": "alice", "password": "correct horse battery"}
    response = client.post("/auth/login", data={**credentials, **extra})
    assert response.status_code == 400
    assert client.get("/notes").status_code == 303


def test_the_session_from_before_login_is_not_logged_in(client, auth):
    auth.register("alice")
    auth.logout()
    client.get("/auth/login")
    before = client.get_cookie("session").value
    auth.login("alice")
    assert client.get_cookie("session").value != before
    client.set_cookie("session", before)
    assert client.get("/notes").status_code == 303
