from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from {{ cookiecutter.project_slug }}.extensions import db


def test_migrations_create_the_tables(app):
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert {"users", "notes", "logins", "throttle_events", "alembic_version"} <= tables


def test_models_and_migrations_agree(app):
    """`flask db migrate` would find nothing to do: every model change has its migration."""
    with app.app_context(), db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []


def test_the_accounts_migration_keeps_the_data_and_folds_existing_names(app):
    """Upgrading a database of the first release: its users get their keys, notes survive
    (SQLite rebuilds the users table; dropping it must not cascade to the notes)."""
    with app.app_context():
        downgrade(revision="0001")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, username, email, password_hash, created_at) "
                    "VALUES (7, 'Émile', 'Emile@Example.com', 'x', CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO notes (owner_id, title, body, created_at) "
                    "VALUES (7, 'kept', '', CURRENT_TIMESTAMP)"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            keys = connection.execute(text("SELECT username_key, email_key FROM users")).all()
            notes = connection.execute(text("SELECT title FROM notes")).scalars().all()
    assert keys == [("émile", "emile@example.com")]
    assert notes == ["kept"]
