"""Concept maps: which definition implements each concept of the contract in a baked project.

Each template carries ``concepts.json`` next to its ``cookiecutter.json`` (so it is part of the
template set, not of the generated project)::

    {"entry point": {"file": "{slug}/__init__.py", "symbol": "create_app"}, ...}

``file`` is relative to the baked project, ``{slug}`` standing for the project slug; ``symbol``
names one whole definition in that file, in the file's own terms:

- Python: the dotted name of a function, class, method or assignment (``create_app``,
  ``Auth.login``, ``SESSION_COOKIE_SAMESITE``), found with :mod:`ast`; the definition runs from
  its first decorator (or its comment block) to its last line; ``FIRST..LAST`` is the block
  from one definition to another (a group of settings, say);
- templates (Jinja2, Django, web2py views): ``block NAME``, from the block's opening tag to its
  end tag;
- a ``Procfile``: the process type (``web``); an ini or TOML file: ``[section]``;
- ``*``: the whole file.

:func:`locate` resolves a map against a baked project: the line range and the code of every
definition, or why it can't be found.
"""

import ast
import configparser
import json
import re
from dataclasses import dataclass
from pathlib import Path

MAP_FILE = "concepts.json"
CONCEPTS = (
    "entry point",
    "routes",
    "notes view",
    "models",
    "migrations",
    "notes template",
    "register view",
    "login view",
    "logout view",
    "password reset",
    "password change",
    "mail",
    "throttling",
    "CSRF set-up",
    "password hashing",
    "session and cookie settings",
    "base layout",
    "settings",
    "tests",
    "production server",
)
# What each concept's definition is: the report shows it under the concept's heading, and a
# template's map follows it (docs/extending.md).
DESCRIPTIONS = {
    "entry point": "where the WSGI application is made",
    "routes": "the URL map: where /notes and /auth/... are tied to their views",
    "notes view": "the view that answers GET and POST /notes",
    "models": "the Note model: its table, its owner and its timestamp",
    "migrations": "the shipped migration that creates the users and notes tables",
    "notes template": "the template of the /notes page: the list and the form to add a note",
    "register view": "POST /auth/register: validate, create the user, log them in",
    "login view": "POST /auth/login: check the password, start the session, follow next",
    "logout view": "POST /auth/logout: end the session",
    "password reset": "the reset request and the link that sets a new password (§2a)",
    "password change": "GET/POST /auth/password (§2b)",
    "mail": "how EMAIL_URL becomes the mail backend",
    "throttling": "the sign-in throttle: failures counted per account and per address",
    "CSRF set-up": "where every POST form gets its token and a forged POST is refused",
    "password hashing": "the password hasher and its parameters",
    "session and cookie settings": "the session store and its cookie flags",
    "base layout": "the layout every page extends",
    "settings": "how the environment and .env become settings",
    "tests": "the fixture the project's own tests build their app with",
    "production server": "the Procfile's web process",
}
# The definitions a newcomer reads to follow one request, GET /notes, from the URL to the
# database and back: the compare report counts their files and lines.
REQUEST_PATH = ("routes", "notes view", "models", "notes template")
TEMPLATE_SUFFIXES = {".html", ".jinja2", ".jinja", ".j2", ".mako", ".pt"}
SECTION_SUFFIXES = {".ini", ".cfg", ".toml", ".conf"}


class ConceptMapError(ValueError):
    pass


def slug(concept):
    """``CSRF set-up`` -> ``csrf-set-up``: a concept's name on the command line and in links."""
    return re.sub(r"[^a-z0-9]+", "-", concept.lower()).strip("-")


def resolve(name):
    """The concept a user means by ``name``: its name or slug in any case, or the start of
    exactly one concept's name in whole words (``login`` is ``login view``, ``csrf`` is
    ``CSRF set-up``). Anything else is a :class:`ValueError` naming the valid ones."""
    wanted = slug(name)
    exact = [concept for concept in CONCEPTS if slug(concept) == wanted]
    if exact:
        return exact[0]
    starting = [
        concept for concept in CONCEPTS if wanted and slug(concept).startswith(wanted + "-")
    ]
    if len(starting) == 1:
        return starting[0]
    valid = ", ".join(slug(concept) for concept in CONCEPTS)
    if starting:
        raise ValueError(
            f"ambiguous concept {name!r}: {', '.join(map(slug, starting))} (valid: {valid})"
        )
    raise ValueError(f"unknown concept {name!r} (valid: {valid})")


