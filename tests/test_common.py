"""Unit tests of the code in common/ that generated projects share.

The shared modules import each other relatively (``from .rules import fold``), as they do inside
a generated package; here they are imported as the package ``webcutter_common``.
"""

import importlib
import sqlite3
import sys
import types
from datetime import UTC, datetime, timedelta

import pytest
from support.templates import ROOT

package = types.ModuleType("webcutter_common")
package.__path__ = [str(ROOT / "common")]
sys.modules.setdefault("webcutter_common", package)


def shared(name):
    return importlib.import_module(f"webcutter_common.{name}")


redirects = shared("redirects")
env = shared("env")
rules = shared("rules")
hardening = shared("hardening")
tokens = shared("tokens")


# redirects.py --------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["/notes", "/notes?page=2", "/a/b#c", "/"])
def test_local_paths_are_followed(target):
    assert redirects.safe_next(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        42,
        "notes",
        "//evil.example",
        "///evil.example",
        "https://evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/notes\r\nSet-Cookie: x=1",
        "/\tevil",
        "/\x7fevil",
        "http:/evil.example",
    ],
)
def test_anything_else_is_refused(target):
    assert redirects.safe_next(target) is None


# env.py --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, True),
        ("", True),
        ("   ", True),
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("yes", True),
        ("on", True),
        ("false", False),
        ("0", False),
        ("No", False),
        ("off", False),
    ],
)
def test_booleans_blank_means_the_default(raw, expected):
    environ = {} if raw is None else {"SECURE_COOKIES": raw}
    assert env.boolean("SECURE_COOKIES", True, environ) is expected


def test_an_unusable_boolean_names_the_variable():
    with pytest.raises(env.SettingsError, match="DEBUG must be true or false"):
        env.boolean("DEBUG", False, {"DEBUG": "maybe"})


@pytest.mark.parametrize(("raw", "expected"), [(None, 900), ("", 900), (" 30 ", 30)])
def test_integers(raw, expected):
    environ = {} if raw is None else {"LOGIN_FAILURE_WINDOW": raw}
    assert env.integer("LOGIN_FAILURE_WINDOW", 900, environ=environ) == expected


@pytest.mark.parametrize("raw", ["soon", "0", "-5", "1.5"])
def test_unusable_integers_are_refused(raw):
    with pytest.raises(env.SettingsError, match="LOGIN_FAILURE_WINDOW"):
        env.integer("LOGIN_FAILURE_WINDOW", 900, environ={"LOGIN_FAILURE_WINDOW": raw})


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_a_missing_or_blank_secret_key_stops_the_app(raw):
    environ = {} if raw is None else {"SECRET_KEY": raw}
    with pytest.raises(env.SettingsError, match="SECRET_KEY"):
        env.secret_key(False, environ)
    assert len(env.secret_key(True, environ)) >= 48  # DEBUG: a throw-away key
    assert env.secret_key(True, environ) != env.secret_key(True, environ)


def test_the_secret_key_is_taken_as_given_but_trimmed():
    assert env.secret_key(False, {"SECRET_KEY": " abc "}) == "abc"


def test_database_url_defaults_to_a_sqlite_file(tmp_path):
    path = tmp_path / "var" / "site.sqlite3"
    assert env.database_url(path, {"DATABASE_URL": " "}) == f"sqlite:///{path}"
    assert path.parent.is_dir()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgres://u:p@h:5432/db", "postgresql://u:p@h:5432/db"),
        ("postgresql://u:p@h/db", "postgresql://u:p@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_urls(raw, expected, tmp_path):
    assert env.database_url(tmp_path / "x", {"DATABASE_URL": raw}) == expected


def test_an_unknown_database_is_refused(tmp_path):
    with pytest.raises(env.SettingsError, match="DATABASE_URL"):
        env.database_url(tmp_path / "x", {"DATABASE_URL": "mysql://h/db"})


def test_driver_urls():
    assert env.sqlalchemy_url("postgresql://h/db") == "postgresql+psycopg://h/db"
    assert env.sqlalchemy_url("sqlite:////a/b") == "sqlite:////a/b"
    assert env.pydal_uri("postgresql://u@h/db") == "postgres:psycopg2://u@h/db"
    assert env.pydal_uri("sqlite:////a/b.sqlite") == "sqlite:///a/b.sqlite"


def test_allowed_hosts_and_proxies():
    assert env.allowed_hosts({}) == ["localhost", "127.0.0.1", "[::1]"]
    assert env.allowed_hosts({"ALLOWED_HOSTS": " Example.com , .example.org,"}) == [
        "example.com",
        ".example.org",
    ]
    assert env.trusted_proxies({}) == frozenset()
    assert env.trusted_proxies({"TRUSTED_PROXIES": "127.0.0.1, ::1,[::1]"}) == {"127.0.0.1", "::1"}
    with pytest.raises(env.SettingsError, match="TRUSTED_PROXIES"):
        env.trusted_proxies({"TRUSTED_PROXIES": "proxy.example"})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("https://notes.example.com/", "https://notes.example.com"),
        ("http://localhost:8000", "http://localhost:8000"),
    ],
)
def test_base_url(raw, expected):
    assert env.base_url({} if raw is None else {"BASE_URL": raw}) == expected


