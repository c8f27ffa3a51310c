import pytest
from conftest import PASSWORD, SESSION_COOKIE


def user_count(db):
    return db(db.auth_user).count()


def test_register_logs_in_and_redirects_to_notes(app, user, db):
    response = user.register("alice")
    assert response.status_int == 303
    assert response.headers["Location"] == "/notes"
    assert app.get("/notes").status_int == 200
    [row] = db(db.auth_user).select()
    assert row.username == "alice"
    assert row.password.startswith("pbkdf2(600000,32,sha256)$")
    assert "correct horse" not in row.password


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": ""}, "Enter a username."),
        ({"username": "   "}, "Enter a username."),
        ({"username": "a" * 151}, "at most 150"),
        ({"username": "has space"}, "without spaces"),
        ({"email": "not-an-email"}, "Enter a valid e-mail address."),
        ({"password": "short"}, "between 8 and 1024"),
        ({"confirmation": "something else"}, "The passwords do not match."),
    ],
)
def test_register_refuses_invalid_values(user, db, fields, message):
    response = user.register(**{"username": "bob", "password": "long enough pw", **fields})
    assert response.status_int == 200
    assert message in response.text
    assert user_count(db) == 0


def test_register_accepts_the_longest_username(user, db):
    assert user.register("u" * 150).status_int == 303
    assert user_count(db) == 1


def test_register_refuses_a_taken_username_or_email(user, db):
    user.register("alice", email="alice@example.com")
    user.logout()
    for username, email in [("alice", "other@example.com"), ("other", "ALICE@example.com")]:
        response = user.register(username, email=email)
        assert response.status_int == 200
        assert "already registered" in response.text
    assert user_count(db) == 1


def test_long_non_ascii_password(user):
    password = "ü" * 40  # 80 bytes in UTF-8: more than bcrypt could take
    assert user.register("umlaut", password=password).status_int == 303
    user.logout()
    assert user.login("umlaut", password[:-1]).status_int == 200
    assert user.login("umlaut", password).status_int == 303


def test_login_and_logout(app, user):
    user.register("alice")
    user.logout()
    assert app.get("/notes").status_int == 303
    response = user.login("alice")
    assert response.status_int == 303
    assert response.headers["Location"] == "/notes"
    assert app.get("/notes").status_int == 200
    response = user.logout()
    assert response.status_int == 303
    assert response.headers["Location"] == "/"
    assert app.get("/notes").status_int == 303


@pytest.mark.parametrize(("username", "password"), [("alice", "wrong password"), ("nobody", "x")])
def test_login_failure_is_generic(app, user, username, password):
    user.register("alice")
    user.logout()
    response = user.login(username, password)
    assert response.status_int == 200
    assert "Invalid username or password" in response.text
    assert app.get("/notes").status_int == 303


def test_login_follows_a_local_next(user):
    user.register("alice")
    user.logout()
    response = user.login("alice", next_url="/notes%3Fpage%3D2")
    assert response.headers["Location"] == "/notes?page=2"


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "https://evil.example", "/\\evil.example", "%2F%2Fevil.example",
     "/%5Cevil.example", "http:/evil.example"],
)
def test_login_never_redirects_off_site(user, target):
    user.register("alice")
    user.logout()
    response = user.login("alice", next_url=target)
    assert response.status_int == 303
    assert response.headers["Location"] == "/notes"


def test_logout_needs_a_post(app, user):
    user.register("alice")
    assert app.get("/auth/logout", expect_errors=True).status_int == 405
    assert app.get("/notes").status_int == 200


@pytest.mark.parametrize("how", ["missing", "forged"])
def test_posts_without_a_valid_form_key_are_refused(app, user, db, how):
    def keys(fields):
        return {} if how == "missing" else {"_formname": fields[0], "_formkey": "forged"}

    data = {"username": "eve", "email": "eve@example.com", "password": "long enough pw",
            "password_again": "long enough pw"}
    response = app.post("/auth/register", {**data, **keys(["register"])}, expect_errors=True)
    assert response.status_int == 403
    assert user_count(db) == 0
    user.register("alice")
    assert app.post("/auth/logout", keys(["logout"]), expect_errors=True).status_int == 403
    assert app.get("/notes").status_int == 200
    user.logout()
    credentials = {"username": "alice", "password": PASSWORD}
    response = app.post("/auth/login", {**credentials, **keys(["login"])}, expect_errors=True)
    assert response.status_int == 403
    assert app.get("/notes").status_int == 303


def test_the_session_from_before_login_is_not_logged_in(app, user):
    user.register("alice")
    user.logout()
    app.get("/auth/login")
    before = app.cookies[SESSION_COOKIE]
    user.login("alice")
    assert app.cookies[SESSION_COOKIE] != before
    app.set_cookie(SESSION_COOKIE, before)
    assert app.get("/notes").status_int == 303


def test_a_session_cookie_with_a_bad_signature_is_ignored(app, user):
    user.register("alice")
    value = app.cookies[SESSION_COOKIE]
    app.set_cookie(SESSION_COOKIE, value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert app.get("/notes").status_int == 303
