"""The test settings module (pytest-django's DJANGO_SETTINGS_MODULE, set in pyproject.toml).

The project's own settings, with these changes for tests:

- a SECRET_KEY of the tests' own when the environment has none, so the tests also run where
  there is no .env (in CI); config/settings.py refuses to load without one;
- a fast password hasher (MD5): Argon2 is slow on purpose, and tests hash many passwords
  (tests/test_settings.py checks that the project itself hashes with Argon2id);
- mail kept in memory (``mailoutbox``), whatever EMAIL_URL says;
- plain static files storage and no STATIC_ROOT, so pages render without collectstatic;
  WhiteNoise serves the files of static/ as it does in development: it looks a file up when it
  is asked for (autorefresh), instead of listing every static file (the admin's too) each time a
  test client loads the middleware, once per test.
"""

import os

if not os.environ.get("SECRET_KEY", "").strip():
    os.environ["SECRET_KEY"] = "tests-only-" + "k" * 50

from config.env import AccountSettings  # noqa: E402
from config.settings import *  # noqa: E402, F403
from config.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The contract's defaults, whatever the environment of the test run says (tests that need
# other values change them with pytest-django's `settings` fixture).
ACCOUNTS = AccountSettings()
LOGIN_FAILURES_PER_USER = ACCOUNTS.login_failures_per_user
LOGIN_FAILURES_PER_ADDRESS = ACCOUNTS.login_failures_per_address
LOGIN_FAILURE_WINDOW = ACCOUNTS.login_failure_window
PASSWORD_RESET_TIMEOUT = ACCOUNTS.password_reset_max_age
TRUSTED_PROXIES = frozenset()
BASE_URL = None
