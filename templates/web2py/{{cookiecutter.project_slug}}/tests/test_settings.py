import os
import subprocess
import sys
from pathlib import Path

import pytest

from {{ cookiecutter.project_slug }} import env
from {{ cookiecutter.project_slug }}.settings import SettingsError, configure_mail, database_uri

ROOT = Path(__file__).resolve().parent.parent


def test_refuses_to_start_without_secret_key():
    for environ in ({"DEBUG": "false"}, {"SECRET_KEY": "   "}):
        with pytest.raises(SettingsError, match="SECRET_KEY"):
            env.load(ROOT / "unused.sqlite3", environ)


@pytest.mark.parametrize("variable", ["SECRET_KEY", "LOGIN_FAILURE_WINDOW"])
def test_the_wsgi_module_refuses_to_load_with_bad_settings(variable):
    bad = {"SECRET_KEY": "", "LOGIN_FAILURE_WINDOW": "soon"}[variable]
    environment = {**os.environ, "SECRET_KEY": "s", "DEBUG": "false", variable: bad}
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert variable in result.stderr


def test_debug_runs_with_a_throwaway_key():
    first = env.load(ROOT / "unused.sqlite3", {"DEBUG": "true"})
    second = env.load(ROOT / "unused.sqlite3", {"DEBUG": "true"})
    assert first.debug is True
    assert len(first.secret_key) >= 32
    assert first.secret_key != second.secret_key


def test_session_cookie_flags(app, reload_settings):
    reload_settings(SECURE_COOKIES="true")
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
        ("sqlite:////srv/app.sqlite3", "sqlite:///srv/app.sqlite3"),
    ],
)
def test_database_url(url, expected):
    settings = env.load(ROOT / "unused.sqlite3", {"SECRET_KEY": "s", "DATABASE_URL": url})
    assert database_uri(settings) == expected


class FakeMail:
    def __init__(self):
        self.settings = type("Settings", (), {})()


@pytest.mark.parametrize(
    ("url", "server", "ssl", "tls", "login"),
    [
        ("smtp://mail.example.com", "mail.example.com:25", False, False, None),
        ("submission://u:p%40ss@mail.example.com", "mail.example.com:587", False, True, "u:p@ss"),
        ("smtps://mail.example.com", "mail.example.com:465", True, False, None),
        ("smtp://localhost:1025", "localhost:1025", False, False, None),
    ],
)
def test_mail_settings_from_email_url(url, server, ssl, tls, login):
    mail = configure_mail(FakeMail(), env.email({"EMAIL_URL": url, "EMAIL_FROM": "me@x.org"}))
    assert (mail.settings.server, mail.settings.ssl, mail.settings.tls) == (server, ssl, tls)
    assert mail.settings.login == login
    assert mail.settings.sender == "me@x.org"
    assert mail.settings.timeout <= 10


def test_mail_defaults_to_the_log():
    mail = configure_mail(FakeMail(), env.email({}))
    assert mail.settings.server == "logging"
    assert mail.settings.sender == "webmaster@localhost"
