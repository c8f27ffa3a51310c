"""Forms for registration and login, built on Django's own auth forms."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from accounts.models import User


class RegisterForm(UserCreationForm):
    """Username, e-mail, password and its confirmation (checked by AUTH_PASSWORD_VALIDATORS)."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self):
        """One account per address, whatever the case of its letters."""
        email = User.objects.normalize_email(self.cleaned_data["email"].strip())
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "A user with that e-mail address already exists.", code="unique"
            )
        return email


class LoginForm(AuthenticationForm):
    """Django's login form, with one message for an unknown user and a wrong password alike."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Invalid username or password",
    }
