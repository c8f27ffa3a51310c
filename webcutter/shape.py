"""The shape of a baked project: files, lines by kind, direct dependencies, tests.

Lines are non-blank lines. A file is counted once, in the first kind that claims it:
tests (Python under a ``tests`` folder, or named ``test_*.py``, ``*_test.py``, ``tests.py``,
``conftest.py``), Python (other ``.py``), templates (HTML and template-engine files),
configuration (TOML, INI, YAML, JSON, ``Procfile``, ``.env.example`` and the like).
"""

import ast
import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

SKIP_DIRS = {".git", ".venv", "venv", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules"}
SKIP_FILES = {".env"}  # the generated secret: not part of the skeleton's shape
TEMPLATE_SUFFIXES = {".html", ".htm", ".jinja", ".jinja2", ".j2", ".mako", ".pt", ".tmpl", ".load"}
CONFIG_SUFFIXES = {".toml", ".ini", ".cfg", ".yml", ".yaml", ".json", ".conf"}
CONFIG_NAMES = {
    "Procfile",
    ".env.example",
    ".editorconfig",
    ".gitignore",
    "Dockerfile",
    "MANIFEST.in",
    "Makefile",
}
TEST_NAMES = re.compile(r"^(test_.*|.*_test|tests|conftest)\.py$")
REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass
class Shape:
    files: int = 0
    python_lines: int = 0
    template_lines: int = 0
    test_lines: int = 0
    config_lines: int = 0
    dependencies: list = field(default_factory=list)  # requirement strings, as in pyproject
    dev_dependencies: list = field(default_factory=list)
    tests: int = 0  # test functions in the generated suite

    def as_dict(self):
        return asdict(self)


def kind_of(relative):
    """tests, python, templates, config or other, for a path relative to the project."""
    name = relative.name
    if name.endswith(".py"):
        if (
            "tests" in relative.parts[:-1]
            or "test" in relative.parts[:-1]
            or TEST_NAMES.match(name)
        ):
            return "tests"
        return "python"
    if relative.suffix in TEMPLATE_SUFFIXES:
        return "templates"
    if relative.suffix in CONFIG_SUFFIXES or name in CONFIG_NAMES:
        return "config"
    return "other"


def project_files(project):
    project = Path(project)
    for path in sorted(project.rglob("*")):
        relative = path.relative_to(project)
        if any(part in SKIP_DIRS for part in relative.parts) or not path.is_file():
            continue
        if relative.name in SKIP_FILES or path.suffix in {".pyc", ".log", ".db", ".sqlite3"}:
            continue
        yield path, relative


def nonblank_lines(path):
    try:
        return sum(1 for line in path.read_text().splitlines() if line.strip())
    except UnicodeDecodeError:
        return 0


def count_tests(path):
    """Test functions (module level or in ``Test*`` classes) of one test file."""
    try:
        tree = ast.parse(path.read_text())
    except (SyntaxError, UnicodeDecodeError):
        return 0
    count = 0
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test"
        ):
            count += 1
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            count += sum(
                1
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                and item.name.startswith("test")
            )
    return count


def requirement_name(requirement):
    match = REQUIREMENT_NAME.match(requirement)
    return match.group(1) if match else requirement


def measure(project):
    """The :class:`Shape` of a baked project."""
    project = Path(project)
    shape = Shape()
    for path, relative in project_files(project):
        shape.files += 1
        kind = kind_of(relative)
        if kind == "tests":
            shape.test_lines += nonblank_lines(path)
            shape.tests += count_tests(path)
        elif kind == "python":
            shape.python_lines += nonblank_lines(path)
        elif kind == "templates":
            shape.template_lines += nonblank_lines(path)
        elif kind == "config":
            shape.config_lines += nonblank_lines(path)
    pyproject = project / "pyproject.toml"
    if pyproject.is_file():
        meta = tomllib.loads(pyproject.read_text()).get("project", {})
        shape.dependencies = list(meta.get("dependencies", []))
        shape.dev_dependencies = list(meta.get("optional-dependencies", {}).get("dev", []))
    return shape
