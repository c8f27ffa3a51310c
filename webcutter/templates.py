"""The template set: the root cookiecutter.json, each framework's template folder and its answers.

Both the ``webcutter`` command and the repository's own test suite read the template set through
this module, so there is one notion of "the frameworks" and one way to bake a project.
"""

import contextlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT_ENV = "WEBCUTTER_ROOT"
SHARED_KEYS = (
    "project_name",
    "project_slug",
    "description",
    "author_name",
    "author_email",
    "database",
    "open_source_license",
    "ci",
)


class TemplateError(ValueError):
    """A framework, key or value that the template set does not have (the CLI exits with 2)."""


def _is_template_set(path):
    try:
        return "templates" in json.loads((path / "cookiecutter.json").read_text())
    except (OSError, ValueError):
        return False


def find_root():
    """The webcutter checkout: $WEBCUTTER_ROOT, the checkout this package lives in (editable
    install), or the nearest folder above the working directory holding the template set.
    Looked up when a command needs it, never at import time: outside a clone, ``webcutter``
    says so in one line (:class:`TemplateError`) instead of failing to start."""
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV]).resolve()
    here = Path(__file__).resolve().parents[1]
    if _is_template_set(here):
        return here
    for folder in (Path.cwd(), *Path.cwd().parents):
        if _is_template_set(folder):
            return folder
    raise TemplateError(
        "no webcutter template set found: run webcutter inside a clone of the "
        f"repository or set {ROOT_ENV}"
    )


def __getattr__(name):
    """``ROOT``, found when first asked for (``from webcutter.templates import ROOT``)."""
    if name == "ROOT":
        return find_root()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Framework:
    key: str
    title: str
    description: str
    path: Path

    @property
    def context(self):
        return template_context_of(self.path)


def root_entries(root=None):
    root = root or find_root()
    return json.loads((root / "cookiecutter.json").read_text())["templates"]


def catalogue(root=None):
    """Every framework of the root cookiecutter.json, in its order."""
    root = root or find_root()
    return [
        Framework(
            key,
            entry.get("title", key),
            entry.get("description", ""),
            (root / entry["path"]).resolve(),
        )
        for key, entry in root_entries(root).items()
    ]


def frameworks(root=None):
    """Framework keys, in the order of the root cookiecutter.json."""
    return list(root_entries(root))


def framework(key, root=None):
    known = catalogue(root)
    for entry in known:
        if entry.key == key:
            return entry
    raise TemplateError(f"unknown framework {key!r} (valid: {', '.join(e.key for e in known)})")


def template_dir(key, root=None):
    return framework(key, root).path


def template_context_of(path):
    return json.loads((Path(path) / "cookiecutter.json").read_text())


def template_context(key, root=None):
    return template_context_of(template_dir(key, root))


def parse_answers(pairs):
    """``["key=value", ...]`` as a dict; a pair without ``=`` is an error."""
    answers = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise TemplateError(f"expected key=value, got {pair!r}")
        answers[key] = value
    return answers


def validate_answers(path, answers, label=None):
    """Refuse keys the template does not ask for and values outside a choice list."""
    context = template_context_of(path)
    label = label or Path(path).name
    valid = [key for key in context if not key.startswith("_")]
    for key, value in answers.items():
        if key not in valid:
            raise TemplateError(f"unknown key {key!r} for {label} (valid: {', '.join(valid)})")
        choices = context[key]
        if isinstance(choices, list) and value not in choices:
            raise TemplateError(
                f"invalid value {value!r} for {key} (valid: {', '.join(map(str, choices))})"
            )
    return answers


JINJA_SYNTAX = ("{{", "{%", "{#")


def literal(value):
    """An answer that cookiecutter renders back to exactly ``value``.

    Cookiecutter renders every answer given on its command line or as extra context as a
    Jinja template (only answers typed at a prompt are taken as they are), so a name such as
    ``{{ x }}`` would be evaluated. Text with Jinja syntax in it is handed over as a Jinja
    string literal instead, which renders to the text itself.
    """
    if not isinstance(value, str) or not any(mark in value for mark in JINJA_SYNTAX):
        return value
    return "{{ '" + value.encode("unicode_escape").decode("ascii").replace("'", "\\'") + "' }}"


def literal_answers(answers):
    return {key: literal(value) for key, value in (answers or {}).items()}


class BakeError(RuntimeError):
    """A bake that failed, with what its hooks printed."""


@contextlib.contextmanager
def _silenced_output():
    """Send everything written to file descriptors 1 and 2 (hooks run as child processes)
    to a temporary file; yields a function returning what was written."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)

        def written():
            sink.seek(0)
            return sink.read().decode(errors="replace")

        try:
            yield written
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def bake_template(path, output_dir, answers=None, no_input=True, root=None, quiet=False):
    """Generate the template at ``path``: like ``cookiecutter <repo> --directory
    templates/<fw> --no-input key=value ...`` for a template of the repository, else
    ``cookiecutter <path>``, each answer taken literally. Returns the project folder.
    ``quiet`` keeps the hooks' output off the terminal and raises :class:`BakeError` with it
    when the bake fails."""
    from cookiecutter.main import cookiecutter  # imported late: it costs ~0.3 s at start-up

    if root is None:
        with contextlib.suppress(TemplateError):  # a template outside any checkout bakes alone
            root = find_root()
    path = Path(path).resolve()
    options = {
        "no_input": no_input,
        "extra_context": literal_answers(answers),
        "output_dir": str(output_dir),
    }
    if root is not None and path.is_relative_to(root):
        target, options["directory"] = str(root), str(path.relative_to(root))
    else:
        target = str(path)
    if not quiet:
        return Path(cookiecutter(target, **options))
    import logging

    log = logging.getLogger("cookiecutter")
    propagate, log.propagate = log.propagate, False
    try:
        with _silenced_output() as written:
            try:
                return Path(cookiecutter(target, **options))
            except Exception as error:
                said = [line for line in written().splitlines() if line.startswith("ERROR")]
                raise BakeError(f"{path.name}: {said[0] if said else error}") from error
    finally:
        log.propagate = propagate


def bake(key, output_dir, root=None, **answers):
    """Generate ``key``'s project non-interactively with ``answers``."""
    return bake_template(template_dir(key, root), output_dir, answers, root=root)
