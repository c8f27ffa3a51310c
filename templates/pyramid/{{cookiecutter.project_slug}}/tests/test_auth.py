from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from {{ cookiecutter.project_slug }}.models import Login, ThrottleEvent, User
from {{ cookiecutter.project_slug }}.redirects import safe_next
from {{ cookiecutter.project_slug }}.rules import TOO_MANY_ATTEMPTS
from {{ cookiecutter.project_slug }}.views import auth


def user_count(dbsession):
    return dbsession.scalar(select(func.count()).select_from(User))


def path_of(response):
    return urlsplit(response.headers["Location"]).path


def test_register_logs_in_and_redirects_to_notes(testapp, dbsession):
    response = testapp.register("alice")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/notes")
    assert testapp.get("/notes").status_code == 200
    user = dbsession.scalars(select(User)).one()
    assert user.username == "alice"
    assert user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": ""}, "This field is required."),
        ({"username": "a" * 151}, "150"),
        ({"username": "has space"}, "without spaces"),
        ({"email": ""}, "This field is required."),
        ({"email": "not-an-email"}, "Enter a valid e-mail address."),
        ({"password": "short", "password_confirm": "short"}, "between 8 and 1024"),
        ({"password_confirm": "something else"}, "The passwords do not match."),
    ],
)
def test_register_refuses_invalid_values(testapp, dbsession, fields, message):
    data = {"username": "bob", "email": "bob@example.com", "password": "long enough pw"}
    data["password_confirm"] = data["password"]
    data.update(fields)
    response = testapp.register(**data)
    assert response.status_code == 200
    assert message in response.text
    assert 'action="/auth/register"' in response.text
    assert user_count(dbsession) == 0


def test_register_refuses_a_taken_username_or_email_whatever_its_case(testapp, dbsession):
    testapp.register("alice", email="alice@example.com")
    testapp.logout()
    testapp.register("émile", email="emile@example.com")
    testapp.logout()
    for username, email in [
        ("alice", "other@example.com"),
        ("Alice", "other@example.com"),
        ("ÉMILE", "other@example.com"),
        ("other", "ALICE@example.com"),
    ]:
        response = testapp.register(username, email=email)
        assert response.status_code == 200
        assert "already registered" in response.text
    assert user_count(dbsession) == 2


def test_register_normalises_the_username(testapp, dbsession):
    assert testapp.register("ﬁle", email="file@example.com").status_code == 303
    user = dbsession.scalars(select(User)).one()
    assert (user.username, user.username_key) == ("file", "file")
    testapp.logout()
    assert "already registered" in testapp.register("FILE", email="f2@example.com").text


def test_the_database_refuses_a_username_differing_only_in_case(dbsession):
    """The folded key is unique in the database itself, not only in the form's check."""
    dbsession.add(User(username="bob", email="bob@example.com", password_hash="x"))
    dbsession.flush()
    savepoint = dbsession.begin_nested()
    dbsession.add(User(username="BOB", email="other@example.com", password_hash="x"))
    with pytest.raises(IntegrityError):
        dbsession.flush()
    savepoint.rollback()
    dbsession.add(User(username="carol", email="BOB@EXAMPLE.COM", password_hash="x"))
    with pytest.raises(IntegrityError):
        dbsession.flush()


def test_login_finds_the_username_whatever_its_case(testapp):
    testapp.register("alice")
    testapp.logout()
    assert testapp.login("ALICE").status_code == 303
    assert "alice" in testapp.get("/notes").text


def test_long_non_ascii_password(testapp):
    password = "ü" * 40  # 80 bytes in UTF-8: more than bcrypt could take
    assert testapp.register("umlaut", password=password).status_code == 303
    testapp.logout()
    assert testapp.login("umlaut", password[:-1]).status_code == 200
    assert testapp.login("umlaut", password).status_code == 303


def test_login_and_logout(testapp):
    testapp.register("alice")
    testapp.logout()
    assert testapp.get("/notes").status_code == 303
    response = testapp.login("alice")
    assert response.status_code == 303
    assert path_of(response) == "/notes"
    assert testapp.get("/notes").status_code == 200
    response = testapp.logout()
    assert response.status_code == 303
    assert path_of(response) == "/"
    assert testapp.get("/notes").status_code == 303


