"""The app's configuration, from environment variables (and the project's .env file).

``env.py`` reads and checks every variable (docs: ``.env.example``); this module turns its
settings into Flask's configuration keys and those of the extensions.
"""

from pathlib import Path

from . import env
from .hardening import MAX_BODY_BYTES

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def load_config(instance_path, environ=None):
    """Flask's configuration for the variables in ``environ`` (default: ``os.environ``).

    Raises ``env.SettingsError``, naming the variable, for a value the app can't use, and when
    ``SECRET_KEY`` is missing unless ``DEBUG`` is true.
    """
    settings = env.load(Path(instance_path) / "{{ cookiecutter.project_slug }}.sqlite3", environ)
    return {
        "PROJECT_NAME": {{ cookiecutter.project_name | python_string }},
        "DEBUG": settings.debug,
        "SECRET_KEY": settings.secret_key,
        # Error pages come from the app's own handlers, in debug mode too (they show the
        # traceback then), whatever the server: gunicorn has no debugger.
        "PROPAGATE_EXCEPTIONS": False,
        "SQLALCHEMY_DATABASE_URI": env.sqlalchemy_url(settings.database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        **session_config(settings.secure_cookies),
        "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
        "ALLOWED_HOSTS": settings.allowed_hosts,
        "TRUSTED_PROXIES": settings.trusted_proxies,
        "BASE_URL": settings.base_url,
        "PASSWORD_HASH_METHOD": "scrypt",  # werkzeug.security; tests use a cheap one
        "PASSWORD_RESET_MAX_AGE": settings.accounts.password_reset_max_age,
        "LOGIN_FAILURES_PER_USER": settings.accounts.login_failures_per_user,
        "LOGIN_FAILURES_PER_ADDRESS": settings.accounts.login_failures_per_address,
        "LOGIN_FAILURE_WINDOW": settings.accounts.login_failure_window,
        **mail_config(settings.email),
    }


def session_config(secure_cookies):
    """The session cookie (Flask's signed cookie) and the CSRF token kept in it."""
    return {
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    }


def mail_config(email):
    """Flask-Mailman's settings for ``EMAIL_URL`` and ``EMAIL_FROM`` (an ``env.EmailSettings``)."""
    return {
        "MAIL_BACKEND": email.backend,  # "smtp", or "console": the message goes to the log
        "MAIL_SERVER": email.host,
        "MAIL_PORT": email.port,
        "MAIL_USERNAME": email.username,
        "MAIL_PASSWORD": email.password,
        "MAIL_USE_SSL": email.use_ssl,
        "MAIL_USE_TLS": email.use_tls,
        "MAIL_TIMEOUT": email.timeout,
        "MAIL_DEFAULT_SENDER": email.sender,
    }
