"""The user model: Django's own, with a required, unique e-mail address.

A custom user model from the first migration on lets the project add fields later without the
painful switch Django's docs warn about. Refer to it as ``settings.AUTH_USER_MODEL`` or
``get_user_model()``, never by importing Django's ``User``.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    email = models.EmailField("email address", unique=True)
