"""Projects that follow their template: ``webcutter new`` through cruft, ``update`` and ``diff``.

cruft records in the project's ``.cruft.json`` where it came from (the template's git source, its
commit, ``directory`` and the answers) and later re-renders the old and the new commit with those
answers to merge the difference into the project. It reads the template from git, so it sees
only committed files: a checkout with uncommitted template changes is baked without that link,
and the user is told so. cruft is imported late, like cookiecutter: it costs a second at start-up.
"""

import json
import subprocess
from pathlib import Path

from .templates import find_root, literal_answers

CRUFT_FILE = ".cruft.json"
# `git status --porcelain` codes of a path a merge left unresolved.
UNMERGED = {"DD", "AU", "UD", "UA", "DU", "AA", "UU"}


class NotLinked(ValueError):
    """The project has no .cruft.json: nothing records which template it follows."""


def _git(folder, *args):
    command = ["git", "-C", str(folder), *args]
    try:
        return subprocess.run(command, capture_output=True, text=True)
    except FileNotFoundError:  # no git on this machine: nothing is a repository
        return subprocess.CompletedProcess(command, 127, "", "git: command not found")


def template_sources(path, root=None):
    """The paths, relative to ``root``, that the template at ``path`` is made of: its folder and
    whatever its symbolic links point to (the shared hooks and common files)."""
    root = root or find_root()
    path = Path(path).resolve()
    sources = {path.relative_to(root)}
    for link in path.rglob("*"):
        if link.is_symlink():
            target = link.resolve()
            if target.is_relative_to(root) and not target.is_relative_to(path):
                sources.add(target.relative_to(root))
    return sorted(str(source) for source in sources)


def why_not_linkable(path, root=None):
    """Why a project of the template at ``path`` can't be linked to it as it is on disk (the
    whole message for the user), or None when cruft can record it."""
    root = root or find_root()
    unlinked = (
        "this project was generated from the files on disk and is NOT linked to the template "
        f"(no {CRUFT_FILE}: `webcutter update` cannot update it)."
    )
    if _git(root, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
        return (
            f"{root} is not a git repository with a commit, and cruft links a project only to "
            f"a template it can clone: {unlinked} Generate from a git clone of the template "
            "set for a project that follows the template."
        )
    sources = template_sources(path, root)
    status = _git(root, "status", "--porcelain", "--untracked-files=all", "--", *sources)
    changed = [line[3:] for line in status.stdout.splitlines() if line.strip()]
    if changed:
        more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        return (
            f"the template has changes that are not committed ({', '.join(changed[:3])}{more}), "
            f"and cruft reads only committed files: {unlinked} Commit the changes and run "
            "`webcutter new` again for a project that follows the template."
        )
    return None


def create(path, output_dir, answers, no_input, root=None):
    """``cruft create <root> --directory templates/<fw>``: the project, with its .cruft.json."""
    from cruft import create as cruft_create

    root = root or find_root()
    directory = Path(path).resolve().relative_to(root)
    project = Path(
        cruft_create(
            str(root),
            output_dir=Path(output_dir),
            extra_context=literal_answers(answers),
            no_input=no_input,
            directory=str(directory),
        )
    )
    keep_answers_literal(project)
    return project


def keep_answers_literal(project):
    """cruft renders the recorded answers as Jinja again at every diff and update, so an answer
    holding ``{{`` or ``{%`` (a name like ``{{ not jinja }}``) would change or fail there.
    Record such answers as the Jinja literal that renders back to them (see
    :func:`webcutter.templates.literal`); every other answer stays as cruft wrote it."""
    record = project / CRUFT_FILE
    state = json.loads(record.read_text())
    answers = state["context"]["cookiecutter"]
    literal = {
        key: value for key, value in literal_answers(answers).items() if not key.startswith("_")
    }
    if any(literal[key] != answers[key] for key in literal):
        answers.update(literal)
        record.write_text(json.dumps(state, ensure_ascii=False, indent=2) + "\n")


def linked_project(path):
    project = Path(path).resolve()
    if not (project / CRUFT_FILE).is_file():
        raise NotLinked(
            f"{project} has no {CRUFT_FILE}: it was not made by `webcutter new` or "
            "`cruft create` (`cruft link TEMPLATE --directory templates/FRAMEWORK` "
            "links a project made otherwise)"
        )
    return project


def recorded_commit(project):
    return json.loads((project / CRUFT_FILE).read_text())["commit"]


def update(project, yes=False, checkout=None):
    """cruft's update; False when cruft refused or the user said no."""
    from cruft import update as cruft_update

    return cruft_update(project_dir=project, skip_apply_ask=yes, checkout=checkout)


def diff(project, exit_code=False, checkout=None):
    """cruft's diff; False when ``exit_code`` is set and the project differs."""
    from cruft import diff as cruft_diff

    return cruft_diff(project_dir=project, exit_code=exit_code, checkout=checkout)


def unresolved(project):
    """What an update left for the user to merge: paths with conflict markers (unmerged in git)
    and ``*.rej`` files of hunks that did not apply."""
    status = _git(project, "status", "--porcelain", "--untracked-files=all")
    if status.returncode != 0:  # not a git repository: cruft applied with --reject
        return [
            (str(rej.relative_to(project)), "rejected hunks")
            for rej in sorted(project.rglob("*.rej"))
            if ".venv" not in rej.parts
        ]
    found = []
    for line in status.stdout.splitlines():
        code, name = line[:2], line[3:]
        if code in UNMERGED:
            found.append((name, "conflict markers"))
        elif code == "??" and name.endswith(".rej"):
            found.append((name, "rejected hunks"))
    return found
