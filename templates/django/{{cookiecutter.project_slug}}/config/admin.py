"""The project's admin site: Django's, with the sign-in throttle on its login.

Installed as the default site by ``config.apps.AdminConfig`` (in INSTALLED_APPS in place of
``django.contrib.admin``), so ``admin.site`` and ``@admin.register`` work as usual. Django imports
this module once the apps are ready, when the admin site is first used.
https://docs.djangoproject.com/en/5.2/ref/contrib/admin/#overriding-the-default-admin-site
"""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator

from accounts.forms import AdminLoginForm
from accounts.views import throttled_status


class AdminSite(admin.AdminSite):
    """Its login form counts failures and refuses a throttled sign-in with 429, as
    ``/auth/login`` does."""

    login_form = AdminLoginForm

    @method_decorator(throttled_status)
    @method_decorator(login_not_required)
    def login(self, request, extra_context=None):
        return super().login(request, extra_context)
