"""Settings from the environment: config/env.py, and how config/settings.py uses it."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import ConnectionHandler

from config import env

PROJECT = Path(__file__).resolve().parent.parent
SETTINGS_FILE = PROJECT / "config" / "settings.py"


def load_settings(monkeypatch, **variables):
    """config/settings.py run afresh with ``variables`` set in the environment."""
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        env.secret_key(debug=False)
    monkeypatch.setenv("SECRET_KEY", "   ")
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        env.secret_key(debug=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        runpy.run_path(str(SETTINGS_FILE))


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


def test_debug_runs_with_a_throwaway_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first, second = env.secret_key(debug=True), env.secret_key(debug=True)
    assert len(first) >= 50
    assert first != second


def test_booleans(monkeypatch):
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    assert env.env_bool("SECURE_COOKIES", default=True) is True
    for value, expected in [("false", False), ("0", False), ("TRUE", True), ("", True)]:
        monkeypatch.setenv("SECURE_COOKIES", value)
        assert env.env_bool("SECURE_COOKIES", default=True) is expected
    monkeypatch.setenv("SECURE_COOKIES", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="SECURE_COOKIES"):
        env.env_bool("SECURE_COOKIES", default=True)


def test_lists(monkeypatch):
    monkeypatch.delenv("ALLOWED_HOSTS", raising=False)
    assert env.env_list("ALLOWED_HOSTS", ["localhost"]) == ["localhost"]
    monkeypatch.setenv("ALLOWED_HOSTS", " example.com, www.example.com ,")
    assert env.env_list("ALLOWED_HOSTS", ["localhost"]) == ["example.com", "www.example.com"]


def test_the_environment_wins_over_the_env_file(monkeypatch, tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("WEBCUTTER_A=from file\nWEBCUTTER_B=from file\nWEBCUTTER_C=from file\n")
    monkeypatch.setenv("WEBCUTTER_A", "from the environment")
    monkeypatch.setenv("WEBCUTTER_B", "")
    monkeypatch.delenv("WEBCUTTER_C", raising=False)
    env.read_env_file(dotenv)
    assert os.environ["WEBCUTTER_A"] == "from the environment"
    assert os.environ["WEBCUTTER_B"] == ""
    assert os.environ.pop("WEBCUTTER_C") == "from file"


def test_default_hosts_and_cookie_settings(monkeypatch):
    monkeypatch.delenv("ALLOWED_HOSTS", raising=False)
    settings = load_settings(monkeypatch, SECRET_KEY="s" * 50, DEBUG="false", SECURE_COOKIES="true")
    assert {"localhost", "127.0.0.1"} <= set(settings["ALLOWED_HOSTS"])
    assert settings["DEBUG"] is False
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert settings["X_FRAME_OPTIONS"] == "DENY"
    settings = load_settings(monkeypatch, SECURE_COOKIES="false")
    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["CSRF_COOKIE_SECURE"] is False


def test_argon2_hashes_new_passwords(monkeypatch):
    settings = load_settings(monkeypatch, SECRET_KEY="s" * 50)
    assert settings["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgresql_urls(scheme, tmp_path):
    config = env.database(f"{scheme}://u:p%40ss@db.example:5433/app", tmp_path)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"]) == ("u", "p@ss", "db.example")
    assert (config["PORT"], config["NAME"]) == (5433, "app")


def test_default_database_is_a_sqlite_file_in_the_project(tmp_path):
    for url in (None, "", "  "):
        config = env.database(url, tmp_path)
        assert config["ENGINE"] == "django.db.backends.sqlite3"
        assert config["NAME"] == tmp_path / "db.sqlite3"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path, django_db_blocker):
    """A connection of its own to a new SQLite file, with the project's options."""
    config = env.database(f"sqlite:///{tmp_path / 'wal.sqlite3'}", tmp_path)
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    connections = ConnectionHandler({"default": config})
    try:
        with django_db_blocker.unblock(), connections["default"].cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 20_000
    finally:
        connections.close_all()
