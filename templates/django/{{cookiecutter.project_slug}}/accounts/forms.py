"""The account forms: Django's own auth forms, with the project's rules on top.

- Every text field refuses what no database can store (``config.forms.StorableTextMixin``).
- Every sign-in form (this site's and the admin's) is throttled: ``ThrottledLoginMixin``.
- The password-reset form finds the account by its folded address and sends at most
  ``RESET_MAILS_PER_ADDRESS`` mails to one address per hour.
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from accounts.models import ThrottleEvent, User
from config import rules
from config.forms import StorableTextMixin

THROTTLED = "throttled"  # the error code of a refused sign-in: its view answers 429


class RegisterForm(StorableTextMixin, auth_forms.UserCreationForm):
    """Username, e-mail, password and its confirmation (checked by AUTH_PASSWORD_VALIDATORS).
    ``User.validate_unique`` refuses a username or address taken in another case."""

    class Meta(auth_forms.UserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class ThrottledLoginMixin:
    """Refuse the sign-in before checking the password when its username or the client's
    address has failed too often (``ThrottleEvent.objects.sign_in_refused``). Failures and
    successes are counted by the receivers of ``accounts/signals.py``, so a refused attempt is
    never counted."""

    def clean(self):
        username = self.cleaned_data.get("username")
        address = self.request.META.get("REMOTE_ADDR") if self.request else None
        if ThrottleEvent.objects.sign_in_refused(username, address):
            raise ValidationError(rules.TOO_MANY_ATTEMPTS, code=THROTTLED)
        return super().clean()


class LoginForm(StorableTextMixin, ThrottledLoginMixin, auth_forms.AuthenticationForm):
    """Django's login form, with one message for an unknown user and a wrong password alike."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": rules.INVALID_LOGIN,
    }


class AdminLoginForm(StorableTextMixin, ThrottledLoginMixin, AdminAuthenticationForm):
    """The admin's login form (``config.admin.AdminSite.login_form``), throttled the same way."""


class PasswordResetForm(StorableTextMixin, auth_forms.PasswordResetForm):
    def get_users(self, email):
        """The active account with a usable password whose address is ``email`` folded (so
        ``ALICE@example.com`` and ``alice@example.com`` are one address), while that address has
        had fewer than the allowed reset mails this hour. Django mails it at its stored address."""
        users = User._default_manager.filter(email_key=rules.fold(email), is_active=True)
        return (
            user
            for user in users
            if user.has_usable_password() and ThrottleEvent.objects.allow_reset_mail(user.email)
        )


class SetPasswordForm(StorableTextMixin, auth_forms.SetPasswordForm):
    """The new password of a reset, twice."""


class PasswordChangeForm(StorableTextMixin, auth_forms.PasswordChangeForm):
    """The current password, then the new one twice."""
