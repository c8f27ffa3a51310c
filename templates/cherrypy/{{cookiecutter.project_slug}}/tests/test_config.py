"""Settings: read from the environment and .env (env.py), wired into the CherryPy config."""

import pytest
import webtest

from {{ cookiecutter.project_slug }} import env
from {{ cookiecutter.project_slug }}.config import DEFAULT_SQLITE_PATH, load_settings

VARIABLES = (
    "SECRET_KEY", "DEBUG", "DATABASE_URL", "SECURE_COOKIES", "ALLOWED_HOSTS", "TRUSTED_PROXIES",
    "BASE_URL", "EMAIL_URL", "EMAIL_FROM", "PASSWORD_RESET_MAX_AGE", "LOGIN_FAILURES_PER_USER",
    "LOGIN_FAILURES_PER_ADDRESS", "LOGIN_FAILURE_WINDOW",
)  # fmt: skip


@pytest.fixture()
def environ(monkeypatch):
    """A clean environment: whatever a test or its .env sets is undone afterwards."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_refuses_to_start_without_secret_key(environ):
    environ.setenv("DEBUG", "false")
    with pytest.raises(env.SettingsError, match="SECRET_KEY"):
        load_settings(dotenv_path=None)
    environ.setenv("SECRET_KEY", "   ")
    with pytest.raises(env.SettingsError, match="SECRET_KEY"):
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
    environ.setenv("DEBUG", "")  # set, even blank: wins, and blank means the default
    settings = load_settings(dotenv_path=dotenv)
    assert settings.secret_key == "from-environment"
    assert settings.debug is False
    assert settings.secure_cookies is False  # only in .env


@pytest.mark.parametrize(
    ("name", "value"),
    [("DEBUG", "maybe"), ("SECURE_COOKIES", "perhaps"), ("LOGIN_FAILURE_WINDOW", "soon"),
     ("EMAIL_URL", "carrier-pigeon://coop"), ("BASE_URL", "notes.example.com")],
)  # fmt: skip
def test_an_unusable_value_stops_the_app_naming_the_variable(environ, name, value):
    environ.setenv("SECRET_KEY", "s")
    environ.setenv(name, value)
    with pytest.raises(env.SettingsError, match=name):
        load_settings(dotenv_path=None)


def test_the_defaults(environ):
    environ.setenv("SECRET_KEY", "s")
    settings = load_settings(dotenv_path=None)
    assert settings.database_url == f"sqlite:///{DEFAULT_SQLITE_PATH}"
    assert settings.secure_cookies is True
    assert settings.allowed_hosts == ["localhost", "127.0.0.1", "[::1]"]
    assert settings.trusted_proxies == frozenset()
    assert settings.base_url is None
    assert (settings.email.backend, settings.email.sender) == ("console", "webmaster@localhost")
    assert settings.accounts == env.AccountSettings()


@pytest.mark.parametrize("secure", [True, False])
def test_session_cookie_flags(make_app, secure):
    cookie = webtest.TestApp(make_app(secure_cookies=secure)).get("/auth/login")
    cookie = cookie.headers["Set-Cookie"]
    assert cookie.startswith("session_id=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert ("Secure" in cookie) is secure
