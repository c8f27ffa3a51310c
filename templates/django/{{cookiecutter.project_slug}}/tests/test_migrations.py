import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_migrations_create_the_tables():
    tables = set(connection.introspection.table_names())
    assert {"accounts_user", "notes_note", "django_session"} <= tables


def test_models_and_migrations_agree():
    """`makemigrations --check` finds nothing to do: every model change has its migration."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