@pytest.mark.parametrize(("username", "password"), [("alice", "wrong password"), ("nobody", "x")])
def test_login_failure_is_generic(testapp, username, password):
    testapp.register("alice")
    testapp.logout()
    response = testapp.login(username, password)
    assert response.status_code == 200
    assert "Invalid username or password" in response.text
    assert testapp.get("/notes").status_code == 303


def test_login_follows_a_local_next(testapp):
    testapp.register("alice")
    testapp.logout()
    page = testapp.get("/auth/login?next=%2Fnotes%3Fpage%3D2")
    assert 'action="/auth/login?next=%2Fnotes%3Fpage%3D2"' in page.text
    response = testapp.login("alice", next_url="%2Fnotes%3Fpage%3D2")
    assert response.headers["Location"].endswith("/notes?page=2")


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "http:/evil.example",
        "%2F%2Fevil.example",
        "/%5Cevil.example",
        "/%09/evil.example",
    ],
)
def test_login_never_redirects_off_site(testapp, target):
    testapp.register("alice")
    testapp.logout()
    response = testapp.login("alice", next_url=target)
    assert response.status_code == 303
    assert "evil.example" not in response.headers["Location"]
    assert path_of(response) == "/notes"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/notes?page=2", "/notes?page=2"),
        ("/", "/"),
        (None, None),
        ("", None),
        ("notes", None),
        ("//evil.example", None),
        ("/\\evil.example", None),
        ("/\t/evil.example", None),
        ("https://evil.example/", None),
    ],
)
def test_safe_next(target, expected):
    assert safe_next(target) == expected


def test_logout_needs_a_post(testapp):
    testapp.register("alice")
    testapp.get("/auth/logout", status=405)
    assert testapp.get("/notes").status_code == 200


def test_anonymous_visitors_are_sent_to_login_with_next(testapp):
    response = testapp.get("/notes", status=303)
    target = urlsplit(response.headers["Location"])
    assert target.path == "/auth/login"
    assert parse_qs(target.query) == {"next": ["/notes"]}


@pytest.mark.parametrize("token", [None, "forged"])
def test_posts_without_a_valid_csrf_token_are_refused(testapp, dbsession, token):
    extra = {} if token is None else {"csrf_token": token}
    data = {"username": "eve", "email": "eve@example.com", "password": "long enough pw"}
    data["password_confirm"] = data["password"]
    response = testapp.post("/auth/register", {**data, **extra}, status=400)
    assert "Bad request" in response.text
    assert "Traceback" not in response.text
    assert user_count(dbsession) == 0
    testapp.register("alice")
    testapp.post("/auth/logout", extra, status=400)
    assert testapp.get("/notes").status_code == 200
    testapp.logout()
    credentials = {"username": "alice", "password": "correct horse battery"}
    testapp.post("/auth/login", {**credentials, **extra}, status=400)
    assert testapp.get("/notes").status_code == 303


def test_a_csrf_token_from_another_session_is_refused(testapp):
    testapp.register("alice")
    token = testapp.csrf_token("/notes")
    testapp.logout()
    testapp.login("alice")
    testapp.post("/auth/logout", {"csrf_token": token}, status=400)
    assert testapp.get("/notes").status_code == 200


def test_the_session_from_before_login_is_not_logged_in_after_it(testapp):
    testapp.register("alice")
    testapp.logout()
    testapp.get("/auth/login")
    before = testapp.cookies["session"]
    testapp.login("alice")
    assert testapp.cookies["session"] != before
    testapp.set_cookie("session", before)
    assert testapp.get("/notes").status_code == 303


def test_a_registration_that_loses_a_race_is_retried(committing_testapp, monkeypatch):
    """The name was free when checked, taken when written: pyramid_retry runs the request again,
    and then the check finds it taken."""
    committing_testapp.register("racer")
    committing_testapp.logout()
    checks = []
    real_is_taken = auth.is_taken

    def first_check_misses(*args):
        checks.append(args[1:])
        return False if len(checks) == 1 else real_is_taken(*args)

    monkeypatch.setattr(auth, "is_taken", first_check_misses)
    response = committing_testapp.register("racer")
    assert response.status_code == 200
    assert "already registered" in response.text
    assert len(checks) == 2