@pytest.mark.parametrize("raw", ["notes.example.com", "ftp://x", "https://x/path"])
def test_an_unusable_base_url_is_refused(raw):
    with pytest.raises(env.SettingsError, match="BASE_URL"):
        env.base_url({"BASE_URL": raw})


def test_email_defaults_to_the_console():
    settings = env.email({"EMAIL_URL": ""})
    assert settings.backend == "console"
    assert settings.sender == "webmaster@localhost"


@pytest.mark.parametrize(
    ("url", "host", "port", "ssl", "tls"),
    [
        ("smtp://mail.example.com", "mail.example.com", 25, False, False),
        ("smtp://127.0.0.1:2525", "127.0.0.1", 2525, False, False),
        ("submission://mail.example.com", "mail.example.com", 587, False, True),
        ("smtps://mail.example.com", "mail.example.com", 465, True, False),
        ("smtps://mail.example.com:2465", "mail.example.com", 2465, True, False),
    ],
)
def test_email_schemes(url, host, port, ssl, tls):
    settings = env.email({"EMAIL_URL": url, "EMAIL_FROM": "site@example.com"})
    assert (settings.backend, settings.host, settings.port) == ("smtp", host, port)
    assert (settings.use_ssl, settings.use_tls) == (ssl, tls)
    assert settings.timeout == 10
    assert settings.sender == "site@example.com"


def test_email_credentials_and_a_timeout_of_at_most_ten_seconds():
    settings = env.email({"EMAIL_URL": "submission://me%40x.com:p%40ss@mx.example.com?timeout=60"})
    assert (settings.username, settings.password) == ("me@x.com", "p@ss")
    assert settings.timeout == 10
    assert "p@ss" not in repr(settings)
    assert env.email({"EMAIL_URL": "smtp://mx.example.com?timeout=3"}).timeout == 3


def test_an_unknown_email_scheme_is_refused():
    with pytest.raises(env.SettingsError, match="EMAIL_URL"):
        env.email({"EMAIL_URL": "memory://"})


def test_account_settings():
    assert env.accounts({}) == env.AccountSettings()
    numbers = env.accounts(
        {
            "LOGIN_FAILURES_PER_USER": "2",
            "LOGIN_FAILURE_WINDOW": "3",
            "LOGIN_FAILURES_PER_ADDRESS": "4",
            "PASSWORD_RESET_MAX_AGE": "5",
        }
    )
    assert (
        numbers.login_failures_per_user,
        numbers.login_failure_window,
        numbers.login_failures_per_address,
        numbers.password_reset_max_age,
    ) == (2, 3, 4, 5)


def test_load_reads_everything(tmp_path):
    settings = env.load(
        tmp_path / "db.sqlite3", {"SECRET_KEY": "k" * 50, "DEBUG": "", "SECURE_COOKIES": ""}
    )
    assert settings.debug is False and settings.secure_cookies is True
    assert settings.database_url.startswith("sqlite:///")
    assert "k" * 50 not in repr(settings)


def test_read_env_file_never_overrides_the_environment(tmp_path, monkeypatch):
    dotenv = tmp_path / ".env"
    dotenv.write_text("WEBCUTTER_T1=from-file\nWEBCUTTER_T2=from-file\n")
    monkeypatch.setenv("WEBCUTTER_T1", "")
    monkeypatch.delenv("WEBCUTTER_T2", raising=False)
    env.read_env_file(dotenv)
    import os

    assert os.environ["WEBCUTTER_T1"] == ""  # set, even blank: the environment wins
    assert os.environ["WEBCUTTER_T2"] == "from-file"
    monkeypatch.delenv("WEBCUTTER_T2")


# rules.py ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("alice", "Alice"),
        ("émile", "Émile"),
        ("file", "ﬁle"),
        ("strasse", "STRASSE"),
        ("straße", "STRASSE"),
        ("bob@example.com", "BOB@Example.COM"),
    ],
)
def test_folding_makes_case_and_compatibility_variants_equal(first, second):
    assert rules.fold(first) == rules.fold(second)
    assert rules.fold(rules.fold(second)) == rules.fold(second)


