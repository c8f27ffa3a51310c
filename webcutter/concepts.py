"""Concept maps: where each concept of the contract lives in a baked project.

Each template carries ``concepts.json`` next to its ``cookiecutter.json`` (so it is part of the
template set, not of the generated project)::

    {"entry point": {"file": "{slug}/__init__.py", "symbol": "def create_app("}, ...}

``file`` is relative to the baked project, ``{slug}`` standing for the project slug; ``symbol``
is a literal string that must occur in that file. :func:`locate` resolves a map against a baked
project and reports the line of every symbol, or why it cannot be found.
"""

import json
from dataclasses import dataclass
from pathlib import Path

MAP_FILE = "concepts.json"
CONCEPTS = (
    "entry point", "routes", "models", "migrations", "register view", "login view",
    "logout view", "CSRF set-up", "password hashing", "session and cookie settings",
    "base layout", "settings", "tests", "production server",
)


class ConceptMapError(ValueError):
    pass


@dataclass(frozen=True)
class Location:
    concept: str
    file: str  # relative to the baked project, slug filled in
    symbol: str
    line: int | None = None
    problem: str | None = None

    @property
    def ok(self):
        return self.problem is None

    def __str__(self):
        return f"{self.file}:{self.line}" if self.ok else f"{self.file}: {self.problem}"


def load_map(template_path):
    """The concept map of the template folder, checked for shape: every concept, nothing else."""
    path = Path(template_path) / MAP_FILE
    if not path.is_file():
        raise ConceptMapError(f"{path} is missing: every template maps the {len(CONCEPTS)} "
                              "concepts of the contract to its files")
    try:
        mapping = json.loads(path.read_text())
    except ValueError as error:
        raise ConceptMapError(f"{path} is not valid JSON: {error}") from error
    missing = [concept for concept in CONCEPTS if concept not in mapping]
    unknown = [concept for concept in mapping if concept not in CONCEPTS]
    if missing or unknown:
        details = []
        if missing:
            details.append(f"missing {', '.join(missing)}")
        if unknown:
            details.append(f"unknown {', '.join(unknown)} (valid: {', '.join(CONCEPTS)})")
        raise ConceptMapError(f"{path}: {'; '.join(details)}")
    for concept, entry in mapping.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("file"), str)
                and isinstance(entry.get("symbol"), str) and entry["file"] and entry["symbol"]):
            raise ConceptMapError(f"{path}: {concept!r} needs a non-empty \"file\" and "
                                  "\"symbol\"")
    return {concept: mapping[concept] for concept in CONCEPTS}


def locate(project, mapping, slug=None):
    """One :class:`Location` per concept, in contract order, for the baked ``project``."""
    project = Path(project)
    slug = slug or project.name
    locations = []
    for concept in CONCEPTS:
        entry = mapping[concept]
        relative = entry["file"].replace("{slug}", slug)
        symbol = entry["symbol"]
        path = project / relative
        if not path.is_file():
            locations.append(Location(concept, relative, symbol, problem="file not found"))
            continue
        text = path.read_text(errors="replace")
        index = text.find(symbol)
        if index < 0:
            locations.append(Location(concept, relative, symbol,
                                      problem=f"symbol {symbol!r} not found"))
        else:
            locations.append(Location(concept, relative, symbol, text.count("\n", 0, index) + 1))
    return locations


def check_project(template_path, project, slug=None):
    """Locations of a baked project, raising :class:`ConceptMapError` on the first problem."""
    locations = locate(project, load_map(template_path), slug)
    problems = [f"{loc.concept}: {loc}" for loc in locations if not loc.ok]
    if problems:
        raise ConceptMapError("concept map out of date: " + "; ".join(problems))
    return locations
