"""A throw-away PostgreSQL server for the test run, started from the machine's PostgreSQL binaries.

The server lives in a temporary folder, listens on 127.0.0.1 on a free port with trust
authentication, and is stopped (and its folder removed) at the end of the run. When the
process runs as root, PostgreSQL's own tools run as the ``postgres`` user, as they must.
"""

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from webcutter.runtime import free_port


class PostgresUnavailable(RuntimeError):
    pass


def find_bindir():
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if candidates:
        return Path(candidates[-1]).parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) not found: "
        "install PostgreSQL "
        "(Debian: apt-get install -y postgresql) to run the PostgreSQL tests"
    )


def _version_key(path):
    try:
        return int(Path(path).parts[-3])
    except ValueError:
        return 0


class Cluster:
    """One running PostgreSQL server, for the length of a test run."""

    def __init__(self, root=None):
        self.bindir = find_bindir()
        self.root = Path(root or tempfile.mkdtemp(prefix="webcutter-pg-"))
        self.port = None
        self.as_postgres = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]

    def _run(self, tool, *args):
        command = [*self.as_postgres, str(self.bindir / tool), *args]
        result = subprocess.run(command, capture_output=True, text=True, cwd="/")
        if result.returncode != 0:
            raise PostgresUnavailable(f"{tool} failed: {result.stderr.strip() or result.stdout}")
        return result.stdout

    def start(self):
        data = self.root / "data"
        data.mkdir(parents=True)
        if self.as_postgres:
            shutil.chown(self.root, "postgres")
            shutil.chown(data, "postgres")
        self._run(
            "initdb",
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
            "--no-instructions",
        )
        self.port = free_port()
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        return self

    @property
    def admin_url(self):
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self):
        if self.port is not None:
            with contextlib.suppress(PostgresUnavailable):
                self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def create_database(admin_url, prefix="test"):
    """A fresh database on the server of ``admin_url`` (a running cluster's, from any process)."""
    bindir = find_bindir()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    result = subprocess.run(
        [
            str(bindir / "psql"),
            admin_url,
            "-v",
            "ON_ERROR_STOP=1",
            "-qc",
            f'CREATE DATABASE "{name}"',
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise PostgresUnavailable(f"could not create database {name}: {result.stderr.strip()}")
    return admin_url.rsplit("/", 1)[0] + "/" + name
