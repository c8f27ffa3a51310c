"""The settings: environment variables (docs: .env.example) into Flask's configuration."""

import pytest

from {{ cookiecutter.project_slug }}.config import load_config
from {{ cookiecutter.project_slug }}.env import SettingsError

SECRET = {"SECRET_KEY": "s"}


def test_testing_config(app):
    assert app.testing
    assert not load_config("instance", {**SECRET, "DATABASE_URL": "sqlite://"}).get("TESTING")


@pytest.mark.parametrize("environ", [{}, {"SECRET_KEY": "   "}, {"DEBUG": "false"}])
def test_refuses_to_start_without_secret_key(tmp_path, environ):
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_config(tmp_path, environ)


def test_debug_runs_with_a_throwaway_key(tmp_path):
    first, second = load_config(tmp_path, {"DEBUG": "true"}), load_config(tmp_path, {"DEBUG": "on"})
    assert first["DEBUG"] is True
    assert len(first["SECRET_KEY"]) >= 32
    assert first["SECRET_KEY"] != second["SECRET_KEY"]


@pytest.mark.parametrize(
    ("name", "value"),
    [("DEBUG", "maybe"), ("SECURE_COOKIES", "perhaps"), ("LOGIN_FAILURE_WINDOW", "soon")],
)
def test_a_value_the_app_cannot_use_names_the_variable(tmp_path, name, value):
    with pytest.raises(SettingsError, match=name):
        load_config(tmp_path, {**SECRET, name: value})


def test_session_cookie_settings_come_from_the_environment(tmp_path):
    config = load_config(tmp_path, SECRET)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    for value, secure in [("false", False), ("true", True), (" ", True)]:  # blank: the default
        config = load_config(tmp_path, {**SECRET, "SECURE_COOKIES": value})
        assert config["SESSION_COOKIE_SECURE"] is secure


def test_secure_cookie_flags_on_the_session_cookie(make_app):
    client = make_app({"SECURE_COOKIES": "true"}).test_client()
    cookie = client.get("/auth/login").headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p@db/app", "postgresql+psycopg://u:p@db/app"),
        ("postgres://u:p@db/app", "postgresql+psycopg://u:p@db/app"),
        ("sqlite:////srv/app.sqlite3", "sqlite:////srv/app.sqlite3"),
    ],
)
def test_database_url(url, expected, tmp_path):
    config = load_config(tmp_path, {**SECRET, "DATABASE_URL": url})
    assert config["SQLALCHEMY_DATABASE_URI"] == expected


def test_default_database_is_a_sqlite_file_in_the_instance_folder(tmp_path):
    uri = load_config(tmp_path / "instance", SECRET)["SQLALCHEMY_DATABASE_URI"]
    assert uri == f"sqlite:///{tmp_path / 'instance' / '{{ cookiecutter.project_slug }}.sqlite3'}"
    assert (tmp_path / "instance").is_dir()


def test_mail_goes_to_the_console_by_default(tmp_path):
    config = load_config(tmp_path, SECRET)
    assert config["MAIL_BACKEND"] == "console"
    assert config["MAIL_DEFAULT_SENDER"] == "webmaster@localhost"


@pytest.mark.parametrize(
    ("url", "server", "port", "ssl", "tls"),
    [
        ("smtp://localhost:1025", "localhost", 1025, False, False),
        ("submission://mail.example.com", "mail.example.com", 587, False, True),
        ("smtps://mail.example.com", "mail.example.com", 465, True, False),
    ],
)
def test_mail_settings_come_from_email_url(tmp_path, url, server, port, ssl, tls):
    environ = {**SECRET, "EMAIL_URL": url, "EMAIL_FROM": "notes@example.com"}
    config = load_config(tmp_path, environ)
    assert config["MAIL_BACKEND"] == "smtp"
    assert (config["MAIL_SERVER"], config["MAIL_PORT"]) == (server, port)
    assert (config["MAIL_USE_SSL"], config["MAIL_USE_TLS"]) == (ssl, tls)
    assert config["MAIL_TIMEOUT"] <= 10
    assert config["MAIL_DEFAULT_SENDER"] == "notes@example.com"


def test_account_numbers_come_from_the_environment(tmp_path):
    environ = {
        **SECRET,
        "LOGIN_FAILURES_PER_USER": "2",
        "LOGIN_FAILURES_PER_ADDRESS": "3",
        "LOGIN_FAILURE_WINDOW": "60",
        "PASSWORD_RESET_MAX_AGE": "120",
    }
    config = load_config(tmp_path, environ)
    assert config["LOGIN_FAILURES_PER_USER"] == 2
    assert config["LOGIN_FAILURES_PER_ADDRESS"] == 3
    assert config["LOGIN_FAILURE_WINDOW"] == 60
    assert config["PASSWORD_RESET_MAX_AGE"] == 120
