"""Alembic environment: the app's database (from the ini file and the environment) and models.

``alembic -c development.ini upgrade head`` (or production.ini) reads the database as the app
does: DATABASE_URL from the environment or the project's .env, else the project's SQLite file.
The tests pass an open connection in ``config.attributes["connection"]`` instead.
"""

from alembic import context
from pyramid.paster import get_appsettings, setup_logging

from {{ cookiecutter.project_slug }}.models import get_engine
from {{ cookiecutter.project_slug }}.models.meta import Base
from {{ cookiecutter.project_slug }}.settings import database_settings, load_env_file

config = context.config
target_metadata = Base.metadata


def app_database_settings():
    setup_logging(config.config_file_name)
    settings = get_appsettings(config.config_file_name)
    load_env_file(settings)
    return database_settings(settings)


def skip_empty_revision(_context, _revision, directives):
    """`alembic revision --autogenerate` writes no file when the models did not change."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []


def run_migrations(connection):
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        process_revision_directives=skip_empty_revision,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline():
    """Emit SQL (`alembic -c development.ini upgrade head --sql`) instead of running it."""
    context.configure(
        url=app_database_settings()["sqlalchemy.url"],
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = get_engine(app_database_settings())
    with engine.connect() as connection:
        run_migrations(connection)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
