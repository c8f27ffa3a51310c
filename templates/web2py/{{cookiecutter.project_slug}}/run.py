"""Development server: ``python run.py`` serves the site on http://localhost:$PORT (8000)."""

import logging
import os
import sys

from waitress import serve

from {{ cookiecutter.project_slug }}.settings import ConfigurationError


def main():
    try:
        from wsgi import application
    except ConfigurationError as error:
        sys.exit(f"Cannot start: {error}")
    port = int(os.environ.get("PORT") or 8000)
    logging.basicConfig(level=logging.INFO)
    print(f"Serving on http://localhost:{port} (Ctrl+C to stop)", flush=True)
    serve(application, host="127.0.0.1", port=port)


if __name__ == "__main__":
    main()