def test_usernames_are_nfkc_normalised():
    assert rules.normalize_username(" ﬁle ") == "file"
    assert rules.normalize_username("Émile") == "Émile"


@pytest.mark.parametrize("value", ["a\x00b", "\x00", "x\ud800y", "\udfff"])
def test_unstorable_text(value):
    assert rules.unstorable(value) == rules.UNSTORABLE
    assert rules.title_problem(value) == rules.UNSTORABLE
    assert rules.body_problem(value) == rules.UNSTORABLE
    assert rules.username_problem(value) == rules.UNSTORABLE
    assert rules.email_problem(value) == rules.UNSTORABLE
    assert rules.password_problem(value * 8, value * 8) == rules.UNSTORABLE


@pytest.mark.parametrize("value", ["plain", "עברית", "e\u0301", "🎉", " ", "\u202etxt"])
def test_storable_text(value):
    assert rules.unstorable(value) is None


def test_field_rules():
    assert rules.username_problem("") == rules.REQUIRED
    assert rules.username_problem("u" * 151) == rules.USERNAME_TOO_LONG
    assert rules.username_problem("has space") == rules.USERNAME_CHARACTERS
    assert rules.username_problem("Émile.o+k@x-y_z") is None
    assert rules.email_problem("not-an-email") == rules.EMAIL_INVALID
    assert rules.email_problem("a@b.co") is None
    assert rules.password_problem("short7!", "short7!") == rules.PASSWORD_LENGTH
    assert rules.password_problem("long enough", "different") == rules.PASSWORD_MISMATCH
    assert rules.password_problem("long enough", "long enough") is None
    assert rules.password_problem("long enough") is None
    assert rules.title_problem("") == rules.REQUIRED
    assert rules.title_problem("t" * 201) == rules.TITLE_TOO_LONG
    assert rules.body_problem("b" * 10_001) == rules.BODY_TOO_LONG
    assert rules.body_problem("") is None


def test_folded_keys_fit_the_column_of_their_field():
    """The database stores fold(value) in a column as long as the field's limit, so a value
    whose key would not fit is refused (PostgreSQL would refuse the row: a 500)."""
    assert rules.username_problem("ß" * 75) is None
    assert rules.username_problem("ß" * 76) == rules.USERNAME_TOO_LONG
    assert rules.email_problem("a@b.co" + "ß" * 120) is None
    assert rules.email_problem("a@b.co" + "ß" * 125) == rules.EMAIL_INVALID
    assert rules.email_problem("\ufdfa" * 13 + "@b.co") is None
    assert rules.email_problem("\ufdfa" * 14 + "@b.co") == rules.EMAIL_INVALID


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("42", 42),
        (str(2**31 - 1), 2**31 - 1),
        ("0", None),
        ("-1", None),
        ("abc", None),
        ("1.5", None),
        (str(2**31), None),
        ("99999999999999999999999", None),
        ("٣", None),
        ("", None),
        (" 1", None),
    ],
)
def test_ids_are_positive_integers_within_the_column(value, expected):
    assert rules.parse_id(value) == expected


def test_ids_of_a_64_bit_column():
    assert rules.parse_id(str(2**40), maximum=rules.ID_MAX_64) == 2**40
    assert rules.parse_id(str(2**63), maximum=rules.ID_MAX_64) is None


# hardening.py --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("localhost", True),
        ("localhost:8000", True),
        ("127.0.0.1:5000", True),
        ("[::1]:80", True),
        ("LOCALHOST", True),
        ("evil.example", False),
        ("localhost.evil.example", False),
        ("", False),
        ("localhost:abc", False),
        ("user@localhost", False),
        ("[::1", False),
    ],
)
def test_default_allowed_hosts(host, allowed):
    assert hardening.host_allowed(host, env.DEFAULT_ALLOWED_HOSTS) is allowed


