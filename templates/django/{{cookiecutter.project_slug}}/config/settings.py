"""Django settings for the {{ cookiecutter.project_slug }} project.

One settings module for every machine: what differs between them (secrets, the database, mail,
debug mode, cookie, host and proxy settings, the sign-in limits) comes from environment
variables, which the project's ``.env`` file fills in. A variable set in the real environment wins
over ``.env``; a blank one means its default. ``config/env.py`` reads and checks each of them and
stops the project with a message naming a variable it cannot use.

https://docs.djangoproject.com/en/5.2/ref/settings/
"""

from pathlib import Path

import dj_database_url

from . import env, rules

BASE_DIR = Path(__file__).resolve().parent.parent

env.read_env_file(BASE_DIR / ".env")

PROJECT_NAME = {{ cookiecutter.project_name | python_string }}

# Core: debug mode, the signing key and the host names this site answers to (any other Host
# header is refused with 400 by Django itself).
DEBUG = env.boolean("DEBUG", default=False)
SECRET_KEY = env.secret_key(debug=DEBUG)
ALLOWED_HOSTS = env.allowed_hosts()
CSRF_TRUSTED_ORIGINS = env.names("CSRF_TRUSTED_ORIGINS")
# The reverse proxies whose X-Forwarded-For is believed (config.middleware.RequestGuardMiddleware).
TRUSTED_PROXIES = env.trusted_proxies()
# The origin of the links in mails; None: the request's own (its host one of ALLOWED_HOSTS).
BASE_URL = env.base_url()


# Applications

DJANGO_APPS = [
    "config.apps.AdminConfig",  # django.contrib.admin, with the throttled login of config/admin.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = []  # WhiteNoise needs no app in production: it is a middleware
LOCAL_APPS = [
    "accounts",
    "notes",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS
if DEBUG:
    # runserver then serves static files through WhiteNoise, with the headers of production.
    # First in the list: Django takes a command from the first app that has it, and this app's
    # runserver has to win over django.contrib.staticfiles' one.
    INSTALLED_APPS = ["whitenoise.runserver_nostatic", *INSTALLED_APPS]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the request: the CSP on every answer, even the refusals below.
    "config.middleware.ContentSecurityPolicyMiddleware",
    # 413 for a body over 1 MiB, 400 for a form that is not UTF-8, the client behind a proxy.
    "config.middleware.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.project",
            ],
        },
    },
]


# Database: DATABASE_URL, or the SQLite file db.sqlite3 next to manage.py. postgres:// and
# postgresql:// URLs use Django's PostgreSQL backend, which runs on psycopg 3.

DATABASES = {
    "default": dj_database_url.parse(
        env.database_url(BASE_DIR / "db.sqlite3"),
        # Keep connections open between requests, and test them before reusing one.
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite in production-like use: the write-ahead log lets readers work while one process
    # writes, write transactions take the lock when they begin (no deadlock on upgrading a read
    # to a write), and a writer waits up to 20 s for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# Accounts: a custom user model from day one, Django's own auth views (login, logout, password
# reset and change), sessions in the database.

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "notes:index"
LOGOUT_REDIRECT_URL = "home"

# Argon2id first: new passwords get it, and hashes of the others are upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": rules.PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (accounts.models.ThrottleEvent) and password-reset links.
ACCOUNTS = env.accounts()
LOGIN_FAILURES_PER_USER = ACCOUNTS.login_failures_per_user
LOGIN_FAILURES_PER_ADDRESS = ACCOUNTS.login_failures_per_address
LOGIN_FAILURE_WINDOW = ACCOUNTS.login_failure_window  # seconds, for both counts
RESET_MAILS_PER_ADDRESS = ACCOUNTS.reset_mails_per_address
RESET_MAIL_WINDOW = ACCOUNTS.reset_mail_window  # seconds
PASSWORD_RESET_TIMEOUT = ACCOUNTS.password_reset_max_age  # seconds a reset link stays valid


# Mail: EMAIL_URL (smtp://, submission://, smtps:// or console://, the default) and EMAIL_FROM.
# A mail server that is down never breaks a page: Django's PasswordResetForm logs the failure.

EMAIL = env.email()
if EMAIL.backend == "smtp":
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # the message goes to stdout
EMAIL_HOST = EMAIL.host
EMAIL_PORT = EMAIL.port
EMAIL_HOST_USER = EMAIL.username
EMAIL_HOST_PASSWORD = EMAIL.password
EMAIL_USE_SSL = EMAIL.use_ssl
EMAIL_USE_TLS = EMAIL.use_tls
EMAIL_TIMEOUT = EMAIL.timeout  # seconds, at most 10: a request never hangs on a mail server
DEFAULT_FROM_EMAIL = SERVER_EMAIL = EMAIL.sender


# Sessions, cookies and security headers. Sessions live in the database (Django's default
# engine), so logging out deletes the session itself, not only the cookie.

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SECURE_COOKIES = env.boolean("SECURE_COOKIES", default=True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"


# Internationalization: the pages are in English, so Django's translation machinery stays off
# (its docs: "a way to turn it off, for performance"); every template, date filter and URL
# reversal of a request then skips the active-language lookups. To translate the site, set
# USE_I18N = True and add django.middleware.locale.LocaleMiddleware.

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True


# Static files: collected into staticfiles/ and served by WhiteNoise, with hashed names. Nothing
# else of the project is ever served as a file.

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


# Logging: errors (with their tracebacks) and warnings go to the console, which the
# process manager collects; the browser never sees a traceback unless DEBUG is on.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
