"""The app's ruff.toml declares web2py's globals and the models' names: none may go stale."""

import ast
import tomllib
from pathlib import Path

from gluon.compileapp import _base_environment_

APP = Path(__file__).resolve().parent.parent / "applications" / "{{ cookiecutter.project_slug }}"
WEB2PY_REQUEST_GLOBALS = {"request", "response", "session", "cache", "T"}


def model_definitions():
    """The names the models define at top level (functions, classes, assignments)."""
    names = set()
    for path in sorted((APP / "models").glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.Try):
                for inner in node.body:
                    if isinstance(inner, ast.Assign):
                        names.update(t.id for t in inner.targets if isinstance(t, ast.Name))
    return names


def test_every_declared_global_is_still_defined():
    declared = set(tomllib.loads((APP / "ruff.toml").read_text())["builtins"])
    defined = model_definitions() | set(_base_environment_) | WEB2PY_REQUEST_GLOBALS
    assert declared - defined == set()


def test_the_modules_are_the_applications_own():
    """web2py imports the app's modules from applications/<app>/modules/, and so does pip."""
    import {{ cookiecutter.project_slug }}

    assert Path({{ cookiecutter.project_slug }}.__file__).resolve().parent == APP / "modules" / "{{ cookiecutter.project_slug }}"
