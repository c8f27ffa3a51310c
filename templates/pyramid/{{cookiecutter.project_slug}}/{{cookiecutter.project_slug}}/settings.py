"""The app's settings: the ini file's ``[app:main]`` completed from environment variables.

The ini files (development.ini, production.ini, testing.ini) hold what does not change between
deployments; SECRET_KEY, DATABASE_URL, DEBUG and the rest of docs/contract.md §4 come from the
environment, which the project's .env file fills in (a variable set in the real environment
wins, a blank one too). ``env.py`` reads and checks every variable; this module is the one place
that maps them onto Pyramid's settings.
"""

import os
from pathlib import Path

from pyramid.exceptions import ConfigurationError

from . import env

PROJECT_NAME = {{ cookiecutter.project_name | python_string }}
DATABASE_FILE = "{{ cookiecutter.project_slug }}.sqlite"
# environment variable -> the ini setting that may provide it instead (testing.ini does)
ENVIRONMENT = {
    "SECRET_KEY": "secret_key",
    "DATABASE_URL": "sqlalchemy.url",
    "DEBUG": "debug",
    "SECURE_COOKIES": "secure_cookies",
    "ALLOWED_HOSTS": "allowed_hosts",
    "TRUSTED_PROXIES": "trusted_proxies",
    "BASE_URL": "base_url",
    "EMAIL_URL": "email_url",
    "EMAIL_FROM": "email_from",
    "PASSWORD_RESET_MAX_AGE": "password_reset_max_age",
    "LOGIN_FAILURES_PER_USER": "login_failures_per_user",
    "LOGIN_FAILURES_PER_ADDRESS": "login_failures_per_address",
    "LOGIN_FAILURE_WINDOW": "login_failure_window",
}


def load_env_file(settings):
    """Load the .env file of ``project_root`` (the ini files' folder); variables already set win.

    testing.ini has no ``project_root``: the tests never read the project's .env.
    """
    root = settings.get("project_root")
    if root:
        env.read_env_file(Path(root) / ".env")


def _environ(settings, environ):
    """The variables: the environment, where an ini setting of ``ENVIRONMENT`` wins."""
    environ = dict(os.environ if environ is None else environ)
    for variable, key in ENVIRONMENT.items():
        if settings.get(key) is not None:
            environ[variable] = str(settings[key])
    return environ


def _default_database(settings):
    root = settings.get("project_root") or Path(__file__).resolve().parent.parent
    return Path(root) / DATABASE_FILE


def database_settings(settings, environ=None):
    """``settings`` with ``sqlalchemy.url`` from DATABASE_URL (what Alembic needs, and no more)."""
    try:
        url = env.database_url(_default_database(settings), _environ(settings, environ))
    except env.SettingsError as error:
        raise ConfigurationError(str(error)) from None
    return {**settings, "sqlalchemy.url": env.sqlalchemy_url(url)}


def app_settings(settings, environ=None):
    """The app's settings: ``settings`` completed from the environment, checked and typed.

    Environment values are read by ``env.py``, not ``pyramid.settings.asbool``: the contract
    wants a blank value to mean the default (a blank SECURE_COOKIES keeps cookies secure) and an
    unusable one (``DEBUG=maybe``) to stop the app, where ``asbool`` reads both as false.
    """
    try:
        loaded = env.load(_default_database(settings), _environ(settings, environ))
    except env.SettingsError as error:
        raise ConfigurationError(str(error)) from None
    settings = {
        **settings,
        "project_name": PROJECT_NAME,
        "secret_key": loaded.secret_key,
        "debug": loaded.debug,
        "sqlalchemy.url": env.sqlalchemy_url(loaded.database_url),
        "secure_cookies": loaded.secure_cookies,
        "allowed_hosts": loaded.allowed_hosts,
        "trusted_proxies": loaded.trusted_proxies,
        "base_url": loaded.base_url,
        "email": loaded.email,
        "accounts": loaded.accounts,
    }
    if loaded.debug:
        settings.setdefault("pyramid.reload_templates", True)
    return settings
