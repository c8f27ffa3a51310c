"""Development server: ``python run.py`` serves the site on http://localhost:$PORT (8000).

waitress serves ``wsgi.application``, the same guarded application as gunicorn in the Procfile
(so a body over 1 MiB is a 413 here too). It serves the source: a compiled application (the
release step's ``manage.py compile``) is removed first, so that every edit shows at once.
"""

import logging
import os
import sys

from waitress import serve

from {{ cookiecutter.project_slug }}.settings import APP_FOLDER, SettingsError


def main():
    try:
        from wsgi import application
    except SettingsError as error:
        sys.exit(f"Cannot start: {error}")
    from manage import compile_application

    if (APP_FOLDER / "compiled").exists():
        compile_application(remove=True)
    port = int(os.environ.get("PORT") or 8000)
    logging.basicConfig(level=logging.INFO)
    print(f"Serving on http://localhost:{port} (Ctrl+C to stop)", flush=True)
    serve(application, host="127.0.0.1", port=port)


if __name__ == "__main__":
    main()
