"""The user model, and the events that sign-in throttling and the reset-mail limit count.

A custom user model from the first migration on lets the project add fields later without the
painful switch Django's docs warn about. Refer to it as ``settings.AUTH_USER_MODEL`` or
``get_user_model()``, never by importing Django's ``User``.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import models as auth_models
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from config.rules import fold

FOLDED_KEYS = {"username": "username_key", "email": "email_key"}


class UserManager(auth_models.UserManager):
    def get_by_natural_key(self, username):
        """The user named ``username`` whatever the case of its letters: ``ALICE`` signs in as
        ``alice`` (Django's ModelBackend and ``createsuperuser`` look users up here)."""
        return self.get(username_key=fold(username))


class User(auth_models.AbstractUser):
    """Django's user, with a required e-mail address; usernames (NFKC-normalised by Django) and
    addresses are unique whatever their case.

    The database enforces that on stored folded keys (NFKC, then ``casefold()``: SQLite's
    ``LOWER`` and ``LIKE`` fold ASCII letters only), which ``save()`` keeps up to date.
    """

    email = models.EmailField(
        "email address",
        unique=True,
        error_messages={"unique": "A user with that e-mail address already exists."},
    )
    username_key = models.TextField(unique=True, editable=False)
    email_key = models.TextField(unique=True, editable=False)

    objects = UserManager()

    def save(self, **kwargs):
        for field, key in FOLDED_KEYS.items():
            setattr(self, key, fold(getattr(self, field)))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and FOLDED_KEYS.keys() & set(update_fields):
            kwargs["update_fields"] = {*update_fields, *FOLDED_KEYS.values()}
        super().save(**kwargs)

    def validate_unique(self, exclude=None):
        """Django's checks, and a username or address that differs from a taken one only in
        case is taken too (``Alice`` once ``alice`` exists, ``Émile`` once ``émile`` does): every
        model form of users (registration, the admin's) refuses it with a message."""
        errors = {}
        try:
            super().validate_unique(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        others = type(self)._default_manager.exclude(pk=self.pk)
        for field, key in FOLDED_KEYS.items():
            if field in (exclude or ()) or field in errors:
                continue
            if others.filter(**{key: fold(getattr(self, field))}).exists():
                errors[field] = [self.unique_error_message(type(self), (field,))]
        if errors:
            raise ValidationError(errors)


class ThrottleEventManager(models.Manager):
    """The rules of sign-in throttling and of the reset-mail limit (docs/contract.md §3, §2a).

    - A failed sign-in counts once for the folded username and once for the client address.
    - ``LOGIN_FAILURES_PER_USER`` failures for a username, or ``LOGIN_FAILURES_PER_ADDRESS``
      from an address, within the last ``LOGIN_FAILURE_WINDOW`` seconds refuse every further
      sign-in for it (429), even with the right password; a refused attempt adds nothing.
    - A successful sign-in clears that username's count (not the address's).
    - At most ``RESET_MAILS_PER_ADDRESS`` reset mails go to an address per ``RESET_MAIL_WINDOW``.
    - Whenever an event is added, those older than their window are deleted.
    """

    clock = staticmethod(timezone.now)  # tests move time by replacing it

    @staticmethod
    def _key(text):
        return fold(text or "")[: ThrottleEvent.KEY_MAX_LENGTH]

    def _count(self, kind, key, seconds):
        since = self.clock() - timedelta(seconds=seconds)
        return self.filter(kind=kind, key=key, created_at__gt=since).count()

    def _add(self, *events):
        """Add ``(kind, key)`` events; delete the sign-in events older than the sign-in window
        and the reset-mail events older than theirs."""
        now = self.clock()
        reset_mail = Q(kind=ThrottleEvent.Kind.RESET_MAIL)
        self.filter(
            reset_mail & Q(created_at__lt=now - timedelta(seconds=settings.RESET_MAIL_WINDOW))
            | ~reset_mail & Q(created_at__lt=now - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW))
        ).delete()
        self.bulk_create(self.model(kind=kind, key=key, created_at=now) for kind, key in events)

    def sign_in_refused(self, username, address):
        """Whether a sign-in as ``username`` from ``address`` (None: unknown) is refused now."""
        window, kind = settings.LOGIN_FAILURE_WINDOW, ThrottleEvent.Kind
        if (
            self._count(kind.USERNAME, self._key(username), window)
            >= settings.LOGIN_FAILURES_PER_USER
        ):
            return True
        return bool(address) and (
            self._count(kind.ADDRESS, address, window) >= settings.LOGIN_FAILURES_PER_ADDRESS
        )

    def sign_in_failed(self, username, address):
        """Count a failed sign-in as ``username`` from ``address`` (None: unknown)."""
        events = [(ThrottleEvent.Kind.USERNAME, self._key(username))]
        if address:
            events.append((ThrottleEvent.Kind.ADDRESS, address[: ThrottleEvent.KEY_MAX_LENGTH]))
        self._add(*events)

    def sign_in_succeeded(self, username):
        self.filter(kind=ThrottleEvent.Kind.USERNAME, key=self._key(username)).delete()

    def allow_reset_mail(self, email):
        """Whether a password-reset mail may go to ``email`` now; if so, it is counted."""
        key = self._key(email)
        kind = ThrottleEvent.Kind.RESET_MAIL
        if self._count(kind, key, settings.RESET_MAIL_WINDOW) >= settings.RESET_MAILS_PER_ADDRESS:
            return False
        self._add((kind, key))
        return True


class ThrottleEvent(models.Model):
    """One counted event, shared by every worker and instance through the database."""

    KEY_MAX_LENGTH = 320

    class Kind(models.TextChoices):
        USERNAME = "username", "failed sign-in as a username"
        ADDRESS = "address", "failed sign-in from an address"
        RESET_MAIL = "reset-mail", "password-reset mail to an address"

    kind = models.CharField(max_length=16, choices=Kind)
    key = models.CharField(max_length=KEY_MAX_LENGTH)  # folded username or e-mail, or address
    created_at = models.DateTimeField(db_index=True)

    objects = ThrottleEventManager()

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "created_at"], name="throttle_kind_key_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.key} at {self.created_at:%Y-%m-%d %H:%M:%S}"