@dataclass(frozen=True)
class Location:
    concept: str
    file: str  # relative to the baked project, slug filled in
    symbol: str
    line: int | None = None  # first line of the definition (1-based)
    end: int | None = None  # last line of the definition
    code: str = ""  # the definition's text
    problem: str | None = None

    @property
    def ok(self):
        return self.problem is None

    @property
    def lines(self):
        return (self.end - self.line + 1) if self.ok else 0

    def __str__(self):
        if not self.ok:
            return f"{self.file}: {self.problem}" if self.file else self.problem
        return f"{self.file}:{self.line}" + (f"-{self.end}" if self.end != self.line else "")


def load_map(template_path, strict=True):
    """The concept map of the template folder, checked for shape: every concept, nothing else.

    With ``strict=False`` (what ``webcutter compare`` uses to show a map that is being
    reworked), a missing, unknown or malformed entry is left out instead of refused; a missing
    or unreadable file is still an error."""
    path = Path(template_path) / MAP_FILE
    if not path.is_file():
        raise ConceptMapError(
            f"{path} is missing: every template maps the {len(CONCEPTS)} "
            "concepts of the contract to its files"
        )
    try:
        mapping = json.loads(path.read_text())
    except ValueError as error:
        raise ConceptMapError(f"{path} is not valid JSON: {error}") from error
    if not isinstance(mapping, dict):
        raise ConceptMapError(f"{path} is not a JSON object")
    if not strict:
        return {
            concept: mapping[concept] for concept in CONCEPTS if _well_formed(mapping.get(concept))
        }
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
        if not _well_formed(entry):
            raise ConceptMapError(f'{path}: {concept!r} needs a non-empty "file" and "symbol"')
    return {concept: mapping[concept] for concept in CONCEPTS}


def _well_formed(entry):
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("file"), str)
        and isinstance(entry.get("symbol"), str)
        and bool(entry["file"])
        and bool(entry["symbol"])
    )


# Finding one definition ----------------------------------------------------------------------


class NotFound(LookupError):
    pass


