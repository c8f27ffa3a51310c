"""gunicorn's settings file, read from the folder it starts in (the Procfile's ``web`` does).

The Procfile's ``--preload`` builds the app in the master, before it forks the workers.
Freezing the garbage collector's objects right before each fork (the recipe of Python's
``gc.freeze`` documentation) leaves everything loaded so far out of the workers' later
collections: a full collection scans only what requests allocated, not the ~100,000 objects of
Pyramid, SQLAlchemy and the app, and does not write into the pages the workers share with the
master.
"""

import gc


def pre_fork(server, worker):
    gc.freeze()
