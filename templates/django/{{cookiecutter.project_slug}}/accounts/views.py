"""Registration, and what Django's own auth views need on top for this project.

Login, logout and password change are Django's views, configured in ``urls.py``; password reset
is Django's too, with the origin of its link and the confirmation's message added here.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.views.generic import CreateView

from accounts.forms import (
    THROTTLED,
    PasswordChangeForm,
    PasswordResetForm,
    RegisterForm,
    SetPasswordForm,
)
from config import rules
from config.views import FORM_METHODS


class RegisterView(CreateView):
    """Create the account, log it in and go to its notes."""

    form_class = RegisterForm
    template_name = "accounts/register.html"
    success_url = reverse_lazy("notes:index")
    http_method_names = FORM_METHODS

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object = form.save()
        except IntegrityError:  # the same name or address, registered a moment ago
            form.add_error(None, rules.TAKEN)
            return self.form_invalid(form)
        login(self.request, self.object)  # a new session: nothing from before survives
        messages.success(self.request, f"Welcome, {self.object.username}!")
        return HttpResponseRedirect(self.get_success_url())


def throttled_status(login_view):
    """Make a login view answer ``429 Too Many Requests`` (with its form and the message) when
    its form refused the sign-in for too many failures. Wraps this site's LoginView (``urls.py``)
    and the admin's (``config.admin.AdminSite.login``)."""

    @wraps(login_view)
    def view(request, *args, **kwargs):
        response = login_view(request, *args, **kwargs)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if form is not None and form.has_error(NON_FIELD_ERRORS, THROTTLED):
            response.status_code = 429
            response["Retry-After"] = str(settings.LOGIN_FAILURE_WINDOW)
        return response

    return view


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request: the same answer whether or not an account uses the address.

    The link's origin is ``BASE_URL`` when that is set; else the request's own scheme and host,
    the host being one of ``ALLOWED_HOSTS`` (Django refuses any other) and never taken from
    ``X-Forwarded-Host``.
    """

    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    http_method_names = FORM_METHODS

    @property
    def extra_email_context(self):
        context = {
            "project_name": settings.PROJECT_NAME,
            "valid_minutes": max(1, settings.PASSWORD_RESET_TIMEOUT // 60),
        }
        if settings.BASE_URL:
            origin = urlsplit(settings.BASE_URL)
            context.update(protocol=origin.scheme, domain=origin.netloc)
        return context


class PasswordResetConfirmView(SuccessMessageMixin, auth_views.PasswordResetConfirmView):
    """Django's: a valid link is swapped for a token-free URL (the token waits in the session,
    so it never leaks in a ``Referer``); setting the password spends the token and ends every
    session of the user (their session auth hash no longer matches); then to the login page."""

    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:login")
    success_message = rules.RESET_DONE
    extra_context = {"invalid_message": rules.RESET_INVALID}
    http_method_names = FORM_METHODS


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    """Django's: login required; ``update_session_auth_hash`` keeps this session logged in
    (under a new session id) while every other session of the user ends."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("notes:index")
    success_message = rules.PASSWORD_CHANGED
    http_method_names = FORM_METHODS
