from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from {{ cookiecutter.project_slug }}.extensions import db


def test_migrations_create_the_tables(app):
    with app.app_context():
        assert {"users", "notes", "alembic_version"} <= set(inspect(db.engine).get_table_names())


def test_models_and_migrations_agree(app):
    """`flask db migrate` would find nothing to do: every model change has its migration."""
    with app.app_context(), db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []
