"""The notes: each belongs to the user who wrote it (db.py made ``db`` and ``auth`` first).

Like every table, migrated only by ``python manage.py migrate``.
"""

from {{ cookiecutter.project_slug }} import rules
from {{ cookiecutter.project_slug }}.validators import IS_RULE, strip

db.define_table(
    "note",
    Field(
        "owner",
        "reference auth_user",
        ondelete="CASCADE",
        notnull=True,
        default=auth.user_id,
        writable=False,
        readable=False,
    ),
    Field(
        "title",
        length=rules.TITLE_MAX_LENGTH,
        notnull=True,
        label="Title",
        requires=IS_RULE(rules.title_problem, strip),
    ),
    Field("body", "text", default="", label="Note", requires=IS_RULE(rules.body_problem)),
    Field("created_on", "datetime", default=request.utcnow, writable=False, readable=False),
)
