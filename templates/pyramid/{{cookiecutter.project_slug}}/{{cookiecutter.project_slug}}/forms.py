"""The forms' rules: each ``validate_*`` returns the cleaned values and the messages, per field.

Pyramid leaves form handling to the application; these few rules need no form library.
The CSRF token of every form is checked by Pyramid before a view runs (``security.py``).
"""

import re

USERNAME = re.compile(r"^[\w.@+-]+\Z")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z")
REQUIRED = "This field is required."


class Form:
    """Submitted values and their errors, for a template to show again."""

    def __init__(self, values=None):
        self.values = dict(values or {})
        self.errors = {}
        self.form_errors = []

    def error(self, field, message):
        self.errors.setdefault(field, []).append(message)

    @property
    def valid(self):
        return not self.errors and not self.form_errors


def validate_registration(params):
    form = Form(
        {
            "username": params.get("username", "").strip(),
            "email": params.get("email", "").strip().lower(),
        }
    )
    password = params.get("password", "")
    confirmation = params.get("password_confirm", "")
    username, email = form.values["username"], form.values["email"]
    if not username:
        form.error("username", REQUIRED)
    elif len(username) > 150:
        form.error("username", "Use at most 150 characters.")
    elif not USERNAME.match(username):
        form.error("username", "Use letters, digits and @ . + - _ only, without spaces.")
    if not email:
        form.error("email", REQUIRED)
    elif len(email) > 254 or not EMAIL.match(email):
        form.error("email", "Invalid email address.")
    if not 8 <= len(password) <= 1024:
        form.error("password", "Use between 8 and 1024 characters.")
    elif password != confirmation:
        form.error("password_confirm", "The passwords do not match.")
    form.values["password"] = password
    return form


def validate_note(params):
    form = Form({"title": params.get("title", "").strip(), "body": params.get("body", "")})
    if not form.values["title"]:
        form.error("title", REQUIRED)
    elif len(form.values["title"]) > 200:
        form.error("title", "Use at most 200 characters.")
    if len(form.values["body"]) > 10_000:
        form.error("body", "Use at most 10000 characters.")
    return form
