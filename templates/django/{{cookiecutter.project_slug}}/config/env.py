"""Read the settings that differ between machines from environment variables.

``config/settings.py`` loads the project's ``.env`` into the environment first (without
overriding what is already set), then asks these helpers for typed values.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key
from dotenv import load_dotenv

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}

# SQLite in production-like use: the write-ahead log lets readers work while one process writes,
# write transactions take the lock when they begin (no deadlock on upgrade from read to write),
# and a writer waits up to 20 s for the lock instead of failing with "database is locked".
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def read_env_file(path):
    """Load ``path`` (a .env file) into os.environ; a variable already set, even empty, wins."""
    load_dotenv(path, override=False)


def env_bool(name, default):
    """``true``/``false`` (also 1/0, yes/no, on/off); unset or empty gives ``default``."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default):
    """A comma-separated list; unset or empty gives ``default``."""
    items = [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]
    return items or list(default)


def secret_key(debug):
    """SECRET_KEY from the environment. Without one the project refuses to start, unless
    ``debug`` is on: then a throw-away key is made (sessions end when the process does)."""
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    if debug:
        return get_random_secret_key()
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Put it in .env or the environment "
        "(DEBUG=true runs with a throw-away key)."
    )


def database(url, base_dir):
    """The ``default`` entry of DATABASES for ``DATABASE_URL``.

    Unset or empty: the SQLite file ``db.sqlite3`` in ``base_dir``. ``postgres://`` and
    ``postgresql://`` URLs use Django's PostgreSQL backend, which runs on psycopg 3.
    """
    url = (url or "").strip()
    if url:
        config = dj_database_url.parse(url)
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": Path(base_dir) / "db.sqlite3"}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    # Keep connections open between requests, and test them before reusing one.
    config["CONN_MAX_AGE"] = 600
    config["CONN_HEALTH_CHECKS"] = True
    return config
