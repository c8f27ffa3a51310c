"""Registration, login and logout."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import logout_user
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .forms import LoginForm, RegistrationForm
from .models import User
from .redirects import safe_next
from .security import start_session

bp = Blueprint("auth", __name__, url_prefix="/auth")

INVALID_LOGIN = "Invalid username or password"
# Checked when the username is unknown, so that a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")


@bp.route("/register", methods=("GET", "POST"))
def register():
    form = RegistrationForm()
    if form.validate_on_submit():
        taken = db.session.scalars(
            select(User).where(
                or_(User.username == form.username.data, User.email == form.email.data)
            )
        ).first()
        if taken is None:
            user = User(username=form.username.data, email=form.email.data)
            user.set_password(form.password.data)
            db.session.add(user)
            try:
                db.session.commit()
            except IntegrityError:  # registered by a concurrent request a moment ago
                db.session.rollback()
            else:
                start_session(user)
                flash(f"Welcome, {user.username}!")
                return redirect(url_for("notes.index"), 303)
        form.form_errors.append("That username or e-mail address is already registered.")
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=("GET", "POST"))
def login():
    form = LoginForm()
    next_url = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        user = db.session.scalars(select(User).where(User.username == form.username.data)).first()
        if user is None:
            check_password_hash(_DUMMY_HASH, form.password.data)
        elif user.check_password(form.password.data):
            start_session(user)
            return redirect(next_url or url_for("notes.index"), 303)
        form.form_errors.append(INVALID_LOGIN)
    return render_template("auth/login.html", form=form, next=next_url)


@bp.post("/logout")
def logout():
    """POST only, and CSRFProtect has checked the token before we get here."""
    logout_user()
    session.clear()
    return redirect(url_for("main.index"), 303)
