"""/auth: registration, login and logout."""

import cherrypy
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from .forms import validate_login, validate_registration
from .models import User
from .redirects import safe_next
from .rendering import render
from .security import hash_password, verify_password

INVALID_LOGIN = "Invalid username or password"
TAKEN = "That username or e-mail address is already registered."


def start_session(user):
    """Log ``user`` in on a fresh session id: the one from before login is deleted (no
    fixation), and so is everything it held."""
    session = cherrypy.session
    session.regenerate()
    session.clear()
    session["user_id"] = user.id
    cherrypy.request.user = user


class Auth:
    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET", "POST"])
    def register(self, username=None, email=None, password=None, password_confirm=None):
        if cherrypy.request.method != "POST":
            return render("auth/register.html", values={}, errors={})
        values, errors = validate_registration(username, email, password, password_confirm)
        db = cherrypy.request.db
        if not errors:
            taken = db.scalars(
                select(User.id).where(
                    or_(User.username == values["username"], User.email == values["email"])
                )
            ).first()
            if taken is None:
                user = User(username=values["username"], email=values["email"],
                            password_hash=hash_password(values["password"]))
                db.add(user)
                try:
                    db.flush()
                except IntegrityError:  # registered by a concurrent request a moment ago
                    db.rollback()
                else:
                    start_session(user)
                    raise cherrypy.HTTPRedirect("/notes", 303)
            errors["form"] = TAKEN
        return render("auth/register.html", values=values, errors=errors)

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["GET", "POST"])
    def login(self, username=None, password=None, next=None):
        next_url = safe_next(next)
        if cherrypy.request.method != "POST":
            return render("auth/login.html", values={}, errors={}, next=next_url)
        values, errors = validate_login(username, password)
        if not errors:
            db = cherrypy.request.db
            user = db.scalars(select(User).where(User.username == values["username"])).first()
            if verify_password(user, values["password"]):
                start_session(user)
                raise cherrypy.HTTPRedirect(next_url or "/notes", 303)
            errors["form"] = INVALID_LOGIN
        values.pop("password")
        return render("auth/login.html", values=values, errors=errors, next=next_url)

    @cherrypy.expose
    @cherrypy.tools.allow(methods=["POST"])
    def logout(self):
        """POST only, and the CSRF tool has checked the token before we get here."""
        cherrypy.session.clear()
        cherrypy.session.regenerate()
        raise cherrypy.HTTPRedirect("/", 303)
