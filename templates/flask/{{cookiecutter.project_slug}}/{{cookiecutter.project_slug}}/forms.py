"""Forms. Flask-WTF adds and checks the CSRF token of every one of them.

The limits and messages come from ``rules.py``, the one source every webcutter project shares;
the validators below apply them the WTForms way.
"""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, TextAreaField
from wtforms.validators import EqualTo, InputRequired, Length, StopValidation, ValidationError

from .rules import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MISMATCH,
    REQUIRED,
    USERNAME_MAX_LENGTH,
    body_problem,
    email_problem,
    normalize_username,
    password_problem,
    title_problem,
    unstorable,
    username_problem,
)


def storable(_form, field):
    """Refuse text no database should be given (a NUL character, a lone surrogate)."""
    if message := unstorable(field.data):
        raise StopValidation(message)


class Rule:
    """A validator for one of the checks of ``rules.py`` (``username_problem``...)."""

    def __init__(self, problem):
        self.problem = problem

    def __call__(self, _form, field):
        if message := self.problem(field.data):
            raise ValidationError(message)


def strip(value):
    return value.strip() if isinstance(value, str) else value


def normalized(value):
    """A username as it is stored: NFKC-normalised and trimmed."""
    return normalize_username(value) if isinstance(value, str) else value


class Form(FlaskForm):
    """The base of every form: each text field checks ``storable`` before its own validators,
    so nothing a database would refuse gets as far as a query."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, StringField):
                validators = unbound_field.kwargs.get("validators") or ()
                options["validators"] = [storable, *validators]
            return unbound_field.bind(form=form, **options)


class NewPasswordForm(Form):
    password = PasswordField("New password", validators=[Rule(password_problem)])
    password_confirm = PasswordField(
        "New password (again)", validators=[EqualTo("password", message=PASSWORD_MISMATCH)]
    )


class RegistrationForm(NewPasswordForm):
    username = StringField("Username", validators=[Rule(username_problem)], filters=[normalized])
    email = EmailField("E-mail", validators=[Rule(email_problem)], filters=[strip])


class LoginForm(Form):
    username = StringField(
        "Username",
        validators=[InputRequired(REQUIRED), Length(max=USERNAME_MAX_LENGTH)],
        filters=[normalized],
    )
    password = PasswordField(
        "Password", validators=[InputRequired(REQUIRED), Length(max=PASSWORD_MAX_LENGTH)]
    )


class PasswordChangeForm(NewPasswordForm):
    current_password = PasswordField("Current password", validators=[InputRequired(REQUIRED)])


class PasswordResetRequestForm(Form):
    email = EmailField("E-mail", validators=[Rule(email_problem)], filters=[strip])


class NoteForm(Form):
    title = StringField("Title", validators=[Rule(title_problem)], filters=[strip])
    body = TextAreaField("Note", validators=[Rule(body_problem)])
