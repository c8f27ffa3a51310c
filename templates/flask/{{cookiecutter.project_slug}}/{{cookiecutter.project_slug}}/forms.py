"""Forms. Flask-WTF adds and checks the CSRF token of every one of them."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Regexp

USERNAME_RULE = Regexp(
    r"^[\w.@+-]+\Z", message="Use letters, digits and @ . + - _ only, without spaces."
)


class RegistrationForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[DataRequired(), Length(max=150), USERNAME_RULE],
        filters=[lambda value: value.strip() if value else value],
    )
    email = EmailField(
        "E-mail",
        validators=[InputRequired(), Length(max=254), Email(check_deliverability=False)],
        filters=[lambda value: value.strip().lower() if value else value],
    )
    password = PasswordField(
        "Password",
        validators=[
            InputRequired(),
            Length(min=8, max=1024, message="Use between 8 and 1024 characters."),
        ],
    )
    password_confirm = PasswordField(
        "Password (again)",
        validators=[InputRequired(), EqualTo("password", message="The passwords do not match.")],
    )


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired(), Length(max=150)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=1024)])


class NoteForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[DataRequired(), Length(max=200)],
        filters=[lambda value: value.strip() if value else value],
    )
    body = TextAreaField("Note", validators=[Length(max=10_000)])
