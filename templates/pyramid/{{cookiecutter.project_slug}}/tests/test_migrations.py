from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from {{ cookiecutter.project_slug }}.models.meta import Base


def test_migrations_create_the_tables(dbengine):
    assert {"users", "notes", "alembic_version"} <= set(inspect(dbengine).get_table_names())


def test_models_and_migrations_agree(dbengine):
    """`alembic revision --autogenerate` would find nothing to do: every model change has its
    migration."""
    with dbengine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
