import pytest
from sqlalchemy import func, select

from {{ cookiecutter.project_slug }}.extensions import db
from {{ cookiecutter.project_slug }}.models import Login, User


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_register_logs_in_and_redirects_to_notes(app, client, auth):
    response = auth.register("Alice", email="Alice@Example.com")
    assert response.status_code == 303
    assert response.headers["Location"] == "/notes"
    assert client.get("/notes").status_code == 200
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert (user.username, user.email) == ("Alice", "Alice@Example.com")
        assert (user.username_key, user.email_key) == ("alice", "alice@example.com")
        assert user.password_hash.startswith("pbkdf2:sha256:1$")  # the tests' cheap hasher
        assert auth.password not in user.password_hash


def test_register_page_shows_the_form(client):
    page = client.get("/auth/register").get_data(as_text=True)
    assert 'action="/auth/register"' in page
    assert page.count('type="text"') == 1
    assert page.count('type="email"') == 1
    assert page.count('type="password"') == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": ""}, "This field is required."),
        ({"username": "a" * 151}, "Use at most 150 characters."),
        ({"username": "has space"}, "without spaces"),
        ({"email": "not-an-email"}, "Enter a valid e-mail address."),
        ({"password": "short", "password_confirm": "short"}, "Use between 8 and 1024"),
        ({"password_confirm": "something else"}, "The passwords do not match."),
    ],
)
def test_register_refuses_invalid_values(app, auth, fields, message):
    data = {"username": "bob", "email": "bob@example.com", "password": "long enough pw"}
    data["password_confirm"] = data["password"]
    data.update(fields)
    response = auth.register(**data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(app, User) == 0


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ({"username": "alice"}, {"username": "ALICE"}, "That username is already taken."),
        ({"username": "émile"}, {"username": "Émile"}, "That username is already taken."),
        ({"username": "file"}, {"username": "ﬁle"}, "That username is already taken."),
        ({"email": "a@example.com"}, {"email": "A@EXAMPLE.COM"}, "already uses that e-mail"),
    ],
)
def test_register_refuses_a_username_or_email_taken_in_any_case(app, auth, first, second, message):
    auth.register(**{"username": "first", "email": "first@example.com", **first})
    auth.logout()
    response = auth.register(**{"username": "second", "email": "second@example.com", **second})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(app, User) == 1


def test_register_stores_usernames_nfkc_normalised(app, auth):
    auth.register("ﬁle")
    with app.app_context():
        assert db.session.scalars(select(User.username)).one() == "file"


def test_long_non_ascii_password(auth):
    password = "ü" * 40  # 80 bytes in UTF-8: more than bcrypt could take
    assert auth.register("umlaut", password=password).status_code == 303
    auth.logout()
    assert auth.login("umlaut", password[:-1]).status_code == 200
    assert auth.login("umlaut", password).status_code == 303


def test_login_page_links_to_password_reset(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert page.count('type="text"') == 1
    assert page.count('type="password"') == 1
    assert 'href="/auth/password-reset"' in page


def test_login_and_logout(client, auth):
    auth.register("alice")
    auth.logout()
    assert client.get("/notes").status_code == 302
    response = auth.login("alice")
    assert response.status_code == 303
    assert response.headers["Location"] == "/notes"
    assert client.get("/notes").status_code == 200
    response = auth.logout()
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert client.get("/notes").status_code == 302


def test_login_finds_the_username_whatever_its_case(client, auth):
    auth.register("alice")
    auth.logout()
    assert auth.login("ALICE").headers["Location"] == "/notes"
    assert "alice" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(("username", "password"), [("alice", "wrong password"), ("nobody", "x")])
def test_login_failure_is_generic(app, client, auth, username, password):
    auth.register("alice")
    auth.logout()
    response = auth.login(username, password)
    assert response.status_code == 200
    assert "Invalid username or password" in response.get_data(as_text=True)
    assert client.get("/notes").status_code == 302
    assert count(app, Login) == 0


def test_login_follows_a_local_next(auth):
    auth.register("alice")
    auth.logout()
    response = auth.login("alice", next_url="/notes%3Fpage%3D2")
    assert response.headers["Location"] == "/notes?page=2"


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "https://evil.example", "/\\evil.example", "http:/evil.example", "/%0a/x"],
)
def test_login_never_follows_a_next_off_site(auth, target):
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
    assert count(app, User) == 0
    auth.register("alice")
    assert client.post("/auth/logout", data=extra).status_code == 400
    assert client.get("/notes").status_code == 200
    auth.logout()
    credentials = {"username": "alice", "password": auth.password}
    response = client.post("/auth/login", data={**credentials, **extra})
    assert response.status_code == 400
    assert client.get("/notes").status_code == 302


def test_the_session_from_before_login_is_not_logged_in(client, auth):
    auth.register("alice")
    auth.logout()
    client.get("/auth/login")
    before = client.get_cookie("session").value
    auth.login("alice")
    assert client.get_cookie("session").value != before
    client.set_cookie("session", before)
    assert client.get("/notes").status_code == 302


def test_logout_ends_the_session_on_the_server(app, client, auth):
    """A copy of the session cookie taken before log-out is not logged in afterwards."""
    auth.register("alice")
    copied = client.get_cookie("session").value
    auth.logout()
    assert count(app, Login) == 0
    client.set_cookie("session", copied)
    assert client.get("/notes").status_code == 302
    assert "Log out" not in client.get("/").get_data(as_text=True)


def test_logout_ends_only_this_session(auth):
    auth.register("alice")
    other = auth.another_browser()
    other.login("alice")
    auth.logout()
    assert other.client.get("/notes").status_code == 200


@pytest.mark.parametrize(
    "cookie", ["garbage", "e30.x.y", "." + "A" * 4000, "eyJfdXNlcl9pZCI6IjEifQ"]
)
def test_a_garbage_session_cookie_is_anonymous(client, cookie):
    client.set_cookie("session", cookie)
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/auth/login"' in response.get_data(as_text=True)
    assert client.get("/notes").status_code == 302
