"""{{ cookiecutter.project_name }}: the Flask application factory."""

import sqlite3

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy import event

from . import auth, main, notes
from .config import PROJECT_ROOT, load_config
from .extensions import csrf, db, login_manager, migrate


def create_app(test_config=None):
    """Build the app. Settings come from the environment (and .env), or from ``test_config``."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        load_config(
            app.instance_path,
            dotenv_path=None if test_config is not None else PROJECT_ROOT / ".env",
            overrides=test_config,
        )
    )
    register_extensions(app)
    app.register_blueprint(main.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(notes.bp)
    register_error_handlers(app)
    app.after_request(set_security_headers)
    return app


def register_extensions(app):
    db.init_app(app)
    migrate.init_app(app, db)
    login_manager.init_app(app)
    csrf.init_app(app)
    with app.app_context():
        event.listen(db.engine, "connect", _configure_sqlite)


def _configure_sqlite(dbapi_connection, _connection_record):
    """SQLite: write-ahead log so readers never block the writer, and enforced foreign keys."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


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

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        return render_template("errors/500.html"), 500


def set_security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
    )
    return response
