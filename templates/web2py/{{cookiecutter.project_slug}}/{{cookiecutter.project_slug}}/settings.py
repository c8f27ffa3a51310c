"""Settings from environment variables (and from the project's .env file)."""

import functools
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "{{ cookiecutter.project_slug }}"
APP_FOLDER = PROJECT_ROOT / "applications" / APP_NAME
DEFAULT_DATABASE_FOLDER = APP_FOLDER / "databases"
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


class ConfigurationError(RuntimeError):
    """A setting is missing, or has a value the app cannot use."""


@dataclass(frozen=True)
class Settings:
    secret_key: str
    debug: bool
    database_uri: str
    secure_cookies: bool
    session_days: int = 14


def env_bool(name, default):
    value = os.environ.get(name, "").strip().lower()
    if not value:  # unset or blank: the default
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {value!r}")


def database_uri(url, folder=DEFAULT_DATABASE_FOLDER):
    """The pydal URI for ``DATABASE_URL``; unset means a SQLite file in the app's databases/.

    pydal knows PostgreSQL as ``postgres://`` and talks to it through psycopg2, so the usual
    ``postgresql://`` (and ``postgres://``) URLs are rewritten to ``postgres:psycopg2://``.
    """
    url = (url or "").strip()
    if not url:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite://{folder / (APP_NAME + '.sqlite3')}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgres:psycopg2://" + url[len(prefix) :]
    return url


def load_settings(dotenv_path=PROJECT_ROOT / ".env"):
    """Read the settings. Refuses to go on without SECRET_KEY unless DEBUG is on."""
    if dotenv_path is not None:
        load_dotenv(dotenv_path)  # variables already in the environment win, empty ones too
    debug = env_bool("DEBUG", False)
    secret_key = os.environ.get("SECRET_KEY", "").strip()
    if not secret_key:
        if not debug:
            raise ConfigurationError(
                "SECRET_KEY is not set. Put it in .env or the environment "
                "(DEBUG=true runs with a throw-away key)."
            )
        secret_key = secrets.token_urlsafe(32)
    return Settings(
        secret_key=secret_key,
        debug=debug,
        database_uri=database_uri(os.environ.get("DATABASE_URL")),
        secure_cookies=env_bool("SECURE_COOKIES", True),
    )


@functools.cache
def current_settings():
    """The settings of this process, read once (``current_settings.cache_clear()`` rereads)."""
    return load_settings()
