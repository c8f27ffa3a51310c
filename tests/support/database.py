"""Reading a deployment's database directly, as an auditor would: every table, every row.

The suite knows no table or column names. It finds the SQLite file in the project (any file
with SQLite's header, outside .venv), or asks PostgreSQL through ``psql``; each row comes back
as a dict of its columns' values (text, numbers, or bytes shown as latin-1 text).
"""

import json
import sqlite3
import subprocess
from pathlib import Path

from support import pg

SQLITE_HEADER = b"SQLite format 3\x00"


def sqlite_files(project):
    found = []
    for path in Path(project).rglob("*"):
        if ".venv" in path.parts or not path.is_file() or path.suffix in {"-wal", "-shm"}:
            continue
        if path.name.endswith(("-wal", "-shm", "-journal")):
            continue
        try:
            with open(path, "rb") as handle:
                if handle.read(16) == SQLITE_HEADER:
                    found.append(path)
        except OSError:
            continue
    return found


class Database:
    """All rows of all tables of one deployment's database (read-only)."""

    def __init__(self, deployment):
        self.url = deployment.env.get("DATABASE_URL")
        self.project = deployment.project

    def _sqlite(self):
        files = sqlite_files(self.project)
        assert files, f"no SQLite database file in {self.project}"
        biggest = max(files, key=lambda path: path.stat().st_size)
        return sqlite3.connect(f"file:{biggest}?mode=ro", uri=True, timeout=15)

    def tables(self):
        """{table name: [row dict, ...]} for every table."""
        if not self.url:
            with self._sqlite() as connection:
                names = [
                    row[0]
                    for row in connection.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                    )
                ]
                result = {}
                for name in names:
                    cursor = connection.execute(f'SELECT * FROM "{name}"')
                    columns = [column[0] for column in cursor.description]
                    result[name] = [
                        dict(zip(columns, map(_plain, row), strict=True)) for row in cursor
                    ]
                return result
        return self._postgres_tables()

    def _psql(self, sql):
        result = subprocess.run(
            [str(pg.find_bindir() / "psql"), self.url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def _postgres_tables(self):
        names = self._psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").split()
        result = {}
        for name in names:
            lines = self._psql(f'SELECT row_to_json(t)::text FROM "{name}" t').splitlines()
            result[name] = [json.loads(line) for line in lines if line.strip()]
        return result

    def rows_containing(self, text):
        """(table, row) pairs of the rows one of whose values contains ``text``."""
        return [
            (table, row)
            for table, rows in self.tables().items()
            for row in rows
            if any(text in _as_text(value) for value in row.values())
        ]

    def count(self, table):
        """The number of rows of ``table``."""
        if not self.url:
            with self._sqlite() as connection:
                return connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        return int(self._psql(f'SELECT count(*) FROM "{table}"').strip())

    def row_with(self, text):
        """(table, row) of the one row with a value equal to ``text`` (a mixed-case username
        just registered finds the user's row: folded copies of it are not equal)."""
        found = [
            (table, row)
            for table, rows in self.tables().items()
            for row in rows
            if any(_as_text(value) == text for value in row.values())
        ]
        assert len(found) == 1, f"{len(found)} rows hold exactly {text!r}: {found}"
        return found[0]

    def anywhere(self, text):
        """Whether ``text`` appears in any value of any row."""
        return bool(self.rows_containing(text))


def _plain(value):
    return bytes(value).decode("latin-1") if isinstance(value, bytes | memoryview) else value


def _as_text(value):
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _sqlite_path(url):
    """The file of a ``sqlite:///relative`` or ``sqlite:////absolute`` URL."""
    return url.split(":///", 1)[1]


def table_names(url):
    """The tables of the database at ``url`` (a sqlite:// URL or a PostgreSQL one)."""
    if url.startswith("sqlite"):
        path = Path(_sqlite_path(url))
        if not path.exists():
            return set()
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=15) as connection:
            return {
                row[0]
                for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            }
    result = subprocess.run(
        [
            str(pg.find_bindir() / "psql"),
            url,
            "-v",
            "ON_ERROR_STOP=1",
            "-qAtc",
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


class Schema(Database):
    """What the database says about its own tables: foreign keys, SQLite's journal mode."""

    def foreign_keys(self, table):
        """The tables ``table`` references through a foreign key."""
        if not self.url:
            with self._sqlite() as connection:
                return {row[2] for row in connection.execute(f'PRAGMA foreign_key_list("{table}")')}
        return set(
            self._psql(
                "SELECT ccu.table_name FROM information_schema.table_constraints tc JOIN "
                "information_schema.constraint_column_usage ccu ON tc.constraint_name = "
                "ccu.constraint_name AND tc.table_schema = ccu.table_schema WHERE "
                f"tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = '{table}'"
            ).split()
        )

    def journal_mode(self):
        with self._sqlite() as connection:
            return connection.execute("PRAGMA journal_mode").fetchone()[0]
