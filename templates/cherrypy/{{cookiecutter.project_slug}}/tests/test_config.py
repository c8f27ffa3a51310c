import pytest
import webtest
from conftest import make_settings, running

from {{ cookiecutter.project_slug }}.config import database_url, load_settings

VARIABLES = ("SECRET_KEY", "DEBUG", "DATABASE_URL", "SECURE_COOKIES")


@pytest.fixture()
def environ(monkeypatch):
    """A clean environment: whatever a test or its .env sets is undone afterwards."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_refuses_to_start_without_secret_key(environ):
    environ.setenv("DEBUG", "false")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_settings(dotenv_path=None)
    environ.setenv("SECRET_KEY", "   ")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_settings(dotenv_path=None)


def test_debug_runs_with_a_throwaway_key(environ):
    environ.setenv("DEBUG", "true")
    first, second = load_settings(dotenv_path=None), load_settings(dotenv_path=None)
    assert first.debug is True
    assert len(first.secret_key) >= 32
    assert first.secret_key != second.secret_key


def test_the_environment_wins_over_dotenv(environ, tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("SECRET_KEY=from-dotenv\nDEBUG=true\nSECURE_COOKIES=false\n")
    environ.setenv("SECRET_KEY", "from-environment")
    environ.setenv("DEBUG", "")  # set, even empty: wins
    settings = load_settings(dotenv_path=dotenv)
    assert settings.secret_key == "from-environment"
    assert settings.debug is False
    assert settings.secure_cookies is False  # only in .env


def test_cookie_settings_come_from_the_environment(environ):
    environ.setenv("SECRET_KEY", "s")
    assert load_settings(dotenv_path=None).secure_cookies is True
    environ.setenv("SECURE_COOKIES", "false")
    assert load_settings(dotenv_path=None).secure_cookies is False
    environ.setenv("SECURE_COOKIES", "perhaps")
    with pytest.raises(RuntimeError, match="SECURE_COOKIES"):
        load_settings(dotenv_path=None)


@pytest.mark.parametrize("secure", [True, False])
def test_session_cookie_flags(migrated, secure):
    with running(make_settings(migrated, secure_cookies=secure)) as app:
        cookie = webtest.TestApp(app).get("/auth/login").headers["Set-Cookie"]
    assert cookie.startswith("session_id=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert ("Secure" in cookie) is secure


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p@db/app", "postgresql+psycopg://u:p@db/app"),
        ("postgres://u:p@db/app", "postgresql+psycopg://u:p@db/app"),
        ("sqlite:////srv/app.sqlite3", "sqlite:////srv/app.sqlite3"),
    ],
)
def test_database_url(url, expected):
    assert database_url(url) == expected


def test_default_database_is_a_sqlite_file_in_the_project(tmp_path):
    path = tmp_path / "var" / "app.sqlite3"
    assert database_url("", sqlite_path=path) == f"sqlite:///{path}"
    assert path.parent.is_dir()
