"""Settings: every variable of the project read from the environment and its .env file.

``env.py`` reads and checks them (it is the one source of these rules in every webcutter
project); ``create_app()`` puts them into the CherryPy config.
"""

from pathlib import Path

from . import env

PROJECT_NAME = {{ cookiecutter.project_name | python_string }}
PROJECT_ROOT = Path(__file__).resolve().parent.parent
DOTENV_PATH = PROJECT_ROOT / ".env"
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "{{ cookiecutter.project_slug }}.sqlite3"


def load_settings(dotenv_path=DOTENV_PATH, environ=None):
    """The app's settings (an ``env.Settings``). A variable already in the environment wins
    over ``.env``; a value the app can't use raises ``env.SettingsError`` naming it, and so
    does a missing ``SECRET_KEY`` unless ``DEBUG=true``."""
    if dotenv_path is not None:
        env.read_env_file(dotenv_path)
    return env.load(DEFAULT_SQLITE_PATH, environ)


def database_url(dotenv_path=DOTENV_PATH):
    """Only ``DATABASE_URL`` (what migrations need: they run without a ``SECRET_KEY``)."""
    if dotenv_path is not None:
        env.read_env_file(dotenv_path)
    return env.database_url(DEFAULT_SQLITE_PATH)
