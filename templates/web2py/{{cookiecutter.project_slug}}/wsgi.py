"""The WSGI application: web2py's ``gluon.main.wsgibase`` for this site.

``gunicorn wsgi:application`` (the Procfile), ``python run.py`` and the tests all start here.
Importing this module refuses to go on when a setting is unusable, or SECRET_KEY is missing
(unless DEBUG=true), so a server started without one exits at once.

Around web2py, ``hardening.RequestGuard`` answers what web2py has no machinery for: a Host
outside ALLOWED_HOSTS (400; Auth's own ``host_names`` would answer 403, and only where Auth
runs), a body over 1 MiB (413, before anything reads it), and the client's address behind
TRUSTED_PROXIES (REMOTE_ADDR). Then every response gets the security headers.
"""

import os
from pathlib import Path

# web2py finds VERSION, routes.py and applications/ in web2py_path, read when gluon is imported.
os.environ["web2py_path"] = str(Path(__file__).resolve().parent)  # noqa: SIM112 (its name)

from {{ cookiecutter.project_slug }}.settings import current_settings

settings = current_settings()  # raises SettingsError when a setting is unusable (before gluon)

from gluon.settings import global_settings
from gluon.storage import Storage

from {{ cookiecutter.project_slug }}.hardening import RequestGuard
from {{ cookiecutter.project_slug }}.headers import with_security_headers

# Served by a WSGI server: skip web2py's own server (rocket), Tk and the locale change, and
# write tracebacks to the log (stderr) as well as to the app's errors/ folder.
global_settings.web2py_runtime_handler = True
global_settings.cmd_options = Storage(errors_to_console=True)
# web2py runs a full gc.collect() every 100 requests, on top of Python's own collector: in a
# worker, each one stops that request for the whole heap. Python's collector is enough.
global_settings.web2py_disable_garbage_collect = True
# Every session of this site is in the database (models/db.py connects it, or none on a first
# visit to a public page): web2py's own file-session connect, before the models, does nothing.
global_settings.db_sessions = True

# After the global settings above. Also what the models import at every worker's first request,
# imported once here instead: gunicorn (--preload in the Procfile) loads this module before it
# forks the workers, which then share it.
import gluon.tools  # noqa: F401
import pydal.dialects  # noqa: F401
import pydal.migrator  # noqa: F401
from gluon.main import wsgibase

application = RequestGuard(
    with_security_headers(wsgibase),
    allowed_hosts=settings.allowed_hosts,
    trusted_proxies=settings.trusted_proxies,
)
