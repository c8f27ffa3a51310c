"""Settings from environment variables: the one source of the rules every webcutter project keeps.

A variable set in the real environment wins over the project's ``.env`` file (a blank one too); a
blank value means the variable's default; a value the app cannot use stops it with a message
naming the variable. Each framework wires these values into its own configuration (Flask config,
Django settings, Pyramid settings, CherryPy config, web2py models); this module only reads and
checks them. Standard library only, apart from python-dotenv (reading ``.env``) and dj-email-url
(reading ``EMAIL_URL``).

This file is shared by every webcutter template (``common/env.py`` in the template set): change
the rules there, not in one project.
"""

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})
DEFAULT_ALLOWED_HOSTS = ("localhost", "127.0.0.1", "[::1]")
DEFAULT_EMAIL_URL = "console://"
DEFAULT_EMAIL_FROM = "webmaster@localhost"
EMAIL_TIMEOUT = 10  # seconds: the longest a request may wait for a mail server
EMAIL_SCHEMES = {  # scheme -> (implicit TLS, STARTTLS, default port)
    "smtp": (False, False, 25),
    "submission": (False, True, 587),
    "smtps": (True, False, 465),
}


class SettingsError(ValueError):
    """A variable with a value the app cannot use (the message names the variable)."""


def read_env_file(path):
    """Load ``path`` (a ``.env`` file) into ``os.environ``; a variable already set wins, even a
    blank one. A missing file is fine: the real environment may hold everything."""
    from dotenv import load_dotenv

    load_dotenv(Path(path), override=False)


def value(name, environ=None):
    """The variable's text, stripped; None when it is unset or blank."""
    text = (os.environ if environ is None else environ).get(name, "").strip()
    return text or None


def text(name, default=None, environ=None):
    found = value(name, environ)
    return default if found is None else found


def boolean(name, default, environ=None):
    """``true``/``false`` (also 1/0, yes/no, on/off, any case); unset or blank: ``default``."""
    found = value(name, environ)
    if found is None:
        return default
    if found.lower() in TRUE:
        return True
    if found.lower() in FALSE:
        return False
    raise SettingsError(f"{name} must be true or false, not {found!r}")


def integer(name, default, minimum=1, environ=None):
    """A whole number of at least ``minimum``; unset or blank: ``default``."""
    found = value(name, environ)
    if found is None:
        return default
    try:
        number = int(found)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {found!r}") from None
    if number < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, not {number}")
    return number


def names(name, default=(), environ=None):
    """A comma-separated list (blank entries dropped); unset or blank: ``default``."""
    found = value(name, environ)
    if found is None:
        return list(default)
    return [item.strip() for item in found.split(",") if item.strip()]


def secret_key(debug, environ=None):
    """``SECRET_KEY``. Without one the app must not start, unless ``debug`` is on: then a
    throw-away key is made (sessions and links end with the process)."""
    found = value("SECRET_KEY", environ)
    if found:
        return found
    if debug:
        return secrets.token_urlsafe(48)
    raise SettingsError(
        "SECRET_KEY is not set. Put it in .env or the environment "
        "(DEBUG=true runs with a throw-away key)."
    )


def database_url(default_sqlite_file, environ=None):
    """``DATABASE_URL``, with ``postgres://`` spelled ``postgresql://``; unset or blank: the
    SQLite file ``default_sqlite_file`` (its folder is created)."""
    found = value("DATABASE_URL", environ)
    if found is None:
        path = Path(default_sqlite_file).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    scheme = found.split("://", 1)[0].lower() if "://" in found else ""
    if scheme == "postgres":
        return "postgresql://" + found.split("://", 1)[1]
    if scheme not in {"postgresql", "sqlite"} and not scheme.startswith(("postgresql+", "sqlite+")):
        raise SettingsError(
            f"DATABASE_URL must be a postgresql:// or sqlite:// URL, not {found.split(':', 1)[0]!r}"
        )
    return found


def sqlalchemy_url(url):
    """SQLAlchemy's name for ``url``: PostgreSQL through psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def pydal_uri(url):
    """pydal's name for ``url``: ``postgres:psycopg2://...``; ``sqlite:////abs/path``."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgres:psycopg2://" + url[len(prefix) :]
    # SQLAlchemy's sqlite:////abs/path is pydal's sqlite:///abs/path
    if url.startswith("sqlite:///"):
        return "sqlite://" + url[len("sqlite:///") :]
    return url


def allowed_hosts(environ=None):
    """``ALLOWED_HOSTS``: host names (``*`` only when written), lower-case."""
    return [host.lower() for host in names("ALLOWED_HOSTS", DEFAULT_ALLOWED_HOSTS, environ)]


