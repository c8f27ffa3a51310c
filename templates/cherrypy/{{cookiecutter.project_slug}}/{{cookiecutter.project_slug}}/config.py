"""Settings from environment variables (and the project's .env file)."""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DOTENV_PATH = PROJECT_ROOT / ".env"
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "{{ cookiecutter.project_slug }}.sqlite3"
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Settings:
    secret_key: str
    database_url: str
    debug: bool = False
    secure_cookies: bool = True
    project_name: str = "{{ cookiecutter.project_name }}"


def load_environment(dotenv_path=DOTENV_PATH):
    """Read ``.env`` into os.environ; a variable already in the environment wins (even empty)."""
    if dotenv_path is not None:
        load_dotenv(dotenv_path, override=False)


def env_bool(name, default):
    value = os.environ.get(name, "").strip().lower()
    if not value:  # unset or blank: the default
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise RuntimeError(f"{name} must be true or false, not {value!r}")


def database_url(url=None, sqlite_path=DEFAULT_SQLITE_PATH):
    """SQLAlchemy URL for ``DATABASE_URL``; unset means a SQLite file in the project's var/."""
    url = (url or "").strip()
    if not url:
        Path(sqlite_path).parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{sqlite_path}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_settings(dotenv_path=DOTENV_PATH):
    """The app's settings. Refuses to go on without SECRET_KEY unless DEBUG is on."""
    load_environment(dotenv_path)
    debug = env_bool("DEBUG", False)
    secret_key = os.environ.get("SECRET_KEY", "").strip()
    if not secret_key:
        if not debug:
            raise RuntimeError(
                "SECRET_KEY is not set. Put it in .env or the environment "
                "(DEBUG=true runs with a throw-away key)."
            )
        secret_key = secrets.token_urlsafe(32)
    return Settings(
        secret_key=secret_key,
        database_url=database_url(os.environ.get("DATABASE_URL")),
        debug=debug,
        secure_cookies=env_bool("SECURE_COOKIES", True),
    )
