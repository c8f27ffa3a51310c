from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from {{ cookiecutter.project_slug }}.config import PROJECT_ROOT
from {{ cookiecutter.project_slug }}.db import Base, make_engine


def engine(app):
    return app.config["services"]["database"].engine


def test_migrations_create_the_tables(app):
    tables = set(inspect(engine(app)).get_table_names())
    assert {"users", "notes", "sessions", "throttle_events", "alembic_version"} <= tables


def test_models_and_migrations_agree(app):
    """`alembic revision --autogenerate` would find nothing: each model change has a migration."""
    with engine(app).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_migration_files_follow_the_file_template():
    """Each revision's file is named as `alembic revision` names the next one (alembic.ini)."""
    config = Config(PROJECT_ROOT / "alembic.ini")
    for revision in ScriptDirectory.from_config(config).walk_revisions():
        date = revision.module.__doc__.split("Create Date: ")[1][:10].replace("-", "")
        assert revision.path.rsplit("/", 1)[1].startswith(f"{date}_{revision.revision}_")


def test_the_account_migration_keeps_the_data_and_folds_the_keys(tmp_path):
    """Upgrading a database of the first revision: users and their notes stay, and the
    case-folded keys are filled in from the values as typed."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    config = Config(PROJECT_ROOT / "alembic.ini")
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "0001")
    old = create_engine(url)
    with old.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, username, email, password_hash, created_at) "
                "VALUES (1, 'Émile', 'Emile@Example.com', 'x', '2026-01-01 00:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO notes (id, owner_id, title, body, created_at) "
                "VALUES (1, 1, 'kept', '', '2026-01-01 00:00:00')"
            )
        )
    old.dispose()
    command.upgrade(config, "head")
    new = make_engine(url)
    with new.connect() as connection:
        keys = connection.execute(text("SELECT username_key, email_key FROM users")).one()
        titles = connection.execute(text("SELECT title FROM notes")).scalars().all()
    new.dispose()
    assert tuple(keys) == ("émile", "emile@example.com")
    assert titles == ["kept"]
