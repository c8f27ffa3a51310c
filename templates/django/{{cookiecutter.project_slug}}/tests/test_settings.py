"""Settings from the environment: config/settings.py on config/env.py (the shared rules)."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db.utils import ConnectionHandler

from config import env

PROJECT = Path(__file__).resolve().parent.parent
CONTRACT_VARIABLES = {
    "SECRET_KEY": "s" * 50,
    "DEBUG": "false",
    "SECURE_COOKIES": "",
    "ALLOWED_HOSTS": "",
    "TRUSTED_PROXIES": "",
    "BASE_URL": "",
    "DATABASE_URL": "",
    "EMAIL_URL": "",
    "EMAIL_FROM": "",
    "PASSWORD_RESET_MAX_AGE": "",
    "LOGIN_FAILURES_PER_USER": "",
    "LOGIN_FAILURES_PER_ADDRESS": "",
    "LOGIN_FAILURE_WINDOW": "",
}


@pytest.fixture()
def load_settings(monkeypatch):
    """config/settings.py run afresh with the contract's variables blank (their defaults) but
    for the ones given."""

    def load(**variables):
        for name, value in {**CONTRACT_VARIABLES, **variables}.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(importlib.import_module("config.settings"))

    yield load
    monkeypatch.undo()
    importlib.reload(importlib.import_module("config.settings"))


def test_the_wsgi_application_does_not_load_with_a_blank_secret_key():
    """A blank SECRET_KEY in the environment wins over .env, and gunicorn's import fails."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "",
        "DEBUG": "false",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_blank_secret_key_is_refused_unless_debug(load_settings):
    with pytest.raises(env.SettingsError, match="SECRET_KEY"):
        load_settings(SECRET_KEY="  ")
    assert len(load_settings(SECRET_KEY="", DEBUG="true").SECRET_KEY) >= 50


@pytest.mark.parametrize(
    ("name", "value"),
    [("DEBUG", "maybe"), ("SECURE_COOKIES", "perhaps"), ("LOGIN_FAILURE_WINDOW", "soon")],
)
def test_an_unusable_value_stops_the_project_naming_the_variable(load_settings, name, value):
    with pytest.raises(env.SettingsError, match=name):
        load_settings(**{name: value})


def test_the_defaults_of_blank_variables(load_settings):
    settings = load_settings()
    assert settings.DEBUG is False
    assert settings.ALLOWED_HOSTS == ["localhost", "127.0.0.1", "[::1]"]
    assert settings.SESSION_COOKIE_SECURE is settings.CSRF_COOKIE_SECURE is True  # blank: Secure
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.X_FRAME_OPTIONS == "DENY"
    assert settings.SECURE_REFERRER_POLICY == "same-origin"
    assert frozenset() == settings.TRUSTED_PROXIES
    assert settings.BASE_URL is None
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    assert settings.DEFAULT_FROM_EMAIL == "webmaster@localhost"
    assert (settings.LOGIN_FAILURES_PER_USER, settings.LOGIN_FAILURES_PER_ADDRESS) == (5, 20)
    assert (settings.LOGIN_FAILURE_WINDOW, settings.PASSWORD_RESET_TIMEOUT) == (900, 3600)
    assert "whitenoise.runserver_nostatic" not in settings.INSTALLED_APPS
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_variables_reach_django_settings(load_settings):
    settings = load_settings(
        SECURE_COOKIES="false",
        ALLOWED_HOSTS="notes.example.com,.example.org",
        TRUSTED_PROXIES="10.0.0.1",
        BASE_URL="https://notes.example.com/",
        EMAIL_URL="submission://mailer:se%40cret@smtp.example.com",
        EMAIL_FROM="notes@example.com",
        LOGIN_FAILURES_PER_USER="3",
        LOGIN_FAILURE_WINDOW="60",
        PASSWORD_RESET_MAX_AGE="600",
    )
    assert settings.SESSION_COOKIE_SECURE is settings.CSRF_COOKIE_SECURE is False
    assert settings.ALLOWED_HOSTS == ["notes.example.com", ".example.org"]
    assert frozenset({"10.0.0.1"}) == settings.TRUSTED_PROXIES
    assert settings.BASE_URL == "https://notes.example.com"
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    assert (settings.EMAIL_HOST, settings.EMAIL_PORT) == ("smtp.example.com", 587)
    assert (settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD) == ("mailer", "se@cret")
    assert (settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL) == (True, False)
    assert settings.EMAIL_TIMEOUT <= 10
    assert settings.DEFAULT_FROM_EMAIL == "notes@example.com"
    assert (settings.LOGIN_FAILURES_PER_USER, settings.LOGIN_FAILURE_WINDOW) == (3, 60)
    assert settings.PASSWORD_RESET_TIMEOUT == 600


def test_debug_serves_static_files_through_whitenoise_in_runserver(load_settings):
    apps = load_settings(DEBUG="true").INSTALLED_APPS
    assert apps.index("whitenoise.runserver_nostatic") < apps.index("django.contrib.staticfiles")


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgresql_urls(load_settings, scheme):
    database = load_settings(DATABASE_URL=f"{scheme}://u:p%40ss@db.example:5433/app").DATABASES
    config = database["default"]
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"]) == ("u", "p@ss", "db.example")
    assert (config["PORT"], config["NAME"]) == (5433, "app")


def test_default_database_is_a_sqlite_file_in_the_project(load_settings):
    config = load_settings(DATABASE_URL="  ").DATABASES["default"]
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(PROJECT / "db.sqlite3")


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(load_settings, tmp_path, django_db_blocker):
    """A connection of its own to a new SQLite file, with the project's options."""
    config = load_settings(DATABASE_URL=f"sqlite:///{tmp_path / 'wal.sqlite3'}").DATABASES
    assert config["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    connections = ConnectionHandler(config)
    try:
        with django_db_blocker.unblock(), connections["default"].cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20_000
    finally:
        connections.close_all()
