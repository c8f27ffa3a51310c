"""The template set's rules: one entry per framework, shared keys, one source per shared file,
and every free-text answer written into a file through the filter of that file's syntax.

Every rule about one template is parametrized by ``framework``, so that ``webcutter check`` runs
it for the template it checks; only the root cookiecutter.json's own form is about the whole set.
"""

import ast
import importlib.util
import json
import os
import re
from pathlib import Path

import pytest
from support.templates import ROOT, SHARED_KEYS, frameworks, template_context, template_dir

clause = pytest.mark.clause

FRAMEWORKS = frameworks()
COMMON_FILES = {  # project file -> its one source in common/
    "LICENSE": "LICENSE",
    "gitignore": "gitignore",
    ".editorconfig": ".editorconfig",
    ".github/workflows/ci.yml": ".github/workflows/ci.yml",
    ".pre-commit-config.yaml": ".pre-commit-config.yaml",
}


def test_root_uses_the_nested_template_form():
    entries = json.loads((ROOT / "cookiecutter.json").read_text())
    assert list(entries) == ["templates"]
    assert FRAMEWORKS[0] == "flask", "--no-input through the root bakes the first entry"
    for key, entry in entries["templates"].items():
        assert entry["path"] == f"./templates/{key}"
        assert entry["title"] and entry["description"]
        assert (template_dir(key) / "cookiecutter.json").is_file()


@clause("Template set", "the shared keys come first, as in every template")
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_template_declares_the_shared_keys_identically(framework):
    reference, context = template_context("flask"), template_context(framework)
    assert list(context)[: len(SHARED_KEYS)] == list(SHARED_KEYS), "shared keys come first"
    for key in SHARED_KEYS:
        assert context[key] == reference[key], key
        assert key in context["__prompts__"], f"{key} has no human-readable prompt"
    assert context["database"] == ["sqlite", "postgresql"]
    assert context["open_source_license"] == [
        "MIT",
        "BSD-3-Clause",
        "Apache-2.0",
        "GPL-3.0-only",
        "Proprietary",
    ]
    assert context["ci"] == ["github", "none"]
    assert context["_framework"] == framework
    assert context["_python_versions"] and all(
        v.startswith("3.") for v in context["_python_versions"]
    )


@clause("Template set", "hooks/ links to the one shared hook")
@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("hook", ["pre_gen_project.py", "post_gen_project.py"])
def test_every_template_runs_the_one_shared_hook(framework, hook):
    path = template_dir(framework) / "hooks" / hook
    assert path.is_symlink(), f"{path} must link to hooks/{hook}"
    assert path.resolve() == (ROOT / "hooks" / hook).resolve()
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "post_gen_project.py",
        "pre_gen_project.py",
    ]


@clause("Template set", "local_extensions.py links to the one set of answer filters")
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_template_loads_the_one_answer_filters(framework):
    path = template_dir(framework) / "local_extensions.py"
    assert path.is_symlink(), f"{path} must link to hooks/local_extensions.py"
    assert path.resolve() == (ROOT / "hooks" / "local_extensions.py").resolve()
    assert not os.path.isabs(os.readlink(path)), "links stay relative to work in any clone"
    assert template_context(framework)["_extensions"] == ["local_extensions.AnswerFilters"]


@clause("Template set", "shared project files link to common/")
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_shared_project_files_come_from_common(framework):
    project = template_dir(framework) / "{{cookiecutter.project_slug}}"
    for name, source in COMMON_FILES.items():
        path = project / name
        assert path.is_symlink(), f"{path} must link to common/{source}"
        assert path.resolve() == (ROOT / "common" / source).resolve()
        assert not os.path.isabs(os.readlink(path)), "links stay relative to work in any clone"


