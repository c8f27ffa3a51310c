"""The site's settings, read once per process from the environment and the project's .env.

Every variable of ``.env.example`` is read and checked by ``env.py`` (the rules all webcutter
projects share). web2py's welcome app keeps its settings in ``private/appconfig.ini``; here they
come from the environment instead, as the platforms the ``Procfile`` targets provide them, so a
deployment changes settings without changing files (see the README).
"""

import functools
from pathlib import Path

from . import env

PACKAGE_FOLDER = Path(__file__).resolve().parent
APP_FOLDER = PACKAGE_FOLDER.parent.parent  # applications/<app>/
PROJECT_ROOT = APP_FOLDER.parent.parent
APP_NAME = APP_FOLDER.name
DEFAULT_SQLITE_FILE = APP_FOLDER / "databases" / f"{APP_NAME}.sqlite3"
# PBKDF2-HMAC-SHA256 with 600 000 iterations (OWASP 2023); web2py's CRYPT default is 1000.
HASH_ALGORITHM = "pbkdf2(600000,32,sha256)"

SettingsError = env.SettingsError


@functools.cache
def current_settings():
    """The settings of this process (``current_settings.cache_clear()`` reads them again).

    Raises :class:`SettingsError`, naming the variable, for a value the site cannot use, and
    when ``SECRET_KEY`` is missing (unless ``DEBUG=true``).
    """
    env.read_env_file(PROJECT_ROOT / ".env")
    return env.load(DEFAULT_SQLITE_FILE)


def database_uri(settings):
    """pydal's URI for ``DATABASE_URL`` (PostgreSQL through psycopg2)."""
    return env.pydal_uri(settings.database_url)


def configure_mail(mail, email):
    """Set web2py's ``Mail`` up from ``EMAIL_URL`` and ``EMAIL_FROM`` (an ``env.EmailSettings``).

    ``console://`` is Mail's ``logging`` server: the message goes to the log, nothing is sent.
    Otherwise Mail talks SMTP to ``host:port``: implicit TLS (``ssl``) for ``smtps://``, STARTTLS
    (``tls``) for ``submission://``, plain for ``smtp://``, giving up after ``timeout`` seconds
    (at most 10). Mail logs a failure and returns False; it never raises.
    """
    mail.settings.sender = email.sender
    mail.settings.timeout = email.timeout
    if email.backend == "console":
        mail.settings.server = "logging"
        return mail
    mail.settings.server = f"{email.host}:{email.port}"
    mail.settings.ssl = email.use_ssl
    mail.settings.tls = email.use_tls
    mail.settings.login = f"{email.username}:{email.password}" if email.username else None
    return mail
