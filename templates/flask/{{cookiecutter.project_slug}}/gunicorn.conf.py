"""gunicorn's settings beyond the Procfile's command line (gunicorn reads ./gunicorn.conf.py)."""

import gc


def pre_fork(server, worker):
    """The Procfile's ``--preload`` loads the app once, in the master, before the workers fork.
    Freezing what it allocated keeps the workers' garbage collector off those pages, so they stay
    shared between the processes instead of being copied into each worker."""
    gc.freeze()
