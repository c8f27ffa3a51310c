"""URL converters for the project's paths (registered in the apps' ``urls.py``).

https://docs.djangoproject.com/en/5.2/topics/http/urls/#registering-custom-path-converters
"""

from . import rules


class IdConverter:
    """A row id: a positive integer within the range of a 64-bit id column (``BigAutoField``).
    Anything else (``0``, ``-1``, ``abc``, ``99999999999999999999999``) matches no path: 404."""

    regex = "[0-9]+"

    def to_python(self, value):
        number = rules.parse_id(value, maximum=rules.ID_MAX_64)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value):
        return str(value)


class Base64Converter:
    """URL-safe base64 without padding: the user id of a password-reset link (``uidb64``)."""

    regex = "[0-9A-Za-z_-]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class ResetTokenConverter:
    """A password-reset token: ``<timestamp>-<signature>`` as Django's token generator makes it
    (or ``set-password``, the token-free step). After ``<uidb64:...>-`` in one path segment it
    takes the last two ``-``-separated parts, so base64's own ``-`` can't make the split
    ambiguous."""

    regex = "[0-9A-Za-z]+-[0-9A-Za-z]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