def test_logout_ends_the_session_on_the_server(testapp, dbsession):
    """A copy of the signed session cookie taken before log-out is anonymous afterwards."""
    testapp.register("alice")
    copy = testapp.cookies["session"]
    assert dbsession.scalar(select(func.count()).select_from(Login)) == 1
    testapp.logout()
    assert dbsession.scalar(select(func.count()).select_from(Login)) == 0
    testapp.set_cookie("session", copy)
    assert testapp.get("/notes").status_code == 303
    assert "Log out" not in testapp.get("/").text


@pytest.mark.parametrize("cookie", ["garbage", "a" * 4000, "eyJ9.bad!!", ""])
def test_a_garbage_session_cookie_is_anonymous(testapp, cookie):
    testapp.set_cookie("session", cookie)
    assert testapp.get("/", status=200).status_code == 200
    assert testapp.get("/notes").status_code == 303


def fail_logins(testapp, username, times, password="wrong password"):
    for _ in range(times):
        response = testapp.login(username, password)
        assert response.status_code == 200
        assert "Invalid username or password" in response.text


def test_login_is_throttled_per_username_even_with_the_right_password(testapp, clock):
    testapp.register("alice")
    testapp.logout()
    fail_logins(testapp, "alice", 5)
    response = testapp.login("ALICE")
    assert response.status_code == 429
    assert TOO_MANY_ATTEMPTS in response.text
    assert 'action="/auth/login"' in response.text
    assert testapp.get("/notes").status_code == 303
    clock.advance(901)
    assert testapp.login("alice").status_code == 303


def test_throttled_attempts_are_not_counted_and_the_window_slides(testapp, clock):
    testapp.register("alice")
    testapp.logout()
    fail_logins(testapp, "alice", 3)
    clock.advance(600)
    fail_logins(testapp, "alice", 2)
    for _ in range(10):  # refused: not counted, so they can't keep the account locked
        assert testapp.login("alice").status_code == 429
    clock.advance(301)  # the first three are out of the window, the last two still in it
    fail_logins(testapp, "alice", 3)
    assert testapp.login("alice").status_code == 429
    clock.advance(600)
    assert testapp.login("alice").status_code == 303


def test_a_successful_login_clears_the_username_throttle(testapp):
    testapp.register("alice")
    testapp.logout()
    fail_logins(testapp, "alice", 4)
    assert testapp.login("alice").status_code == 303
    testapp.logout()
    fail_logins(testapp, "alice", 4)
    assert testapp.login("alice").status_code == 303


def test_login_is_throttled_per_client_address(testapp, visitor):
    testapp.register("alice")
    testapp.logout()
    for number in range(20):  # unknown users count too, one per name
        fail_logins(testapp, f"nobody{number}", 1)
    response = testapp.login("alice")
    assert response.status_code == 429
    assert TOO_MANY_ATTEMPTS in response.text
    # Another address is not throttled.
    assert visitor(REMOTE_ADDR="192.0.2.7").login("alice").status_code == 303


def test_the_throttle_table_does_not_grow_without_bound(testapp, dbsession, clock):
    fail_logins(testapp, "nobody", 3)
    assert dbsession.scalar(select(func.count()).select_from(ThrottleEvent)) == 6
    clock.advance(3601)
    fail_logins(testapp, "somebody", 1)
    assert dbsession.scalar(select(func.count()).select_from(ThrottleEvent)) == 2


@pytest.mark.parametrize(
    "fields",
    [{"username": "al\x00ice"}, {"password": "pass\x00word"}, {"username": ""}],
)
def test_login_refuses_unstorable_or_missing_values(testapp, dbsession, fields):
    testapp.register("alice")
    testapp.logout()
    response = testapp.login(**fields)
    assert response.status_code == 200
    assert testapp.get("/notes").status_code == 303
    assert dbsession.scalar(select(func.count()).select_from(ThrottleEvent)) == 0