def trusted_proxies(environ=None):
    """``TRUSTED_PROXIES``: the addresses of reverse proxies (normalised), none by default."""
    proxies = set()
    for entry in names("TRUSTED_PROXIES", (), environ):
        try:
            proxies.add(str(ipaddress.ip_address(entry.strip("[]"))))
        except ValueError:
            raise SettingsError(f"TRUSTED_PROXIES: {entry!r} is not an IP address") from None
    return frozenset(proxies)


def base_url(environ=None):
    """``BASE_URL`` (``https://host[:port]``, no path), or None: links use the request's origin."""
    found = value("BASE_URL", environ)
    if found is None:
        return None
    parts = urlsplit(found.rstrip("/"))
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path or parts.query:
        raise SettingsError(f"BASE_URL must look like https://example.com, not {found!r}")
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class EmailSettings:
    """How to send mail: ``backend`` is ``"smtp"`` or ``"console"`` (the log)."""

    backend: str = "console"
    host: str = "localhost"
    port: int = 25
    username: str = ""
    password: str = field(default="", repr=False)
    use_ssl: bool = False
    use_tls: bool = False
    timeout: int = EMAIL_TIMEOUT
    sender: str = DEFAULT_EMAIL_FROM


def email(environ=None):
    """``EMAIL_URL`` (dj-email-url's schemes) and ``EMAIL_FROM``; unset: the console (log).

    dj-email-url 1.0.6 reads ``smtps://`` as STARTTLS with no port: here it is implicit TLS on
    port 465, as the scheme says. The connection times out after at most 10 seconds.
    """
    import dj_email_url

    url = text("EMAIL_URL", DEFAULT_EMAIL_URL, environ)
    sender = text("EMAIL_FROM", DEFAULT_EMAIL_FROM, environ)
    scheme = urlsplit(url).scheme.lower()
    if scheme == "console":
        return EmailSettings(sender=sender)
    if scheme not in EMAIL_SCHEMES:
        raise SettingsError(
            f"EMAIL_URL must start with smtp://, submission://, smtps:// or console://, "
            f"not {scheme + '://' if scheme else url!r}"
        )
    try:
        parsed = dj_email_url.parse(url.replace("smtps://", "smtp://", 1))
    except ValueError as error:
        raise SettingsError(f"EMAIL_URL is not a valid URL: {error}") from None
    use_ssl, use_tls, port = EMAIL_SCHEMES[scheme]
    port = urlsplit(url).port or port
    timeout = parsed["EMAIL_TIMEOUT"] or EMAIL_TIMEOUT
    return EmailSettings(
        backend="smtp",
        host=parsed["EMAIL_HOST"] or "localhost",
        port=port,
        username=parsed["EMAIL_HOST_USER"] or "",
        password=parsed["EMAIL_HOST_PASSWORD"] or "",
        use_ssl=parsed["EMAIL_USE_SSL"] or use_ssl,
        use_tls=(parsed["EMAIL_USE_TLS"] or use_tls) and not parsed["EMAIL_USE_SSL"],
        timeout=max(1, min(int(timeout), EMAIL_TIMEOUT)),
        sender=sender,
    )


@dataclass(frozen=True)
class AccountSettings:
    """The account lifecycle's numbers: sign-in throttling and password-reset links."""

    login_failures_per_user: int = 5
    login_failures_per_address: int = 20
    login_failure_window: int = 900  # seconds
    password_reset_max_age: int = 3600  # seconds
    reset_mails_per_address: int = 3  # per hour, a fixed rule of the contract
    reset_mail_window: int = 3600


def accounts(environ=None):
    return AccountSettings(
        login_failures_per_user=integer("LOGIN_FAILURES_PER_USER", 5, environ=environ),
        login_failures_per_address=integer("LOGIN_FAILURES_PER_ADDRESS", 20, environ=environ),
        login_failure_window=integer("LOGIN_FAILURE_WINDOW", 900, environ=environ),
        password_reset_max_age=integer("PASSWORD_RESET_MAX_AGE", 3600, environ=environ),
    )


@dataclass(frozen=True)
class Settings:
    """Every setting of the contract (docs/contract.md §4), read and checked."""

    secret_key: str = field(repr=False)
    debug: bool
    database_url: str
    secure_cookies: bool
    allowed_hosts: list
    trusted_proxies: frozenset
    base_url: str | None
    email: EmailSettings
    accounts: AccountSettings


def load(default_sqlite_file, environ=None):
    """All the settings at once; raises :class:`SettingsError` naming the first bad variable."""
    debug = boolean("DEBUG", False, environ)
    return Settings(
        secret_key=secret_key(debug, environ),
        debug=debug,
        database_url=database_url(default_sqlite_file, environ),
        secure_cookies=boolean("SECURE_COOKIES", True, environ),
        allowed_hosts=allowed_hosts(environ),
        trusted_proxies=trusted_proxies(environ),
        base_url=base_url(environ),
        email=email(environ),
        accounts=accounts(environ),
    )
