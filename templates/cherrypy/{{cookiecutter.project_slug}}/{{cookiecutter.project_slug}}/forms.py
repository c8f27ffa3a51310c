"""Form validation: each function takes the submitted fields and returns (values, errors).

``errors`` maps a field name to its message; an empty dict means the values are valid.
"""

import re

USERNAME = re.compile(r"[\w.@+-]+")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
REQUIRED = "This field is required."


def text(value):
    """A submitted field as a string ('' when missing, or sent more than once)."""
    return value if isinstance(value, str) else ""


def validate_registration(username, email, password, password_confirm):
    values = {"username": text(username).strip(), "email": text(email).strip().lower()}
    password, password_confirm = text(password), text(password_confirm)
    errors = {}
    if not values["username"]:
        errors["username"] = REQUIRED
    elif len(values["username"]) > 150:
        errors["username"] = "Use at most 150 characters."
    elif not USERNAME.fullmatch(values["username"]):
        errors["username"] = "Use letters, digits and @ . + - _ only, without spaces."
    if not values["email"]:
        errors["email"] = REQUIRED
    elif len(values["email"]) > 254 or not EMAIL.fullmatch(values["email"]):
        errors["email"] = "Invalid email address."
    # (S105: these are messages about passwords, not passwords)
    if not 8 <= len(password) <= 1024:
        errors["password"] = "Use between 8 and 1024 characters."  # noqa: S105
    elif password != password_confirm:
        errors["password_confirm"] = "The passwords do not match."  # noqa: S105
    values["password"] = password
    return values, errors


def validate_login(username, password):
    values = {"username": text(username).strip(), "password": text(password)}
    errors = {}
    if not values["username"] or not values["password"] or len(values["password"]) > 1024:
        errors["form"] = "Invalid username or password"
    return values, errors


def validate_note(title, body):
    values = {"title": text(title).strip(), "body": text(body).replace("\r\n", "\n")}
    errors = {}
    if not values["title"]:
        errors["title"] = REQUIRED
    elif len(values["title"]) > 200:
        errors["title"] = "Use at most 200 characters."
    if len(values["body"]) > 10_000:
        errors["body"] = "Use at most 10000 characters."
    return values, errors
