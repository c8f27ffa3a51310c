"""Configuration from environment variables (and the project's .env file)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def env_bool(name, default):
    value = os.environ.get(name, "").strip().lower()
    if not value:  # unset or blank: the default
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise RuntimeError(f"{name} must be true or false, not {value!r}")


def database_uri(url, instance_path):
    """SQLAlchemy URI for ``DATABASE_URL``; unset means a SQLite file in the instance folder."""
    url = (url or "").strip()
    if not url:
        Path(instance_path).mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{Path(instance_path) / '{{ cookiecutter.project_slug }}.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_config(instance_path, dotenv_path=None, overrides=None):
    """The app's settings. Refuses to go on without SECRET_KEY unless DEBUG is on."""
    if dotenv_path is not None:
        load_dotenv(dotenv_path)  # real environment variables win over .env
    config = {
        "PROJECT_NAME": "{{ cookiecutter.project_name }}",
        "DEBUG": env_bool("DEBUG", False),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "").strip(),
        "SQLALCHEMY_DATABASE_URI": database_uri(os.environ.get("DATABASE_URL"), instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env_bool("SECURE_COOKIES", True),
        "PERMANENT_SESSION_LIFETIME": timedelta(days=14),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    }
    config.update(overrides or {})
    if not config["SECRET_KEY"]:
        if not config["DEBUG"]:
            raise RuntimeError(
                "SECRET_KEY is not set. Put it in .env or the environment "
                "(DEBUG=true runs with a throw-away key)."
            )
        config["SECRET_KEY"] = secrets.token_urlsafe(32)
    return config
