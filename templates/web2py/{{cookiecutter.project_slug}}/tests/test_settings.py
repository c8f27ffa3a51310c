import os
import subprocess
import sys
from pathlib import Path

import pytest

from {{ cookiecutter.project_slug }}.settings import ConfigurationError, database_uri, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DEBUG", "false")
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        load_settings(dotenv_path=None)
    monkeypatch.setenv("SECRET_KEY", "   ")
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        load_settings(dotenv_path=None)


def test_the_wsgi_module_refuses_to_load_without_secret_key():
    env = {**os.environ, "SECRET_KEY": "", "DEBUG": "false"}  # set, so .env does not win
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_runs_with_a_throwaway_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DEBUG", "true")
    first, second = load_settings(dotenv_path=None), load_settings(dotenv_path=None)
    assert first.debug is True
    assert len(first.secret_key) >= 32
    assert first.secret_key != second.secret_key


def test_the_environment_wins_over_dotenv(monkeypatch, tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("SECRET_KEY=from-dotenv\nSECURE_COOKIES=false\n")
    monkeypatch.setenv("SECRET_KEY", "from-environment")
    monkeypatch.setenv("SECURE_COOKIES", "")
    settings = load_settings(dotenv_path=dotenv)
    assert settings.secret_key == "from-environment"
    assert settings.secure_cookies is True  # a blank variable wins too, and means the default


def test_secure_cookies_setting(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s")
    monkeypatch.delenv("SECURE_COOKIES", raising=False)
    assert load_settings(dotenv_path=None).secure_cookies is True
    monkeypatch.setenv("SECURE_COOKIES", "false")
    assert load_settings(dotenv_path=None).secure_cookies is False
    monkeypatch.setenv("SECURE_COOKIES", "perhaps")
    with pytest.raises(ConfigurationError, match="SECURE_COOKIES"):
        load_settings(dotenv_path=None)


def test_session_cookie_flags(app, monkeypatch, reload_settings):
    monkeypatch.setenv("SECURE_COOKIES", "true")
    reload_settings.cache_clear()
    cookie = app.get("/auth/login").headers["Set-Cookie"]
    assert "session_id_{{ cookiecutter.project_slug }}=" in cookie
    assert "secure" in cookie.lower()
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p@db:5432/app", "postgres:psycopg2://u:p@db:5432/app"),
        ("postgres://u:p@db/app", "postgres:psycopg2://u:p@db/app"),
        ("sqlite:///srv/app.sqlite3", "sqlite:///srv/app.sqlite3"),
    ],
)
def test_database_url(url, expected):
    assert database_uri(url) == expected


def test_default_database_is_a_sqlite_file_in_the_databases_folder(tmp_path):
    uri = database_uri("", tmp_path / "databases")
    assert uri == f"sqlite://{tmp_path / 'databases' / '{{ cookiecutter.project_slug }}.sqlite3'}"
    assert (tmp_path / "databases").is_dir()
