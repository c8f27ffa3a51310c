"""The account URLs: ``/auth/...``, without trailing slashes.

The link of a reset mail is one path segment, ``<uidb64>-<token>``: the user id in URL-safe
base64, then Django's ``<timestamp>-<signature>`` token (``config/converters.py`` splits them).
"""

from django.contrib.auth import views as auth_views
from django.urls import path, register_converter
from django.views.generic import TemplateView

from accounts import views
from accounts.forms import LoginForm
from config import converters, rules
from config.views import FORM_METHODS

register_converter(converters.Base64Converter, "uidb64")
register_converter(converters.ResetTokenConverter, "reset_token")

app_name = "accounts"

urlpatterns = [
    path("register", views.RegisterView.as_view(), name="register"),
    path(
        "login",
        # Django's LoginView starts a new session and follows `next` only when
        # url_has_allowed_host_and_scheme says it stays on this site (else LOGIN_REDIRECT_URL).
        views.throttled_status(
            auth_views.LoginView.as_view(
                template_name="accounts/login.html",
                authentication_form=LoginForm,
                http_method_names=FORM_METHODS,
            )
        ),
        name="login",
    ),
    # POST only (Django 5): a GET answers 405 and logs nobody out. It flushes the session,
    # which deletes it from the database: a copy of the cookie is logged in no more.
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path("password", views.PasswordChangeView.as_view(), name="password_change"),
    path("password-reset", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/password_reset_done.html",
            extra_context={"sent_message": rules.RESET_SENT},
        ),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64:uidb64>-<reset_token:token>",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    # Any other link under password-reset/ (cut short or mangled by a mail program): the page
    # that says the link is invalid, with a link to ask for a new one.
    path(
        "password-reset/<str:link>",
        TemplateView.as_view(
            template_name="accounts/password_reset_confirm.html",
            extra_context={"validlink": False, "invalid_message": rules.RESET_INVALID},
        ),
    ),
]
