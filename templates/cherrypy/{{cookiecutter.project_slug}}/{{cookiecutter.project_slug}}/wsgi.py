"""The WSGI application for a production server: ``gunicorn {{ cookiecutter.project_slug }}.wsgi:application``.

Importing this module starts the CherryPy engine (its plugins: the database engine, the session
clean-up) without CherryPy's own HTTP server. The Procfile's gunicorn imports it once, in its master
process (``--preload``), then forks the workers: nothing before the fork opens a connection or a
thread (the database plugin creates an engine, which connects on first use; the session clean-up
thread starts at a worker's first session), so each worker's pool and threads are its own.
"""

import atexit

import cherrypy

from . import create_app

cherrypy.config.update({"environment": "embedded", "log.screen": True})
cherrypy.server.unsubscribe()
application = create_app()
cherrypy.engine.start()
atexit.register(cherrypy.engine.exit)
