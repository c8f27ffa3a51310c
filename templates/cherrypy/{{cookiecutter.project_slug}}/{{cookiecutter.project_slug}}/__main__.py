"""The development server: ``python -m {{ cookiecutter.project_slug }}`` serves on $PORT (default 8080)
with cheroot, CherryPy's own HTTP server."""

import os

import cherrypy

from . import create_app
from .hardening import MAX_BODY_BYTES


def main():
    app = create_app()
    debug = app.config["services"]["settings"].debug
    cherrypy.config.update(
        {
            "server.socket_host": os.environ.get("HOST", "127.0.0.1"),
            "server.socket_port": int(os.environ.get("PORT") or 8080),
            # cheroot answers 413 itself, from Content-Length, before the app reads anything.
            "server.max_request_body_size": MAX_BODY_BYTES,
            "engine.autoreload.on": debug,
            "log.screen": True,
        }
    )
    cherrypy.engine.signals.subscribe()
    cherrypy.engine.start()
    cherrypy.engine.block()


if __name__ == "__main__":
    main()
