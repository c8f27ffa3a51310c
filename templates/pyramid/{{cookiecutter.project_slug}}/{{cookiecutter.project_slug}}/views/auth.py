"""Registration, login and logout."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config
from pyramid_retry import mark_error_retryable
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ..forms import Form, validate_registration
from ..models import User
from ..models.user import waste_a_password_check
from ..redirects import safe_next
from ..security import end_session, start_session

INVALID_LOGIN = "Invalid username or password"
TAKEN = "That username or e-mail address is already registered."


def is_taken(dbsession, username, email):
    """Whether an account already has this username or e-mail address."""
    query = select(User.id).where(or_(User.username == username, User.email == email))
    return dbsession.scalars(query).first() is not None


@view_config(
    route_name="register", request_method=("GET", "POST"), renderer="auth/register.jinja2"
)
def register(request):
    form = Form()
    if request.method == "POST":
        form = validate_registration(request.POST)
        if form.valid:
            username, email = form.values["username"], form.values["email"]
            if not is_taken(request.dbsession, username, email):
                user = User(username=username, email=email)
                user.set_password(form.values["password"])
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
    form.values.pop("password", None)
    return {"form": form}


@view_config(route_name="login", request_method=("GET", "POST"), renderer="auth/login.jinja2")
def login(request):
    next_url = safe_next(request.GET.get("next"))
    form = Form()
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        password = request.POST.get("password", "")
        form = Form({"username": username})
        user = None
        if username and len(username) <= 150 and len(password) <= 1024:
            user = request.dbsession.scalars(select(User).where(User.username == username)).first()
        if user is None:
            waste_a_password_check(password)
        elif user.check_password(password):
            headers = start_session(request, user)
            location = next_url or request.route_path("notes")
            return HTTPSeeOther(location=location, headers=headers)
        form.form_errors.append(INVALID_LOGIN)
    query = {"next": next_url} if next_url else {}
    return {"form": form, "action": request.route_path("login", _query=query)}


@view_config(route_name="logout", request_method="POST")
def logout(request):
    """POST only (a GET finds no view: 404), and Pyramid has checked the CSRF token."""
    headers = end_session(request)
    return HTTPSeeOther(location=request.route_path("home"), headers=headers)
