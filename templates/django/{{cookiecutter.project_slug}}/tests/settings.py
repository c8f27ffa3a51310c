"""The test settings module (pytest-django's DJANGO_SETTINGS_MODULE, set in pyproject.toml).

The project's own settings, with two changes for tests:

- a SECRET_KEY of the tests' own when the environment has none, so the tests also run where
  there is no .env (in CI); config/settings.py refuses to load without one;
- plain static files storage and no STATIC_ROOT, so pages render without collectstatic and
  WhiteNoise does not look for the collected files.
"""

import os

if not os.environ.get("SECRET_KEY", "").strip():
    os.environ["SECRET_KEY"] = "tests-only-" + "k" * 50

from config.settings import *  # noqa: E402, F403
from config.settings import STORAGES  # noqa: E402

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None
