"""The WSGI application for a production server: ``gunicorn {{ cookiecutter.project_slug }}.wsgi:application``.

Each server process imports this module, which starts the CherryPy engine (its plugins: the
database engine, the session clean-up) without CherryPy's own HTTP server.
"""

import atexit

import cherrypy

from . import create_app

cherrypy.config.update({"environment": "embedded", "log.screen": True})
cherrypy.server.unsubscribe()
application = create_app()
cherrypy.engine.start()
atexit.register(cherrypy.engine.exit)
