import manage


def test_migrate_creates_the_tables(db):
    for table in ("auth_user", "auth_throttle", "note", "web2py_session_{{ cookiecutter.project_slug }}"):
        assert table in db.tables
        assert db(db[table]).count() == 0
    assert db.executesql("SELECT COUNT(*) FROM note") == [(0,)]


def test_migration_state_lives_in_the_database(db):
    """pydal's .table records are rows of web2py_filesystem, not files of this checkout."""
    paths = {row[0] for row in db.executesql("SELECT path FROM web2py_filesystem")}
    assert {"{{ cookiecutter.project_slug }}_auth_user.table", "{{ cookiecutter.project_slug }}_note.table"} <= paths


def test_migrate_again_changes_nothing(db, capsys):
    manage.migrate()
    assert "Migrated" in capsys.readouterr().out
    manage.migrate(fake=True)
    assert db.executesql("SELECT COUNT(*) FROM note") == [(0,)]


def test_requests_never_migrate(site):
    environment = manage.app_environment()
    assert environment["db"]._migrate_enabled is False


def test_migrate_makes_the_folded_keys_unique_in_the_database(db):
    """The database itself refuses a second "alice" in another case (the key column)."""
    import pytest

    db.auth_user.insert(username="alice", email="a@example.com", password="x")
    with pytest.raises(Exception):  # noqa: B017, PT011 (sqlite3 or psycopg2 IntegrityError)
        db.auth_user.insert(username="ALICE", email="b@example.com", password="x")
    db.rollback()
