"""The pages: home, registration, login, logout, notes and the health check.

routes.py maps the site's URLs to these actions (``/auth/login`` is ``login`` here). The
models ran first, so ``db``, ``auth``, ``settings`` and their helpers are globals, as are
web2py's ``request``, ``response``, ``session``, ``URL``, ``redirect`` and form helpers.
"""

from {{ cookiecutter.project_slug }}.redirects import safe_next


def index():
    response.title = "Home"
    return {}


def email_widget(field, value, **attributes):
    return SQLFORM.widgets.string.widget(field, value, _type="email", **attributes)


def password_widget(field, value, **attributes):
    """A password input that never sends a password back to the browser."""
    return SQLFORM.widgets.password.widget(field, None, **attributes)


def register():
    response.title = "Register"
    form = SQLFORM.factory(
        Field(
            "username",
            length=150,
            label="Username",
            requires=[
                strip_value,
                IS_NOT_EMPTY(error_message="Enter a username."),
                IS_LENGTH(150, error_message="Use at most 150 characters."),
                IS_MATCH(
                    r"^[\w.@+-]+\Z",
                    error_message="Use letters, digits and @ . + - _ only, without spaces.",
                ),
            ],
        ),
        Field(
            "email",
            length=254,
            label="E-mail",
            widget=email_widget,
            requires=[
                strip_value,
                IS_EMAIL(error_message="Enter a valid e-mail address."),
                IS_LENGTH(254, error_message="Use at most 254 characters."),
                IS_LOWER(),
            ],
        ),
        Field(
            "password",
            "password",
            label="Password",
            widget=password_widget,
            requires=IS_LENGTH(1024, 8, error_message="Use between 8 and 1024 characters."),
        ),
        Field(
            "password_again",
            "password",
            label="Password (again)",
            widget=password_widget,
            requires=IS_EQUAL_TO(
                request.post_vars.password, error_message="The passwords do not match."
            ),
        ),
        formstyle="divs",
        submit_button="Register",
        table_name="register",
        _action=URL("default", "register"),
    )
    message = None
    if form.process(formname="register").accepted:
        values = form.vars
        taken = db(
            (db.auth_user.username == values.username) | (db.auth_user.email == values.email)
        ).count()
        if not taken:
            try:
                user_id = db.auth_user.insert(
                    username=values.username,
                    email=values.email,
                    password=hash_password(values.password),
                )
            except db._adapter.driver.IntegrityError:  # registered a moment ago by another request
                db.rollback()
            else:
                auth.login_user(db.auth_user(user_id))
                session.flash = f"Welcome, {values.username}!"
                redirect(URL("default", "notes"), how=303)
        message = "That username or e-mail address is already registered."
    elif form.errors:
        message = "Please correct the errors below."
    return {"form": form, "message": message}


def login():
    response.title = "Log in"
    next_url = safe_next(request.get_vars.next)
    form = SQLFORM.factory(
        Field("username", length=150, label="Username", requires=IS_NOT_EMPTY()),
        Field("password", "password", label="Password", widget=password_widget),
        formstyle="divs",
        submit_button="Log in",
        table_name="login",
        _action=URL("default", "login", vars={"next": next_url} if next_url else {}),
    )
    message = None
    if form.process(formname="login").accepted:
        user = authenticate(form.vars.username, request.post_vars.password)
        if user is not None:
            auth.login_user(user)
            purge_old_sessions()
            redirect(next_url or URL("default", "notes"), how=303)
        message = INVALID_LOGIN
    elif form.errors:
        message = INVALID_LOGIN
    return {"form": form, "message": message}


def logout():
    """POST only (a GET changes nothing), with a form key, like every POST."""
    require_post()
    spend_formkey("logout")
    auth.logout_bare()
    harden_session_cookie()
    session.flash = "You are logged out."
    redirect(URL("default", "index"), how=303)


@auth.requires_login(otherwise=send_to_login)
def notes():
    response.title = "Notes"
    form = SQLFORM(
        db.note,
        fields=["title", "body"],
        formstyle="divs",
        submit_button="Add note",
        _action=URL("default", "notes"),
        _class="note-form",
    )
    if form.process(formname="note", keepvalues=True).accepted:
        session.flash = "Note added."
        redirect(URL("default", "notes"), how=303)
    own_notes = db(db.note.owner == auth.user_id).select(
        orderby=~db.note.created_on | ~db.note.id
    )
    return {"form": form, "notes": own_notes, "delete_key": new_formkey("delete_note")}


@auth.requires_login(otherwise=send_to_login)
def delete_note():
    require_post()
    spend_formkey("delete_note")
    note = db.note(request.args(0, cast=int, otherwise=not_found))
    if note is None or note.owner != auth.user_id:
        not_found()
    note.delete_record()
    session.flash = "Note deleted."
    redirect(URL("default", "notes"), how=303)


def health():
    """200 when the database answers a real query, 503 when it does not."""
    session.forget(response)
    try:
        db.executesql("SELECT 1")
    except Exception:
        logger.exception("Health check: the database did not answer")
        body = response.json({"status": "error", "database": "error"})
        raise HTTP(503, body, **response.headers) from None
    return response.json({"status": "ok", "database": "ok"})


def not_found():
    http_error(404, "Page not found", "There is nothing at this address.")
