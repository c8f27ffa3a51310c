"""Accounts: registration, login and logout, password change, password reset by e-mail."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_mailman import EmailMessage
from sqlalchemy.exc import IntegrityError

from .extensions import db
from .forms import (
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    RegistrationForm,
)
from .models import User, logins
from .redirects import safe_next
from .rules import (
    EMAIL_TAKEN,
    INVALID_LOGIN,
    PASSWORD_CHANGED,
    PASSWORD_WRONG,
    RESET_DONE,
    RESET_INVALID,
    RESET_SENT,
    TAKEN,
    TOO_MANY_ATTEMPTS,
    USERNAME_TAKEN,
    parse_id,
)
from .tokens import check_token, make_token, token_user_id

bp = Blueprint("auth", __name__, url_prefix="/auth")


def start_session(user):
    """Log ``user`` in on a fresh session with a new sign-in record: nothing from before
    survives (no session fixation), and the record lets log-out end it on the server."""
    session.clear()
    user.login_token = logins.start(db.session, user.id)
    db.session.commit()
    login_user(user)


def sign_in_throttle():
    """The counts of failed sign-ins and reset mails (``throttle.py``), set up in create_app."""
    return current_app.extensions["throttle"]


@bp.route("/register", methods=("GET", "POST"))
def register():
    form = RegistrationForm()
    if form.validate_on_submit():
        username_taken = User.find_by_username(form.username.data) is not None
        email_taken = User.find_by_email(form.email.data) is not None
        if username_taken:
            form.username.errors.append(USERNAME_TAKEN)
        if email_taken:
            form.email.errors.append(EMAIL_TAKEN)
        if not (username_taken or email_taken):
            user = User(username=form.username.data, email=form.email.data)
            user.set_password(form.password.data)
            db.session.add(user)
            try:
                db.session.commit()
            except IntegrityError:  # registered by a concurrent request a moment ago
                db.session.rollback()
                form.form_errors.append(TAKEN)
            else:
                start_session(user)
                flash(f"Welcome, {user.username}!")
                return redirect(url_for("notes.index"), 303)
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=("GET", "POST"))
def login():
    form = LoginForm()
    next_url = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        throttle, username = sign_in_throttle(), form.username.data
        if throttle.refused(db.session, username, request.remote_addr):
            form.form_errors.append(TOO_MANY_ATTEMPTS)
            return render_template("auth/login.html", form=form, next=next_url), 429
        user = User.authenticate(username, form.password.data)
        if user is not None:
            throttle.succeeded(db.session, username)
            start_session(user)
            return redirect(next_url or url_for("notes.index"), 303)
        throttle.failed(db.session, username, request.remote_addr)
        db.session.commit()
        form.form_errors.append(INVALID_LOGIN)
    return render_template("auth/login.html", form=form, next=next_url)


@bp.post("/logout")
def logout():
    """POST only, and CSRFProtect has checked the token before we get here. The sign-in's
    record goes too, so a copy of the session cookie is not logged in any more."""
    if current_user.is_authenticated:
        logins.end(db.session, current_user.get_id())
        db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("main.index"), 303)


@bp.route("/password", methods=("GET", "POST"))
@login_required
def password_change():
    """A new password ends every other session of the user; this one goes on, under a new
    sign-in (so a copy of its cookie taken before is logged out too)."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(PASSWORD_WRONG)
        else:
            user = current_user._get_current_object()
            user.set_password(form.password.data)
            logins.end_all(db.session, user.id)
            start_session(user)
            flash(PASSWORD_CHANGED)
            return redirect(url_for("notes.index"), 303)
    return render_template("auth/password_change.html", form=form)


@bp.route("/password-reset", methods=("GET", "POST"))
def password_reset_request():
    """The same answer whether or not an account uses the address: nobody learns which
    addresses have one. At most a few mails go to one address per hour."""
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        user = User.find_by_email(form.email.data)
        if user is not None and sign_in_throttle().allow_reset_mail(db.session, user.email):
            db.session.commit()
            send_password_reset_mail(user)
        flash(RESET_SENT)
        return redirect(url_for("auth.password_reset_request"), 303)
    return render_template("auth/password_reset_request.html", form=form)


@bp.route("/password-reset/<token>", methods=("GET", "POST"))
def password_reset(token):
    """The link of the mail: a form to choose a new password, while the token is valid. The
    token signs the current password hash, so setting a password spends it."""
    user = user_for_reset_token(token)
    if user is None:
        return render_template("auth/password_reset_invalid.html", message=RESET_INVALID), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        logins.end_all(db.session, user.id)
        db.session.commit()
        flash(RESET_DONE)
        return redirect(url_for("auth.login"), 303)
    return render_template("auth/password_reset.html", form=form, token=token)


def user_for_reset_token(token):
    """The user a valid, unexpired, unspent reset token was made for, or None."""
    user_id = parse_id(token_user_id(token) or 0)
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not check_token(
        current_app.secret_key,
        token,
        user.id,
        user.password_hash,
        current_app.config["PASSWORD_RESET_MAX_AGE"],
    ):
        return None
    return user


def send_password_reset_mail(user):
    """Mail ``user`` a link to set a new password. A mail server that is down, slow or refuses
    the message is logged, and the visitor gets the same page as when it works."""
    token = make_token(current_app.secret_key, user.id, user.password_hash)
    message = EmailMessage(
        subject=f"Set a new password for {current_app.config['PROJECT_NAME']}",
        body=render_template(
            "auth/password_reset_mail.txt",
            user=user,
            link=external_url("auth.password_reset", token=token),
            minutes=max(1, current_app.config["PASSWORD_RESET_MAX_AGE"] // 60),
        ),
        to=[user.email],
    )
    try:
        message.send()
    except (OSError, ValueError) as error:  # smtplib's errors are OSErrors; a bad address
        current_app.logger.error("The password-reset mail could not be sent: %r", error)


def external_url(endpoint, **values):
    """An absolute URL for a mail: on ``BASE_URL`` when it is set, else on the request's own
    origin, whose host the request guard has checked against ``ALLOWED_HOSTS``."""
    base_url = current_app.config["BASE_URL"]
    if base_url:
        return base_url + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
