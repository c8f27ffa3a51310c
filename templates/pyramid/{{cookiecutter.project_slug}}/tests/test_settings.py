import os
from pathlib import Path
from unittest import mock

import pytest
import webtest
from pyramid.exceptions import ConfigurationError
from pyramid.paster import get_app

from {{ cookiecutter.project_slug }} import main
from {{ cookiecutter.project_slug }}.settings import app_settings, database_url

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
        {"SECRET_KEY": "s", "DATABASE_URL": "postgres://u:p@db/app", "SECURE_COOKIES": "off"},
    )
    assert settings["secret_key"] == "s"
    assert settings["sqlalchemy.url"] == "postgresql+psycopg://u:p@db/app"
    assert settings["secure_cookies"] is False
    assert settings["debug"] is False


def test_cookies_are_secure_unless_turned_off():
    assert app_settings(CONFIGURED, {"SECRET_KEY": "s"})["secure_cookies"] is True
    with pytest.raises(ConfigurationError, match="SECURE_COOKIES"):
        app_settings(CONFIGURED, {"SECRET_KEY": "s", "SECURE_COOKIES": "perhaps"})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p@db/app", "postgresql+psycopg://u:p@db/app"),
        ("postgres://u:p@db/app", "postgresql+psycopg://u:p@db/app"),
        ("sqlite:////srv/app.sqlite", "sqlite:////srv/app.sqlite"),
    ],
)
def test_database_url(url, expected, tmp_path):
    assert database_url(url, tmp_path) == expected


def test_default_database_is_a_sqlite_file_in_the_project(tmp_path):
    assert database_url("", tmp_path) == f"sqlite:///{tmp_path / '{{ cookiecutter.project_slug }}.sqlite'}"
    assert database_url(None, tmp_path).startswith("sqlite:///")


def test_session_cookie_flags(app_settings, dbengine):
    app = main({}, dbengine=dbengine, **{**app_settings, "secure_cookies": "true"})
    response = webtest.TestApp(app).get("/auth/login")
    name, *flags = [part.strip().lower() for part in response.headers["Set-Cookie"].split(";")]
    assert name.startswith("session=")
    assert {"secure", "httponly", "samesite=lax"} <= set(flags)


@pytest.mark.parametrize("ini", ["development.ini", "production.ini"])
def test_the_ini_files_build_the_app_from_the_environment(app_settings, ini):
    """The real environment wins over .env: here it names the test database."""
    environ = {"SECRET_KEY": "from the environment", "DATABASE_URL": app_settings["sqlalchemy.url"]}
    with mock.patch.dict(os.environ, environ):
        app = get_app(str(PROJECT / ini))
        assert app.registry.settings["secret_key"] == "from the environment"
        assert app.registry.settings["sqlalchemy.url"] == app_settings["sqlalchemy.url"]
        response = webtest.TestApp(app).get("/health")
    assert response.json == {"status": "ok", "database": "ok"}
