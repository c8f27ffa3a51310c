from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from {{ cookiecutter.project_slug }}.models import User
from {{ cookiecutter.project_slug }}.redirects import safe_next
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
        ({"email": "not-an-email"}, "Invalid email address."),
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


def test_register_refuses_a_taken_username_or_email(testapp, dbsession):
    testapp.register("alice", email="alice@example.com")
    testapp.logout()
    for username, email in [("alice", "other@example.com"), ("other", "ALICE@example.com")]:
        response = testapp.register(username, email=email)
        assert response.status_code == 200
        assert "already registered" in response.text
    assert user_count(dbsession) == 1


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
    testapp.get("/auth/logout", status=404)
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


def test_a_token_from_another_session_is_refused(testapp):
    testapp.register("alice")
    token = testapp.csrf_token("/")
    testapp.logout()
    testapp.login("alice")
    testapp.post("/auth/logout", {"csrf_token": token}, status=400)
    assert testapp.get("/notes").status_code == 200


def test_the_session_from_before_login_is_not_logged_in(testapp):
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
