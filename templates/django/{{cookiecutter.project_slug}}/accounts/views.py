"""Registration and login. Logout is Django's LogoutView (POST only), wired in urls.py."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.views.generic import CreateView

from accounts.forms import LoginForm, RegisterForm


class RegisterView(CreateView):
    """Create the account, log it in and go to its notes."""

    form_class = RegisterForm
    template_name = "accounts/register.html"
    success_url = reverse_lazy("notes:index")

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object = form.save()
        except IntegrityError:  # the same name or address, registered a moment ago
            form.add_error(None, "That username or e-mail address is already registered.")
            return self.form_invalid(form)
        login(self.request, self.object)  # a new session: nothing from before survives
        messages.success(self.request, f"Welcome, {self.object.username}!")
        return HttpResponseRedirect(self.get_success_url())


class LoginView(auth_views.LoginView):
    """Django's LoginView: it starts a new session and follows ``next`` only when
    ``url_has_allowed_host_and_scheme`` says it stays on this site (else LOGIN_REDIRECT_URL)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