def test_host_patterns():
    assert hardening.host_allowed("a.example.com", [".example.com"])
    assert hardening.host_allowed("example.com", [".example.com"])
    assert not hardening.host_allowed("badexample.com", [".example.com"])
    assert hardening.host_allowed("anything.example", ["*"])
    assert not hardening.host_allowed("anything.example", [])


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("10.1.1.1", "6.6.6.6", "10.1.1.1"),  # an untrusted peer's header is ignored
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "10.9.9.9", "10.9.9.9"),
        ("127.0.0.1", "6.6.6.6, 10.9.9.9", "10.9.9.9"),  # the client's own claim is left of it
        ("127.0.0.1", "10.9.9.9, 127.0.0.2", "10.9.9.9"),  # a chain of trusted proxies
        ("127.0.0.1", "garbage, 10.9.9.9", "10.9.9.9"),
        ("127.0.0.1", "10.9.9.9, garbage", "127.0.0.1"),
        ("127.0.0.1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(peer, forwarded, expected):
    trusted = {"127.0.0.1", "127.0.0.2"}
    assert hardening.client_address(peer, forwarded, trusted) == expected


def guarded(**options):
    seen = {}

    def app(environ, start_response):
        seen["REMOTE_ADDR"] = environ["REMOTE_ADDR"]
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    return hardening.RequestGuard(app, **options), seen


def call(app, **environ):
    base = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "HTTP_HOST": "localhost",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_NAME": "localhost",
    }
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    body = b"".join(app({**base, **environ}, start_response))
    return answer["status"], answer["headers"], body


def test_the_guard_refuses_other_hosts_and_large_bodies():
    app, _ = guarded(allowed_hosts=["localhost"])
    assert call(app)[0] == "200 OK"
    status, headers, body = call(app, HTTP_HOST="evil.example")
    assert status.startswith("400") and b"host" in body
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert call(app, CONTENT_LENGTH=str(1024 * 1024))[0] == "200 OK"
    assert call(app, CONTENT_LENGTH=str(1024 * 1024 + 1))[0].startswith("413")
    assert call(app, HTTP_TRANSFER_ENCODING="chunked")[0].startswith("411")


def test_the_guard_sets_the_client_address_behind_a_trusted_proxy():
    app, seen = guarded(trusted_proxies={"127.0.0.1"})
    call(app, HTTP_X_FORWARDED_FOR="6.6.6.6, 10.2.3.4")
    assert seen["REMOTE_ADDR"] == "10.2.3.4"
    app, seen = guarded()
    call(app, HTTP_X_FORWARDED_FOR="10.2.3.4")
    assert seen["REMOTE_ADDR"] == "127.0.0.1"


# tokens.py -----------------------------------------------------------------------------------


def test_a_reset_token_is_one_path_segment_and_checks():
    token = tokens.make_token("secret", 42, "hash-1", now=1_000_000)
    assert "/" not in token and "?" not in token and token.isascii()
    assert tokens.token_user_id(token) == 42
    assert tokens.check_token("secret", token, 42, "hash-1", 3600, now=1_000_100)


def test_a_reset_token_dies_with_the_password_the_clock_and_any_change():
    token = tokens.make_token("secret", 42, "hash-1", now=1_000_000)
    assert not tokens.check_token("secret", token, 42, "hash-2", 3600, now=1_000_100)
    assert not tokens.check_token("secret", token, 42, "hash-1", 3600, now=1_003_601)
    assert not tokens.check_token("other", token, 42, "hash-1", 3600, now=1_000_100)
    assert not tokens.check_token("secret", token, 43, "hash-1", 3600, now=1_000_100)
    uid, stamp, signature = token.split("-")
    tampered = f"{uid}-{stamp}-{signature[:-1]}{'0' if signature[-1] != '0' else '1'}"
    assert not tokens.check_token("secret", tampered, 42, "hash-1", 3600, now=1_000_100)
    later = tokens.make_token("secret", 42, "hash-1", now=1_000_050)
    assert later != token


@pytest.mark.parametrize(
    "token", ["", "abc", "1-2", "a-b-c-d", "é-1-2", None, "zzzzzzzzzzzzzzz-1-2"]
)
def test_malformed_tokens(token):
    assert tokens.token_user_id(token) is None or not tokens.check_token(
        "secret", token, tokens.token_user_id(token), "h", 3600
    )


# throttle.py, logins.py, sqlite.py (SQLAlchemy) ----------------------------------------------

sqlalchemy = pytest.importorskip("sqlalchemy")


@pytest.fixture()
def database(tmp_path):
    from sqlalchemy import ForeignKey, String, create_engine
    from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

    throttle, logins, sqlite = shared("throttle"), shared("logins"), shared("sqlite")

    class Base(DeclarativeBase):
        pass

    class User(Base):
        __tablename__ = "users"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(10))

    class Event(throttle.ThrottleEventMixin, Base):
        __tablename__ = "throttle_events"

    class Login(logins.LoginMixin, Base):
        __tablename__ = "logins"

    assert ForeignKey  # the mixin made the user foreign key
    engine = sqlite.configure(create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}"))
    Base.metadata.create_all(engine)
    with Session(engine) as db:
        db.add(User(id=1, name="alice"))
        db.commit()
        yield types.SimpleNamespace(
            db=db, Event=Event, Login=Login, engine=engine, throttle=throttle, logins=logins
        )


