"""The forms' fields, checked: each function takes what was submitted and returns (values, errors).

``errors`` maps a field name (or ``"form"``) to its message; an empty dict means the values are
valid. The rules themselves (limits, messages, normalisation, what no database can store) are
``rules.py``, the one source every webcutter project shares.
"""

import cherrypy

from . import rules


def field(value):
    """A submitted field as a string ('' when missing). A field sent more than once, or a file,
    is no answer to a form of this site: 400."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise cherrypy.HTTPError(400, "Each field of the form must be sent once, as text.")
    return value


def _problems(**problems):
    return {name: problem for name, problem in problems.items() if problem}


def _key_problem(value, limit, message):
    """The database keeps the case-folded value unique in a column as long as the value's own:
    a value whose folded form is longer (``ß`` folds to ``ss``) is refused as too long."""
    return message if len(rules.fold(value)) > limit else None


def _password_problems(password, confirmation, name="password"):
    problem = rules.password_problem(password, confirmation)
    confirm_name = f"{name}_confirm"
    return {confirm_name if problem == rules.PASSWORD_MISMATCH else name: problem}


def registration(username, email, password, password_confirm):
    values = {
        "username": rules.normalize_username(field(username)),
        "email": field(email).strip(),
    }
    password, password_confirm = field(password), field(password_confirm)
    errors = _problems(
        username=rules.username_problem(values["username"])
        or _key_problem(values["username"], rules.USERNAME_MAX_LENGTH, rules.USERNAME_TOO_LONG),
        email=rules.email_problem(values["email"])
        or _key_problem(values["email"], rules.EMAIL_MAX_LENGTH, rules.EMAIL_INVALID),
        **_password_problems(password, password_confirm),
    )
    values["password"] = password
    return values, errors


def login(username, password):
    """Only what can't be looked up at all is an error here; the rest is a sign-in attempt."""
    values = {"username": rules.normalize_username(field(username)), "password": field(password)}
    problem = rules.unstorable(values["username"]) or rules.unstorable(values["password"])
    return values, _problems(form=problem)


def email_address(email):
    values = {"email": field(email).strip()}
    return values, _problems(email=rules.email_problem(values["email"]))


def new_password(password, password_confirm):
    values = {"password": field(password)}
    return values, _problems(**_password_problems(values["password"], field(password_confirm)))


def password_change(current_password, new_password, new_password_confirm):
    values = {"current_password": field(current_password), "new_password": field(new_password)}
    errors = _problems(
        current_password=rules.unstorable(values["current_password"]),
        **_password_problems(values["new_password"], field(new_password_confirm), "new_password"),
    )
    return values, errors


def note(title, body):
    values = {"title": field(title).strip(), "body": field(body).replace("\r\n", "\n")}
    errors = _problems(
        title=rules.title_problem(values["title"]), body=rules.body_problem(values["body"])
    )
    return values, errors
