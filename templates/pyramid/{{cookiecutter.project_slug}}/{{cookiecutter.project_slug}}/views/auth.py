"""Registration, login (throttled) and logout."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config
from pyramid_retry import mark_error_retryable
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ..forms import Form, LoginSchema, RegistrationSchema, validate
from ..models import User
from ..models.user import waste_a_password_check
from ..redirects import safe_next
from ..rules import INVALID_LOGIN, TAKEN, TOO_MANY_ATTEMPTS, fold
from ..security import end_session, start_session


def is_taken(dbsession, username, email):
    """Whether an account already has this username or e-mail address, whatever their case."""
    query = select(User.id).where(
        or_(User.username_key == fold(username), User.email_key == fold(email))
    )
    return dbsession.scalars(query).first() is not None


@view_config(
    route_name="register",
    request_method=("GET", "POST"),
    renderer="{{ cookiecutter.project_slug }}:templates/auth/register.jinja2",
)
def register(request):
    form = Form()
    if request.method == "POST":
        form = validate(RegistrationSchema(), request.POST)
        if form.valid:
            username, email = form.data["username"], form.data["email"]
            if not is_taken(request.dbsession, username, email):
                user = User(username=username, email=email)
                user.set_password(form.data["password"])
                request.dbsession.add(user)
                try:
                    request.dbsession.flush()
                except IntegrityError as error:
                    # Registered by a concurrent request since the check above: pyramid_retry
                    # runs this request again, and the check then finds the name taken.
                    mark_error_retryable(error)
                    raise
                headers = start_session(request, user)
                request.session.flash(f"Welcome, {user.username}!")
                return HTTPSeeOther(location=request.route_path("notes"), headers=headers)
            form.form_errors.append(TAKEN)
    return {"form": form}


@view_config(
    route_name="login",
    request_method=("GET", "POST"),
    renderer="{{ cookiecutter.project_slug }}:templates/auth/login.jinja2",
)
def login(request):
    """Sign in. Failures are counted per username and per client address (``throttle.py``);
    past the limits every attempt is refused with a 429, even with the right password."""
    next_url = safe_next(request.GET.get("next"))
    query = {"next": next_url} if next_url else {}
    page = {"action": request.route_path("login", _query=query)}
    if request.method != "POST":
        return {**page, "form": Form()}
    form = validate(LoginSchema(), request.POST)
    if form.valid:
        db, throttle = request.dbsession, request.registry["throttle"]
        username, password = form.data["username"], form.data["password"]
        if throttle.refused(db, username, request.remote_addr):
            request.response.status_code = 429
            form.form_errors.append(TOO_MANY_ATTEMPTS)
            return {**page, "form": form}
        user = db.scalars(select(User).where(User.username_key == fold(username))).first()
        if user is None:
            waste_a_password_check(password)
        elif user.check_password(password):
            throttle.succeeded(db, username)
            headers = start_session(request, user)
            return HTTPSeeOther(location=next_url or request.route_path("notes"), headers=headers)
        throttle.failed(db, username, request.remote_addr)
        form.form_errors.append(INVALID_LOGIN)
    return {**page, "form": form}


@view_config(route_name="logout", request_method="POST")
def logout(request):
    """POST only (a GET finds no view), and Pyramid has checked the CSRF token. The sign-in's
    row is deleted: a copy of the session cookie is not logged in afterwards."""
    headers = end_session(request)
    return HTTPSeeOther(location=request.route_path("home"), headers=headers)
