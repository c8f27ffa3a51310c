import os
from pathlib import Path
from unittest import mock

import pytest
import webtest
from pyramid.exceptions import ConfigurationError
from pyramid.paster import get_app

from {{ cookiecutter.project_slug }} import main
from {{ cookiecutter.project_slug }}.settings import (
    DATABASE_FILE,
    app_settings,
    database_settings,
)

PROJECT = Path(__file__).resolve().parent.parent
CONFIGURED = {"sqlalchemy.url": "sqlite://"}


def test_refuses_to_start_without_secret_key():
    for environ in ({"DEBUG": "false"}, {"SECRET_KEY": "   "}, {"SECRET_KEY": ""}):
        with pytest.raises(ConfigurationError, match="SECRET_KEY"):
            app_settings(CONFIGURED, environ)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        main({}, **CONFIGURED, secret_key="", debug="false")


def test_debug_runs_with_a_throwaway_key():
    first = app_settings(CONFIGURED, {"DEBUG": "true"})
    second = app_settings(CONFIGURED, {"DEBUG": "true"})
    assert first["debug"] is True
    assert len(first["secret_key"]) >= 32
    assert first["secret_key"] != second["secret_key"]


def test_settings_come_from_the_environment():
    settings = app_settings(
        {"project_root": "/srv/app"},
        {
            "SECRET_KEY": "s",
            "DATABASE_URL": "postgres://u:p@db/app",
            "SECURE_COOKIES": "off",
            "ALLOWED_HOSTS": "notes.example.com, .example.org",
            "TRUSTED_PROXIES": "10.0.0.1",
            "BASE_URL": "https://notes.example.com/",
            "EMAIL_URL": "submission://user:secret@mail.example.com",
            "EMAIL_FROM": "notes@example.com",
            "LOGIN_FAILURE_WINDOW": "60",
        },
    )
    assert settings["secret_key"] == "s"
    assert settings["sqlalchemy.url"] == "postgresql+psycopg://u:p@db/app"
    assert settings["secure_cookies"] is False
    assert settings["debug"] is False
    assert settings["allowed_hosts"] == ["notes.example.com", ".example.org"]
    assert settings["trusted_proxies"] == {"10.0.0.1"}
    assert settings["base_url"] == "https://notes.example.com"
    email = settings["email"]
    assert (email.backend, email.host, email.port, email.use_tls) == (
        "smtp",
        "mail.example.com",
        587,
        True,
    )
    assert (email.username, email.password, email.sender) == ("user", "secret", "notes@example.com")
    assert email.timeout <= 10
    assert settings["accounts"].login_failure_window == 60


def test_the_defaults():
    settings = app_settings(CONFIGURED, {"SECRET_KEY": "s"})
    assert settings["secure_cookies"] is True
    assert settings["allowed_hosts"] == ["localhost", "127.0.0.1", "[::1]"]
    assert settings["trusted_proxies"] == frozenset()
    assert settings["base_url"] is None
    assert settings["email"].backend == "console"
    assert settings["email"].sender == "webmaster@localhost"
    accounts = settings["accounts"]
    assert (accounts.login_failures_per_user, accounts.login_failures_per_address) == (5, 20)
    assert (accounts.login_failure_window, accounts.password_reset_max_age) == (900, 3600)


def test_a_blank_variable_means_its_default():
    blank = {"SECRET_KEY": "s", "SECURE_COOKIES": "", "DEBUG": " ", "EMAIL_URL": ""}
    settings = app_settings(CONFIGURED, blank)
    assert settings["secure_cookies"] is True
    assert settings["debug"] is False
    assert settings["email"].backend == "console"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("SECURE_COOKIES", "perhaps"),
        ("LOGIN_FAILURE_WINDOW", "soon"),
        ("LOGIN_FAILURES_PER_USER", "0"),
        ("EMAIL_URL", "pigeon://coop"),
        ("TRUSTED_PROXIES", "proxy.example"),
        ("BASE_URL", "notes.example.com"),
        ("DATABASE_URL", "mysql://db/app"),
    ],
)
def test_an_unusable_value_stops_the_app_naming_the_variable(variable, value):
    with pytest.raises(ConfigurationError, match=variable):
        app_settings({}, {"SECRET_KEY": "s", variable: value})


def test_an_ini_setting_wins_over_the_environment():
    settings = app_settings({**CONFIGURED, "debug": "false"}, {"DEBUG": "true", "SECRET_KEY": "s"})
    assert settings["debug"] is False


def test_default_database_is_a_sqlite_file_in_the_project(tmp_path):
    settings = database_settings({"project_root": str(tmp_path)}, {})
    assert settings["sqlalchemy.url"] == f"sqlite:///{tmp_path / DATABASE_FILE}"


def test_session_cookie_flags(app_with):
    response = app_with(secure_cookies="true").get("/auth/login")
    name, *flags = [part.strip().lower() for part in response.headers["Set-Cookie"].split(";")]
    assert name.startswith("session=")
    assert {"secure", "httponly", "samesite=lax"} <= set(flags)


def test_the_tests_load_their_settings_from_an_ini_file(app, ini_file):
    assert Path(ini_file).name == "testing.ini"
    assert app.registry.settings["email"].sender == "webmaster@example.com"


@pytest.mark.parametrize("ini", ["development.ini", "production.ini"])
def test_the_ini_files_build_the_app_from_the_environment(app_settings, dbengine, ini):
    """The real environment wins over .env: here it names the test database."""
    environ = {
        "SECRET_KEY": "from the environment",
        "DATABASE_URL": str(dbengine.url.render_as_string(hide_password=False)),
    }
    with mock.patch.dict(os.environ, environ):
        app = get_app(str(PROJECT / ini))
        assert app.registry.settings["secret_key"] == "from the environment"
        response = webtest.TestApp(app, extra_environ={"HTTP_HOST": "localhost"}).get("/health")
    assert response.json == {"status": "ok", "database": "ok"}
