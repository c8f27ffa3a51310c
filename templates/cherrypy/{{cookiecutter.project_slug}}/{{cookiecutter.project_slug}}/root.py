"""The object tree's root: the home page and the health check, with /auth and /notes below."""

import logging

import cherrypy
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .auth import Auth
from .notes import Notes
from .rendering import render


class Root:
    def __init__(self):
        self.auth = Auth()
        self.notes = Notes()

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET"])
    def index(self):
        return render("index.html")

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET"])
    @cherrypy.tools.json_out()
    @cherrypy.config(**{"tools.sessions.on": False})
    def health(self):
        """200 when the database answers a real query, 503 when it does not."""
        try:
            cherrypy.request.db.execute(text("SELECT 1"))
        except SQLAlchemyError:
            cherrypy.request.db.rollback()
            cherrypy.log(
                "Health check: the database did not answer",
                severity=logging.ERROR,
                traceback=True,
            )
            cherrypy.response.status = 503
            return {"status": "error", "database": "error"}
        return {"status": "ok", "database": "ok"}