def test_sqlite_connections_get_wal_a_busy_timeout_and_foreign_keys(database):
    with database.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA busy_timeout").fetchone()[0] == 15000
        assert raw.execute("PRAGMA foreign_keys").fetchone()[0] == 1


class Clock:
    def __init__(self):
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


def test_a_username_is_throttled_after_its_failures_and_the_window_slides(database):
    clock = Clock()
    throttle = database.throttle.Throttle(
        database.Event, per_user=3, per_address=100, window=60, clock=clock
    )
    db = database.db
    for _ in range(3):
        assert not throttle.refused(db, "Alice", "10.0.0.1")
        throttle.failed(db, "Alice", "10.0.0.1")
        clock.advance(10)
    assert throttle.refused(db, "alice", "10.0.0.2")  # case-folded, from anywhere
    assert throttle.refused(db, "ALICE", "10.0.0.3")
    assert not throttle.refused(db, "bob", "10.0.0.1")
    clock.advance(31)  # the first failure has left the window
    assert not throttle.refused(db, "alice", "10.0.0.1")


def test_a_success_clears_the_username_but_not_the_address(database):
    throttle = database.throttle.Throttle(database.Event, per_user=3, per_address=4, window=60)
    db = database.db
    for name in ("alice", "alice"):
        throttle.failed(db, name, "10.0.0.1")
    throttle.succeeded(db, "Alice")
    throttle.failed(db, "alice", "10.0.0.1")
    throttle.failed(db, "alice", "10.0.0.1")
    assert not throttle.refused(db, "alice", "10.0.0.2")
    assert throttle.refused(db, "carol", "10.0.0.1")  # four failures from this address


def test_events_that_left_their_window_are_deleted(database):
    clock = Clock()
    throttle = database.throttle.Throttle(database.Event, window=60, reset_window=120, clock=clock)
    db = database.db
    throttle.failed(db, "alice", "10.0.0.1")
    throttle.allow_reset_mail(db, "alice@example.com")
    clock.advance(61)
    throttle.failed(db, "bob", "10.0.0.2")
    from sqlalchemy import select

    kept = sorted(event.key for event in db.scalars(select(database.Event)))
    assert kept == ["10.0.0.2", "alice@example.com", "bob"]
    clock.advance(60)
    throttle.failed(db, "carol", "10.0.0.3")
    kept = sorted(event.key for event in db.scalars(select(database.Event)))
    assert kept == ["10.0.0.3", "carol"]


def test_at_most_three_reset_mails_per_address_per_hour(database):
    clock = Clock()
    throttle = database.throttle.Throttle(database.Event, clock=clock)
    db = database.db
    assert [throttle.allow_reset_mail(db, "Alice@Example.com") for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert throttle.allow_reset_mail(db, "bob@example.com")
    clock.advance(3601)
    assert throttle.allow_reset_mail(db, "alice@example.com")


def test_a_throttle_from_settings_keeps_their_numbers_and_takes_a_clock(database):
    clock = Clock()
    accounts = env.AccountSettings(login_failures_per_user=2, login_failure_window=60)
    throttle = database.throttle.Throttle.from_settings(database.Event, accounts, clock=clock)
    assert (throttle.per_user, throttle.per_address, throttle.window) == (2, 20, 60)
    assert (throttle.reset_mails, throttle.reset_window) == (3, 3600)
    db = database.db
    throttle.failed(db, "alice", "10.0.0.1")
    throttle.failed(db, "alice", "10.0.0.1")
    assert throttle.refused(db, "alice", "10.0.0.1")
    clock.advance(61)
    assert not throttle.refused(db, "alice", "10.0.0.1")


def test_sign_in_records(database):
    logins = database.logins.Logins(database.Login, lifetime=3600)
    db = database.db
    first, second = logins.start(db, 1), logins.start(db, 1)
    assert logins.user_id(db, first) == 1 and logins.user_id(db, second) == 1
    assert logins.user_id(db, "forged") is None and logins.user_id(db, None) is None
    stored = {row.token_hash for row in db.scalars(sqlalchemy.select(database.Login))}
    assert first not in stored and database.logins.token_hash(first) in stored
    logins.end(db, first)
    assert logins.user_id(db, first) is None and logins.user_id(db, second) == 1
    third = logins.start(db, 1)
    logins.end_all(db, 1, keep=third)
    assert logins.user_id(db, second) is None and logins.user_id(db, third) == 1
    logins.end_all(db, 1)
    assert logins.user_id(db, third) is None
