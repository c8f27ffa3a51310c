"""Settings from environment variables, which the project's .env file fills in.

The ini files (development.ini, production.ini) hold what does not change between
deployments; SECRET_KEY, DATABASE_URL, DEBUG and SECURE_COOKIES come from the environment.
A variable set in the real environment wins over .env (an empty one too).
"""

import os
import secrets
from pathlib import Path

from dotenv import load_dotenv
from pyramid.exceptions import ConfigurationError

PROJECT_NAME = {{ cookiecutter.project_name | tojson }}
DATABASE_FILE = "{{ cookiecutter.project_slug }}.sqlite"
# environment variable -> the setting it provides
ENVIRONMENT = {
    "SECRET_KEY": "secret_key",
    "DATABASE_URL": "sqlalchemy.url",
    "DEBUG": "debug",
    "SECURE_COOKIES": "secure_cookies",
}
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def as_bool(name, value, default):
    """``value`` (a string from the environment or an ini file) as a bool; None is ``default``."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if not text:  # blank: the default
        return default
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ConfigurationError(f"{name} must be true or false, not {value!r}")


def database_url(url, here):
    """The SQLAlchemy URL for ``DATABASE_URL``; unset means a SQLite file in the folder ``here``."""
    url = (url or "").strip()
    if not url:
        return f"sqlite:///{Path(here) / DATABASE_FILE}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_env_file(settings):
    """Load the .env file of ``project_root`` (the ini files' folder); variables already set win.

    Without ``project_root`` (the tests build the app from explicit settings) nothing is loaded.
    """
    root = settings.get("project_root")
    if root:
        load_dotenv(Path(root) / ".env", override=False)


def database_settings(settings, environ=None):
    """``sqlalchemy.url`` from the settings or DATABASE_URL (what Alembic needs, and no more)."""
    environ = os.environ if environ is None else environ
    url = settings.get("sqlalchemy.url") or environ.get("DATABASE_URL")
    here = settings.get("project_root") or Path(__file__).resolve().parent.parent
    return {**settings, "sqlalchemy.url": database_url(url, here)}


def app_settings(settings, environ=None):
    """The app's settings: ``settings`` completed from the environment, checked and typed.

    A value passed in ``settings`` (as the tests do) wins over the environment; the ini files
    leave these four to the environment. Without SECRET_KEY the app refuses to start, unless
    DEBUG is on, which gets a throw-away key.
    """
    environ = os.environ if environ is None else environ
    settings = dict(settings)
    for variable, key in ENVIRONMENT.items():
        if key not in settings and variable in environ:
            settings[key] = environ[variable]
    settings = database_settings(settings, environ)
    settings["project_name"] = PROJECT_NAME
    settings["debug"] = as_bool("DEBUG", settings.get("debug"), False)
    settings["secure_cookies"] = as_bool("SECURE_COOKIES", settings.get("secure_cookies"), True)
    settings["secret_key"] = (settings.get("secret_key") or "").strip()
    if settings["debug"]:
        settings.setdefault("pyramid.reload_templates", True)
        settings.setdefault("pyramid.debug_notfound", True)
        settings.setdefault("pyramid.debug_routematch", True)
    if not settings["secret_key"]:
        if not settings["debug"]:
            raise ConfigurationError(
                "SECRET_KEY is not set. Put it in .env or the environment "
                "(DEBUG=true runs with a throw-away key)."
            )
        settings["secret_key"] = secrets.token_urlsafe(32)
    return settings