def common_definitions():
    """{ast dump of a public top-level function or class of a common/ module: its place}."""
    found = {}
    for path in (ROOT / "common").glob("*.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, DEFINITIONS) and not node.name.startswith("_"):
                found[ast.dump(node)] = f"{node.name} of common/{path.name}"
    return found


DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def own_files(framework):
    """The template's files that are its own (not links into common/ or hooks/)."""
    return [
        path
        for path in template_dir(framework).rglob("*")
        if path.is_file() and not path.is_symlink()
    ]


@clause("Template set", "no copy of a common/ file or of one of its definitions")
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_no_template_carries_a_copy_of_a_common_file(framework):
    """A shared file is linked from common/, never copied (copies drift apart); nor is one of
    its functions or classes pasted into a module of the template."""
    common = {path.read_bytes(): path for path in (ROOT / "common").rglob("*") if path.is_file()}
    definitions = common_definitions()
    copies = []
    for path in own_files(framework):
        where = path.relative_to(template_dir(framework))
        if path.read_bytes() in common:
            copies.append(f"{where} copies {common[path.read_bytes()].relative_to(ROOT)}")
            continue
        if path.suffix != ".py":
            continue
        try:
            tree = ast.parse(path.read_text())
        except SyntaxError:  # a Jinja-templated module: checked when baked (ruff)
            continue
        copies += [
            f"{where}:{node.lineno} copies {definitions[ast.dump(node)]}"
            for node in ast.walk(tree)
            if isinstance(node, DEFINITIONS) and ast.dump(node) in definitions
        ]
    assert copies == [], "link the common/ module instead (cp -P from another template): " + (
        "; ".join(copies)
    )


def is_alembic_env(path):
    return path.name == "env.py" and "from alembic import context" in path.read_text()


@clause("Template set", "a module named like a common/ one links to it")
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_shared_modules_are_links_to_common(framework):
    """common/redirects.py, rules.py, hardening.py... have one source: a file of that name in a
    template is a relative link to it (Alembic's own migrations/env.py excepted)."""
    shared = {path.name for path in (ROOT / "common").glob("*.py")}
    wrong = []
    for path in template_dir(framework).rglob("*.py"):
        if path.name not in shared or (not path.is_symlink() and is_alembic_env(path)):
            continue
        source = ROOT / "common" / path.name
        if not path.is_symlink() or path.resolve() != source.resolve():
            wrong.append(
                f"{path.relative_to(template_dir(framework))} is not a link to common/{path.name}"
            )
        elif os.path.isabs(os.readlink(path)):
            wrong.append(f"{path.relative_to(template_dir(framework))} links by an absolute path")
    assert wrong == [], "; ".join(wrong)


@clause("Template set", "the stylesheet is a link to common/style.css")
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_template_links_the_one_stylesheet(framework):
    links = [path for path in template_dir(framework).rglob("*.css") if path.is_symlink()]
    assert [path.resolve() for path in links] == [(ROOT / "common" / "style.css").resolve()], (
        f"expected one link to common/style.css, found {[str(p) for p in links]}"
    )
    copies = [path for path in own_files(framework) if path.suffix == ".css"]
    assert not copies, f"stylesheets of its own: {copies}"


@clause("Template set", "the next check comes from common/redirects.py only")
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_next_check_has_one_source(framework):
    """The open-redirect check is security code: one tested copy, in common/redirects.py."""
    copies = [
        path.relative_to(ROOT)
        for path in own_files(framework)
        if path.suffix == ".py" and "def safe_next(" in path.read_text()
    ]
    assert copies == [], (
        f"safe_next is defined again in {copies}: link common/redirects.py "
        "(or use the framework's own check, as Django does)"
    )


@clause("Template set", "cookiecutter.json names its key distributions and server model")
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_template_names_its_key_distributions_and_server_model(framework):
    """webcutter compare reads both (the versions it reports; the ceiling it measures against)."""
    context = template_context(framework)
    names = context.get("_key_distributions")
    assert (
        isinstance(names, list)
        and names
        and all(isinstance(name, str) and name == name.lower() for name in names)
    ), (
        f"_key_distributions must list the distributions (lower-case names) whose versions the "
        f"comparison names, got {names!r}"
    )
    assert context.get("_server_model") in {"wsgi", "asgi"}, (
        f'_server_model must be "wsgi" or "asgi", got {context.get("_server_model")!r}'
    )


_spec = importlib.util.spec_from_file_location("filters", ROOT / "hooks" / "local_extensions.py")
filters = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(filters)

FREE_TEXT = ("project_name", "description", "author_name", "author_email")
FILTER_OF = {  # a file's suffix -> the filter that writes an answer in its syntax
    ".toml": "toml_string",
    ".py": "python_string",
    ".md": "markdown_text",
    ".yml": "yaml_string",
    ".yaml": "yaml_string",
    ".ini": "ini_value",
}
PLAIN_TEXT = {"LICENSE"}  # no quoting or markup: an answer goes in as typed
ANSWER = re.compile(r"cookiecutter\s*(?:\.\s*|\[\s*['\"])(?:" + "|".join(FREE_TEXT) + r")\b")
OUTPUT = re.compile(r"\{\{-?\s*cookiecutter\.(?P<key>\w+)\s*(?:\|\s*(?P<filter>\w+)\s*)?-?\}\}")


def answer_problems(name, text):
    """Where a free-text answer reaches the file ``name`` other than as
    ``{{ cookiecutter.<answer> | <the filter of the file's syntax> }}``."""
    expected = None if name in PLAIN_TEXT else FILTER_OF.get(Path(name).suffix)
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        outputs = [match for match in OUTPUT.finditer(line) if match["key"] in FREE_TEXT]
        for reference in ANSWER.finditer(line):
            use = next((m for m in outputs if m.start() <= reference.start() < m.end()), None)
            where = f"{name}:{number}"
            if use is None:
                problems.append(
                    f"{where}: an answer is used other than as {{{{ cookiecutter.x "
                    "| filter }}, where no filter reaches it"
                )
            elif name not in PLAIN_TEXT and expected is None:
                problems.append(
                    f"{where}: no filter writes an answer in this kind of file; "
                    "add one to hooks/local_extensions.py"
                )
            elif use["filter"] != expected:
                problems.append(
                    f"{where}: {use['key']} needs | {expected} here, "
                    f"not {use['filter'] or 'nothing'}"
                )
            elif expected == "python_string" and (
                use.start() > filters.PYTHON_MAX_PREFIX or "{" in line[: use.start()]
            ):
                problems.append(
                    f"{where}: a Python literal must start within "
                    f"{filters.PYTHON_MAX_PREFIX} columns (its lines stay within 100)"
                )
    return problems


def rendered_files(folder):
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        yield relative, (path.read_text() if path.is_file() else "")


def assert_answers_filtered(root):
    problems = []
    for relative, text in rendered_files(root):
        if ANSWER.search(str(relative)):
            problems.append(f"{relative}: an answer in a file name")
        problems += answer_problems(relative.name, text)
    assert problems == [], "; ".join(problems)


@clause("Template set", "every answer reaches a file through the filter of its syntax")
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_answer_reaches_a_file_through_the_filter_of_its_syntax(framework):
    assert_answers_filtered(template_dir(framework) / "{{cookiecutter.project_slug}}")


def test_every_answer_reaches_a_common_file_through_the_filter_of_its_syntax():
    assert_answers_filtered(ROOT / "common")


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("pyproject.toml", 'description = "{{ cookiecutter.description }}"'),
        ("settings.py", "NAME = {{ cookiecutter.project_name | tojson }}"),
        ("settings.py", "NAME = {{ cookiecutter.project_name | toml_string }}"),
        (
            "settings.py",
            "                              NAME = {{ cookiecutter.project_name | python_string }}",
        ),
        ("README.md", "{% set name = cookiecutter.project_name %}# {{ name }}"),
        ("README.md", "# {{ cookiecutter['project_name'] | markdown_text }}"),
        ("base.html", "<title>{{ cookiecutter.project_name }}</title>"),
        (".env.example", "PROJECT_NAME={{ cookiecutter.project_name }}"),
        ("production.ini", "name = {{ cookiecutter.author_name }}"),
    ],
)
def test_the_answer_rule_catches_a_missing_or_wrong_filter(name, line):
    assert answer_problems(name, line) != []


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("pyproject.toml", "description = {{ cookiecutter.description | toml_string }}"),
        ("settings.py", "PROJECT_NAME = {{ cookiecutter.project_name | python_string }}"),
        ("README.md", "# {{ cookiecutter.project_name | markdown_text }}"),
        ("ci.yml", "name: {{ cookiecutter.project_name | yaml_string }}"),
        ("LICENSE", "Copyright (c) 2026 {{ cookiecutter.author_name }}"),
        (
            "settings.py",
            "DATABASE = {{ cookiecutter.project_slug | tojson }}",
        ),  # validated by the hook
    ],
)
def test_the_answer_rule_accepts_the_filter_of_the_syntax(name, line):
    assert answer_problems(name, line) == []
