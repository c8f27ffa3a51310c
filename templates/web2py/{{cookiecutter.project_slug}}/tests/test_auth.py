import pytest
from conftest import PASSWORD, PRODUCTION_HASH, SESSION_COOKIE


def user_count(db):
    return db(db.auth_user).count()


def test_register_logs_in_and_redirects_to_notes(app, user, db):
    response = user.register("Alice")
    assert response.status_int == 303
    assert response.headers["Location"] == "/notes"
    assert app.get("/notes").status_int == 200
    [row] = db(db.auth_user).select()
    assert (row.username, row.username_key) == ("Alice", "alice")
    assert row.email_key == "alice@example.com"
    assert row.password.startswith("pbkdf2(1,32,sha256)$")  # the tests' cheap hash
    assert "correct horse" not in row.password


def test_register_hashes_with_pbkdf2_600000_outside_the_tests():
    assert PRODUCTION_HASH == "pbkdf2(600000,32,sha256)"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": ""}, "This field is required."),
        ({"username": "   "}, "This field is required."),
        ({"username": "a" * 151}, "at most 150"),
        ({"username": "has space"}, "without spaces"),
        ({"username": "nul\x00byte"}, "control character"),
        ({"email": "not-an-email"}, "Enter a valid e-mail address."),
        ({"email": "nul\x00@example.com"}, "control character"),
        ({"password": "short"}, "between 8 and 1024"),
        ({"password": "long but \x00 nul"}, "control character"),
        ({"confirmation": "something else"}, "The passwords do not match."),
    ],
)
def test_register_refuses_invalid_values(user, db, fields, message):
    response = user.register(**{"username": "bob", "password": "long enough pw", **fields})
    assert response.status_int == 200
    assert message in response.text
    assert user_count(db) == 0


def test_register_accepts_the_longest_username(user, db):
    assert user.register("ü" * 150).status_int == 303
    assert user_count(db) == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [("alice", "Alice"), ("émile", "ÉMILE"), ("file", "ﬁle"), ("straße", "STRASSE")],
)
def test_register_refuses_a_username_taken_in_another_case(user, db, first, second):
    assert user.register(first, email="first@example.com").status_int == 303
    user.logout()
    response = user.register(second, email="second@example.com")
    assert response.status_int == 200
    assert "That username is already taken." in response.text
    assert user_count(db) == 1


def test_register_refuses_an_email_taken_in_another_case(user, db):
    user.register("alice", email="Alice@Example.com")
    user.logout()
    response = user.register("other", email="alice@EXAMPLE.COM")
    assert response.status_int == 200
    assert "An account already uses that e-mail address." in response.text
    assert user_count(db) == 1


def test_register_stores_the_nfkc_username(user, db):
    assert user.register("ﬁle").status_int == 303
    assert db(db.auth_user).select().first().username == "file"


def test_register_race_on_the_unique_key_is_a_form_message(user, db, monkeypatch):
    """Two registrations at once: the database's unique key refuses the second, no 500."""
    from {{ cookiecutter.project_slug }}.validators import IS_NOT_TAKEN

    user.register("alice")
    user.logout()
    monkeypatch.setattr(IS_NOT_TAKEN, "validate", lambda self, value, record_id=None: value)
    response = user.register("ALICE", email="other@example.com")
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


def test_login_finds_the_username_whatever_its_case(app, user):
    user.register("Alice")
    user.logout()
    assert user.login("aLICE").status_int == 303
    assert "Alice" in app.get("/").text


@pytest.mark.parametrize(("username", "password"), [("alice", "wrong password"), ("nobody", "x")])
def test_login_failure_is_generic(app, user, username, password):
    user.register("alice")
    user.logout()
    response = user.login(username, password)
    assert response.status_int == 200
    assert "Invalid username or password" in response.text
    assert app.get("/notes").status_int == 303


def test_login_with_unstorable_text_is_a_form_message(app, user):
    response = user.login("nul\x00name", PASSWORD)
    assert response.status_int == 200
    assert "control character" in response.text


@pytest.mark.parametrize("raw", [b"\xed\xa0\x80", b"\xff\xfe", b"caf\xe9"])
def test_register_and_login_with_bytes_that_are_not_utf8(user, db, raw):
    values = {
        "username": raw,
        "email": b"x@example.com",
        "password": b"long enough pw",
        "password_two": b"long enough pw",
    }
    response = user.submit_bytes("/auth/register", "/auth/register", **values)
    assert response.status_int in (200, 400)
    assert user_count(db) == 0
    response = user.submit_bytes("/auth/login", "/auth/login", username=raw, password=raw)
    assert response.status_int in (200, 400)


def test_login_follows_a_local_next(user):
    user.register("alice")
    user.logout()
    response = user.login("alice", next_url="/notes%3Fpage%3D2")
    assert response.headers["Location"] == "/notes?page=2"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "http:/evil.example",
    ],
)
def test_login_never_redirects_off_site_next(user, target):
    user.register("alice")
    user.logout()
    response = user.login("alice", next_url=target)
    assert response.status_int == 303
    assert response.headers["Location"] == "/notes"


def test_logout_needs_a_post(app, user):
    user.register("alice")
    assert app.get("/auth/logout", expect_errors=True).status_int == 405
    assert app.get("/notes").status_int == 200


def test_logout_ends_the_session_on_the_server(app, user):
    user.register("alice")
    copy = app.cookies[SESSION_COOKIE]
    user.logout()
    app.set_cookie(SESSION_COOKIE, copy)
    assert app.get("/notes").status_int == 303


@pytest.mark.parametrize("how", ["missing", "forged"])
def test_posts_without_a_valid_form_key_are_refused_csrf(app, user, db, how):
    def keys(formname):
        return {} if how == "missing" else {"_formname": formname, "_formkey": "forged"}

    data = {
        "username": "eve",
        "email": "eve@example.com",
        "password": "long enough pw",
        "password_two": "long enough pw",
    }
    response = app.post("/auth/register", {**data, **keys("register")}, expect_errors=True)
    assert response.status_int == 403
    assert user_count(db) == 0
    user.register("alice")
    assert app.post("/auth/logout", keys("logout"), expect_errors=True).status_int == 403
    assert app.get("/notes").status_int == 200
    user.logout()
    credentials = {"username": "alice", "password": PASSWORD}
    response = app.post("/auth/login", {**credentials, **keys("login")}, expect_errors=True)
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


@pytest.mark.parametrize("garbage", ["x", "1:2", "abc.def", "9" * 400, "0:0.AAAA"])
def test_a_garbage_session_cookie_is_anonymous(app, garbage):
    app.set_cookie(SESSION_COOKIE, garbage)
    assert app.get("/").status_int == 200
    assert app.get("/notes").status_int == 303
