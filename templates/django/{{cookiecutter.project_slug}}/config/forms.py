"""What every form of the project shares: text the database can store, or a message."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

from . import rules


def validate_storable(value):
    """``rules.unstorable``: a NUL character (PostgreSQL refuses it in text columns) or a lone
    surrogate (not encodable as UTF-8) is refused, the same way on every database."""
    message = rules.unstorable(value)
    if message:
        raise ValidationError(message, code="unstorable")


class StorableTextMixin:
    """A form mixin: every text field (passwords included) validates with ``validate_storable``,
    in place of Django's ``ProhibitNullCharactersValidator`` (which it covers), so that such a
    value gets the form again with one message and never reaches the database."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators = [
                    validator
                    for validator in field.validators
                    if not isinstance(validator, ProhibitNullCharactersValidator)
                ] + [validate_storable]
