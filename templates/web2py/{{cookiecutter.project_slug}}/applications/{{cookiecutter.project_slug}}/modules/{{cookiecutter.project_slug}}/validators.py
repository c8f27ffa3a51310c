"""web2py validators for the contract's field rules, which live in ``rules.py``.

They go into the tables' ``requires`` (``db.auth_user``, ``db.note``) and into the few forms
that have no table, so every form and every other writer of those tables keeps the same rules.
"""

from pydal.validators import IS_NOT_IN_DB, ValidationError, Validator

from . import rules

SENT_TWICE = "Send this field only once."
# web2py decodes a request body with errors="replace": bytes that are not UTF-8 reach the
# validators as U+FFFD, which is refused as the invalid text it stands for.
REPLACEMENT_CHARACTER = "\ufffd"


class IS_RULE(Validator):  # noqa: N801 (web2py's validators are named like this)
    """A field rule of ``rules.py``: ``check(value)`` returns a message, or None when the value
    is fine; ``clean`` (say ``rules.normalize_username``) makes the value first.

    ``IS_RULE(rules.unstorable)`` refuses what no database should be given (a NUL character,
    a lone surrogate). Every IS_RULE also refuses bytes that were not UTF-8 (U+FFFD, see
    above) and a field sent twice (web2py then gives a list).
    """

    def __init__(self, check, clean=None):
        self.check, self.clean = check, clean

    def validate(self, value, record_id=None):
        if isinstance(value, list | tuple):
            raise ValidationError(SENT_TWICE)
        value = "" if value is None else str(value)
        if REPLACEMENT_CHARACTER in value:
            raise ValidationError(rules.UNSTORABLE)
        if self.clean is not None and not rules.unstorable(value):
            value = self.clean(value)
        problem = self.check(value)
        if problem:
            raise ValidationError(problem)
        return value


class IS_NOT_TAKEN(IS_NOT_IN_DB):  # noqa: N801
    """web2py's IS_NOT_IN_DB, on the case-folded value (``rules.fold``): ``field`` is the
    unique column that holds the folded username or e-mail address."""

    def validate(self, value, record_id=None):
        super().validate(rules.fold(value), record_id)
        return value


def strip(value):
    """Surrounding white space off (so that "   " counts as empty)."""
    return value.strip()
