import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db
def test_migrations_create_the_tables():
    tables = set(connection.introspection.table_names())
    expected = {"accounts_user", "accounts_throttleevent", "notes_note", "django_session"}
    assert expected <= tables


@pytest.mark.django_db
def test_models_and_migrations_agree():
    """`makemigrations --check` finds nothing to do: every model change has its migration."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_folded_key_migrations_fill_in_the_users_already_there():
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0001_initial")])
    old_apps = executor.loader.project_state([("accounts", "0001_initial")]).apps
    old_apps.get_model("accounts", "User").objects.create(
        username="Émile", email="Emile@Example.com", password="!"
    )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    cursor = connection.cursor()
    cursor.execute("SELECT username_key, email_key FROM accounts_user")
    assert cursor.fetchall() == [("émile", "emile@example.com")]
