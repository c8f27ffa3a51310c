"""Sign-in throttling counts what Django's ``authenticate()`` and ``login()`` report.

``user_login_failed`` is sent when no backend accepts the credentials (a wrong password, an
unknown or inactive user), from every sign-in form: this site's and the admin's. A sign-in the
throttle refused never reaches ``authenticate()``, so it is not counted.
"""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from accounts.models import ThrottleEvent


@receiver(user_login_failed, dispatch_uid="accounts.count_failed_sign_in")
def count_failed_sign_in(sender, credentials, request=None, **kwargs):
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    ThrottleEvent.objects.sign_in_failed(credentials.get("username"), address)


@receiver(user_logged_in, dispatch_uid="accounts.clear_failed_sign_ins")
def clear_failed_sign_ins(sender, request, user, **kwargs):
    ThrottleEvent.objects.sign_in_succeeded(user.get_username())
