"""{{ cookiecutter.project_slug }}: the Flask application factory."""

import traceback

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from . import auth, env, main, notes, sqlite
from .config import PROJECT_ROOT, load_config
from .extensions import csrf, db, login_manager, mail, migrate
from .hardening import SECURITY_HEADERS, RequestGuard
from .models import ThrottleEvent
from .throttle import Throttle
from .wrappers import Request


def create_app(test_config=None):
    """Build the app. Settings come from the environment and the project's .env file, or, in
    tests, from ``test_config`` alone."""
    app = Flask(__name__, instance_relative_config=True)
    app.request_class = Request
    app.url_map.converters["id"] = notes.IdConverter
    if test_config is None:
        env.read_env_file(PROJECT_ROOT / ".env")
        app.config.from_mapping(load_config(app.instance_path))
    else:
        app.config.from_mapping(test_config)
    register_extensions(app)
    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(notes.bp)
    register_error_handlers(app)
    app.after_request(set_security_headers)
    # Before Flask sees a request: 400 for a Host outside ALLOWED_HOSTS, 413 for a body over
    # MAX_CONTENT_LENGTH (411 for a chunked one, which Werkzeug would cut short without a
    # word), and REMOTE_ADDR from X-Forwarded-For when the peer is one of TRUSTED_PROXIES.
    # Flask's TRUSTED_HOSTS falls short: Werkzeug 3.1 matches it case-sensitively, never
    # matches "[::1]", and its 400 comes too early for an error page that builds URLs.
    app.wsgi_app = RequestGuard(
        app.wsgi_app,
        allowed_hosts=app.config["ALLOWED_HOSTS"],
        trusted_proxies=app.config["TRUSTED_PROXIES"],
        max_body=app.config["MAX_CONTENT_LENGTH"],
    )
    return app


def register_extensions(app):
    db.init_app(app)
    migrate.init_app(app, db)
    login_manager.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    with app.app_context():
        sqlite.configure(db.engine)
    app.extensions["throttle"] = Throttle(
        ThrottleEvent,
        per_user=app.config["LOGIN_FAILURES_PER_USER"],
        per_address=app.config["LOGIN_FAILURES_PER_ADDRESS"],
        window=app.config["LOGIN_FAILURE_WINDOW"],
    )


def register_error_handlers(app):
    @app.errorhandler(404)
    def not_found(_error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(405)
    def method_not_allowed(_error):
        return render_template("errors/405.html"), 405

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        return render_template("errors/400.html", reason=error.description), 400

    @app.errorhandler(HTTPException)
    def http_error(error):
        return render_template("errors/http.html", error=error), error.code

    @app.errorhandler(InternalServerError)
    def server_error(error):
        """500, or 503 when the database can't be reached. The page shows the traceback only
        in debug mode; the log always has it."""
        db.session.rollback()
        cause = error.original_exception
        status = 503 if isinstance(cause, OperationalError) else 500
        details = "".join(traceback.format_exception(cause)) if app.debug and cause else None
        # Rendered without the context processors: Flask-Login's loads the user from the
        # database, which may be what failed (the page shows no user menu).
        template = app.jinja_env.get_template(f"errors/{status}.html")
        return template.render(traceback=details), status


def set_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
