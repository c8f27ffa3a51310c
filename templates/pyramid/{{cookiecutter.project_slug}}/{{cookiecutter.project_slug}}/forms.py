"""The forms' schemas, in Colander (the Pylons project's validation library), with the rules of
``rules.py`` (one source for every webcutter project) behind each field.

``validate(Schema(), request.POST)`` returns a :class:`Form`: the values to show again, the
messages per field, and, when it is valid, ``form.data``. Every field is one string (a field
sent twice counts once, as its last value); a value no database could store (a NUL character, a
lone surrogate) is refused with a message, never passed on. The CSRF token of every form is
checked by Pyramid before a view runs (``security.py``).
"""

import colander

from . import rules


class Form:
    """Submitted values and their errors, for a template to show again."""

    def __init__(self, values=None, errors=None):
        self.values = dict(values or {})
        self.errors = dict(errors or {})
        self.form_errors = []
        self.data = None

    def error(self, field, message):
        self.errors.setdefault(field, []).append(message)

    @property
    def valid(self):
        return self.data is not None and not self.errors and not self.form_errors


def check(problem):
    """A Colander validator made of one of ``rules.py``'s checks (a message, or None)."""

    def validator(node, value):
        message = problem(value)
        if message:
            raise colander.Invalid(node, message)

    return validator


def stripped(value):
    return value.strip() if isinstance(value, str) else value


def username(value):
    return rules.normalize_username(value) if isinstance(value, str) else value


def field(validator=None, preparer=None, **kw):
    """A one-line text field, required unless ``missing`` is given."""
    return colander.SchemaNode(
        colander.String(),
        validator=validator,
        preparer=preparer,
        missing_msg=rules.REQUIRED,
        **kw,
    )


def password_field(**kw):
    return field(check(rules.password_problem), **kw)


def new_password_matches(node, values):
    """The new password and its confirmation are equal (checked once both are valid)."""
    if values["password"] != values["password_confirm"]:
        error = colander.Invalid(node)
        error["password_confirm"] = rules.PASSWORD_MISMATCH
        raise error


class RegistrationSchema(colander.Schema):
    username = field(check(rules.username_problem), username)
    email = field(check(rules.email_problem), stripped)
    password = password_field()
    password_confirm = field(check(rules.unstorable))

    validator = staticmethod(new_password_matches)


class LoginSchema(colander.Schema):
    # No username rules here: a name that breaks them simply has no account.
    username = field(check(rules.unstorable), username)
    password = field(check(rules.unstorable))


class NoteSchema(colander.Schema):
    title = field(check(rules.title_problem), stripped)
    body = field(check(rules.body_problem), missing="")


class PasswordResetSchema(colander.Schema):
    email = field(check(rules.email_problem), stripped)


class SetPasswordSchema(colander.Schema):
    password = password_field()
    password_confirm = field(check(rules.unstorable))

    validator = staticmethod(new_password_matches)


class ChangePasswordSchema(SetPasswordSchema):
    current_password = field(check(rules.unstorable), insert_before="password")


SECRET_FIELDS = {"password", "password_confirm", "current_password"}


def validate(schema, params):
    """``params`` (a request's POST) checked by ``schema``; passwords are never shown again."""
    submitted = {node.name: params.get(node.name, "") for node in schema.children}
    shown = {
        name: value
        for name, value in submitted.items()
        if name not in SECRET_FIELDS and not rules.unstorable(value)
    }
    try:
        data = schema.deserialize(submitted)
    except colander.Invalid as invalid:
        errors = {name.rsplit(".", 1)[-1]: [message] for name, message in invalid.asdict().items()}
        return Form(shown, errors)
    form = Form({**shown, **{k: v for k, v in data.items() if k not in SECRET_FIELDS}})
    form.data = data
    return form
