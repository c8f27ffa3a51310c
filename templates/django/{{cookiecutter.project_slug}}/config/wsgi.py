"""WSGI entry point (gunicorn config.wsgi), exposing ``application``.

Importing it loads the settings, so a missing SECRET_KEY stops the server before it serves.
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
