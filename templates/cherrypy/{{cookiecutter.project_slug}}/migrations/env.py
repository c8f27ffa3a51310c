"""Alembic environment: the app's database (DATABASE_URL, as the app reads it) and its models."""

import logging
from logging.config import fileConfig

from alembic import context
from sqlalchemy import pool

from {{ cookiecutter.project_slug }} import models  # noqa: F401 (puts the tables in the metadata)
from {{ cookiecutter.project_slug }}.config import database_url
from {{ cookiecutter.project_slug }}.db import Base, make_engine
from {{ cookiecutter.project_slug }}.env import sqlalchemy_url

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")
target_metadata = Base.metadata


def url():
    """``sqlalchemy.url`` when a caller set it (the tests do), else DATABASE_URL."""
    configured = config.get_main_option("sqlalchemy.url")
    if configured:
        return configured
    return database_url()


def run_migrations_offline():
    """Emit SQL to stdout (`alembic upgrade head --sql`) instead of running it."""
    context.configure(
        url=sqlalchemy_url(url()), target_metadata=target_metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def skip_empty_revision(_context, _revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")

    engine = make_engine(url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Batch migrations copy a table and drop the old one: with foreign keys enforced,
            # dropping ``users`` would delete (ON DELETE CASCADE) every note.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            process_revision_directives=skip_empty_revision,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