def _python_definitions(tree, prefix=""):
    """{dotted name: node} of the functions, classes and assignments of a module or class."""
    found = {}
    for node in tree.body:
        names = []
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names = [node.name]
        elif isinstance(node, ast.Assign):
            names = [target.id for target in node.targets if isinstance(target, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names = [node.target.id]
        for name in names:
            found.setdefault(prefix + name, node)
        if isinstance(node, ast.ClassDef):
            found.update(
                {
                    key: value
                    for key, value in _python_definitions(node, f"{prefix}{node.name}.").items()
                    if key not in found
                }
            )
    return found


def _comment_start(lines, start):
    """The first line of the comment block right above line ``start`` (1-based), or start."""
    while start > 1 and lines[start - 2].strip().startswith("#"):
        start -= 1
    return start


def python_definition(text, symbol):
    """(first line, last line) of the definition ``symbol`` in Python source ``text``."""
    try:
        tree = ast.parse(text)
    except SyntaxError as error:
        raise NotFound(f"the file does not parse as Python: {error.msg}") from None
    definitions = _python_definitions(tree)
    names = symbol.split("..", 1)  # "FIRST..LAST": a block of definitions (a settings group)
    nodes = []
    for name in names:
        if name not in definitions:
            raise NotFound(f"no definition named {name!r}")
        nodes.append(definitions[name])
    node, last = nodes[0], nodes[-1]
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    if last.end_lineno < first:
        raise NotFound(f"{names[1]!r} comes before {names[0]!r}")
    return _comment_start(text.splitlines(), first), last.end_lineno


_JINJA_TAG = re.compile(r"\{%-?\s*(block\s+(\w+)|endblock(?:\s+\w+)?)\s*-?%\}")
_WEB2PY_TAG = re.compile(r"\{\{\s*(block\s+(\w+)|end(?:\s+\w+)?)\s*\}\}")


def template_block(text, symbol):
    """(first line, last line) of ``block NAME`` in a Jinja2/Django or web2py template."""
    wanted = symbol.split(None, 1)[1].strip() if symbol.startswith("block ") else None
    if not wanted:
        raise NotFound(f"a template's symbol is 'block NAME' or '*', not {symbol!r}")
    for pattern, end_word in ((_JINJA_TAG, "endblock"), (_WEB2PY_TAG, "end")):
        depth, start = 0, None
        for match in pattern.finditer(text):
            opening = match.group(2)
            if opening is not None:
                if start is None and opening == wanted:
                    start, depth = match.start(), 1
                elif start is not None:
                    depth += 1
            elif match.group(1).startswith(end_word) and start is not None:
                depth -= 1
                if depth == 0:
                    return text.count("\n", 0, start) + 1, text.count("\n", 0, match.end()) + 1
    raise NotFound(f"no block named {wanted!r}")


def procfile_entry(text, symbol):
    for number, line in enumerate(text.splitlines(), start=1):
        name, sep, _ = line.partition(":")
        if sep and name.strip() == symbol:
            return number, number
    raise NotFound(f"no {symbol!r} process in the Procfile")


def section(text, symbol):
    """(first line, last line) of ``[section]`` in an ini or TOML file (to the next section)."""
    lines = text.splitlines()
    heading = re.compile(r"^\s*\[\[?([^\]]+)\]\]?\s*$")
    start = None
    for number, line in enumerate(lines, start=1):
        match = heading.match(line)
        if match and start is not None:
            end = number - 1
            while end > start and (
                not lines[end - 1].strip() or lines[end - 1].lstrip().startswith(("#", ";"))
            ):
                end -= 1
            return start, end
        if match and f"[{match.group(1).strip()}]" == symbol.strip():
            start = number
    if start is not None:
        end = len(lines)
        while end > start and not lines[end - 1].strip():
            end -= 1
        return start, end
    raise NotFound(f"no section {symbol}")


def find_definition(path, text, symbol):
    """(first line, last line) of ``symbol`` in the file ``path`` with contents ``text``."""
    if symbol == "*":
        return 1, max(1, len(text.splitlines()))
    suffix = Path(path).suffix.lower()
    if suffix == ".py":
        return python_definition(text, symbol)
    if suffix in TEMPLATE_SUFFIXES:
        return template_block(text, symbol)
    if Path(path).name == "Procfile":
        return procfile_entry(text, symbol)
    if suffix in SECTION_SUFFIXES:
        return section(text, symbol)
    raise NotFound(
        f"no way to find a definition in a {suffix or Path(path).name} file "
        "(use '*' for the whole file)"
    )


def locate(project, mapping, slug=None):
    """One :class:`Location` per concept, in contract order, for the baked ``project`` (a
    concept the map lacks is a location with its problem)."""
    project = Path(project)
    slug = slug or project.name
    locations = []
    for concept in CONCEPTS:
        entry = mapping.get(concept)
        if entry is None:
            locations.append(Location(concept, "", "", problem=f"not in {MAP_FILE}"))
            continue
        relative = entry["file"].replace("{slug}", slug)
        symbol = entry["symbol"]
        path = project / relative
        if not path.is_file():
            locations.append(Location(concept, relative, symbol, problem="file not found"))
            continue
        text = path.read_text(errors="replace")
        try:
            first, last = find_definition(path, text, symbol)
        except NotFound as error:
            locations.append(Location(concept, relative, symbol, problem=str(error)))
            continue
        code = "\n".join(text.splitlines()[first - 1 : last])
        locations.append(Location(concept, relative, symbol, first, last, code))
    return locations


def check_project(template_path, project, slug=None):
    """Locations of a baked project, raising :class:`ConceptMapError` on the first problem."""
    locations = locate(project, load_map(template_path), slug)
    problems = [f"{loc.concept}: {loc}" for loc in locations if not loc.ok]
    if problems:
        raise ConceptMapError("concept map out of date: " + "; ".join(problems))
    return locations


def snippet_parses(location):
    """Whether a located definition's code is well-formed on its own (Python parses, a
    template block is balanced, a section reads as ini)."""
    suffix = Path(location.file).suffix.lower()
    code = location.code
    if not code.strip():
        return False
    if suffix == ".py":
        import textwrap

        try:
            ast.parse(textwrap.dedent(code))
        except SyntaxError:
            return False
        return True
    if suffix in SECTION_SUFFIXES and location.symbol.startswith("[") and suffix != ".toml":
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read_string(code)
        except configparser.Error:
            return False
        return True
    return True
