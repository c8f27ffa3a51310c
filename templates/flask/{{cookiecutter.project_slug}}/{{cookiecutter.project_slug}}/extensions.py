"""Flask extensions, created unbound here and bound to the app in ``create_app``."""

from flask import redirect, request, url_for
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from .config import PROJECT_ROOT


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate(directory=str(PROJECT_ROOT / "migrations"))
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.session_protection = "basic"


@login_manager.unauthorized_handler
def send_to_login():
    """Anonymous visitors of a protected page go to the login form, and come back after."""
    target = request.full_path if request.query_string else request.path
    return redirect(url_for("auth.login", next=target), 303)
