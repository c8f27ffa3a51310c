from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from {{ cookiecutter.project_slug }}.db import Base


def engine(app):
    return app.config["app"]["database"].engine


def test_migrations_create_the_tables(app):
    tables = set(inspect(engine(app)).get_table_names())
    assert {"users", "notes", "sessions", "alembic_version"} <= tables


def test_models_and_migrations_agree(app):
    """`alembic revision --autogenerate` would find nothing: each model change has a migration."""
    with engine(app).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
