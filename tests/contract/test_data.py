"""Contract §2 "Data": the tables the release makes (and the app does not), their foreign key,
and SQLite's write-ahead log; read from the database itself."""

import uuid

import pytest
from actions import add_note, assert_redirect, new_account, register, registered
from support import pg
from support.browser import Browser
from support.database import Schema, table_names

from webcutter.runtime import release

clause = pytest.mark.clause


@clause("§2 Data", "the note table has a foreign key to the user table")
def test_notes_reference_their_user_by_a_foreign_key(deployment):
    browser, account = registered(deployment.url, "Owner")
    title = f"note of {account.username}"
    assert_redirect(add_note(browser, title), "/notes")
    schema = Schema(deployment)
    user_table, _ = schema.row_with(account.username)
    note_tables = {table for table, _ in schema.rows_containing(title)}
    assert note_tables, f"no row of the database holds the note's title {title!r}"
    referencing = {table for table in note_tables if user_table in schema.foreign_keys(table)}
    assert referencing, (
        f"the note table ({', '.join(sorted(note_tables))}) has no foreign key "
        f"to the user table ({user_table})"
    )


def fresh_database_url(deployment, tmp_path):
    if deployment.database == "postgresql":
        return pg.create_database(deployment.admin_url, "fresh")
    return f"sqlite:///{tmp_path / f'fresh-{uuid.uuid4().hex[:8]}.sqlite3'}"


@clause("§2 Data", "the release command makes the tables; the app does not at start-up")
def test_the_release_makes_the_tables_and_the_app_does_not(deployment, tmp_path):
    url = fresh_database_url(deployment, tmp_path)
    with deployment.web_process(DATABASE_URL=url) as web:
        Browser(web.url).get("/")
        Browser(web.url).get("/auth/login")
        made = table_names(url)
        assert not made, (
            f"the app created tables at start-up ({', '.join(sorted(made))}): "
            "only the Procfile's release command (migrations) may"
        )
    release(deployment.project, {**deployment.env, "DATABASE_URL": url})
    assert table_names(url), "the release command made no table"
    with deployment.web_process(DATABASE_URL=url) as web:
        page = register(Browser(web.url), new_account())
        assert_redirect(page, "/notes")


@clause("§2 Data", "SQLite runs in WAL mode")
def test_sqlite_runs_in_wal_mode(deployment):
    if deployment.database != "sqlite":
        pytest.skip("the journal mode is SQLite's")
    registered(deployment.url)  # the app has connected and written
    mode = Schema(deployment).journal_mode()
    assert mode == "wal", f"SQLite's journal_mode is {mode!r}, expected wal"
