"""Small security helpers shared by the blueprints."""

from flask import session
from flask_login import login_user


def start_session(user):
    """Log ``user`` in on a fresh session: nothing from before login survives (no fixation)."""
    session.clear()
    login_user(user)
