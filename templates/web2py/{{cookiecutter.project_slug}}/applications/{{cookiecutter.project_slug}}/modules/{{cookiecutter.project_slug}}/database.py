"""SQLite's write-ahead log, kept open between requests.

pydal opens a SQLite connection for each request and closes it at the end (it pools
connections for the other databases only). When the last connection to a database in WAL mode
closes, SQLite checkpoints the log into the database file and deletes it: four syncs to disk,
at the end of every request that wrote (a page with a form writes its session). One idle
connection per process, opened at the first request, keeps the log open: checkpoints then
happen as SQLite schedules them (every 1000 pages of log), and a request's commit does not
wait for the disk (``synchronous=NORMAL``). It never holds a transaction, so it blocks no one.
"""

import os
import sqlite3
import threading

_LOCK = threading.Lock()
_OPEN = {}


def keep_log_open(path):
    """Hold one idle connection to the SQLite file ``path`` in this process (once)."""
    key = (os.getpid(), path)  # a forked worker opens its own
    if key in _OPEN:
        return
    with _LOCK:
        if key not in _OPEN:
            connection = sqlite3.connect(path, check_same_thread=False)
            connection.execute("SELECT 1 FROM sqlite_master").fetchall()  # maps the log's index
            _OPEN[key] = connection
