"""Every template's concept map (templates/<fw>/concepts.json) matches its baked project.

The map names, for each concept of the contract, a file of the baked project and a definition in
it (a function, class, method or assignment; a template block; a Procfile process; an ini
section); `webcutter compare` shows each concept's code from it. These tests keep it from going
stale: a mapped file or definition that disappears fails here, and every definition's code must
be non-empty and well-formed on its own.
"""

import ast
import json

import pytest
from support.templates import bake, frameworks, template_dir

from webcutter import concepts

FRAMEWORKS = frameworks()


@pytest.fixture(scope="module")
def baked(tmp_path_factory):
    projects = {}

    def get(framework):
        if framework not in projects:
            projects[framework] = bake(framework, tmp_path_factory.mktemp(framework))
        return projects[framework]

    return get


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_concept_map_names_every_concept_of_the_contract(framework):
    mapping = json.loads((template_dir(framework) / concepts.MAP_FILE).read_text())
    assert sorted(mapping) == sorted(concepts.CONCEPTS)
    assert concepts.load_map(template_dir(framework)) == {c: mapping[c] for c in concepts.CONCEPTS}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_mapped_definition_is_in_the_baked_project_and_parses(framework, baked):
    project = baked(framework)
    locations = concepts.check_project(template_dir(framework), project)
    assert [loc.concept for loc in locations] == list(concepts.CONCEPTS)
    for location in locations:
        assert location.code.strip(), f"{location.concept}: empty code at {location}"
        assert concepts.snippet_parses(location), f"{location.concept}: {location} is not whole"
        lines = (project / location.file).read_text().splitlines()
        assert "\n".join(lines[location.line - 1 : location.end]) == location.code


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_python_symbols_name_definitions_not_substrings(framework):
    """A Python symbol is a dotted name (no spaces, brackets or quotes), as `ast` finds it."""
    for concept, entry in concepts.load_map(template_dir(framework)).items():
        if entry["file"].endswith(".py") and entry["symbol"] != "*":
            names = entry["symbol"].replace("..", ".").split(".")
            assert all(part.isidentifier() for part in names), (
                f"{concept}: {entry['symbol']!r} is not a definition name"
            )


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_map_lives_in_the_template_set_not_in_the_project(framework, baked):
    assert not (baked(framework) / concepts.MAP_FILE).exists()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_removed_definition_or_file_fails_the_check(framework, tmp_path):
    """Break a baked project the way a template edit would, and the check must say so."""
    project = bake(framework, tmp_path)
    mapping = concepts.load_map(template_dir(framework))
    concept = "password hashing"
    entry = mapping[concept]
    path = project / entry["file"].replace("{slug}", project.name)
    text = path.read_text()
    [location] = [
        loc
        for loc in concepts.check_project(template_dir(framework), project)
        if loc.concept == concept
    ]
    lines = text.splitlines()
    path.write_text("\n".join(lines[: location.line - 1] + lines[location.end :]) + "\n")
    with pytest.raises(concepts.ConceptMapError, match=f"{concept}: "):
        concepts.check_project(template_dir(framework), project)
    path.write_text(text)
    concepts.check_project(template_dir(framework), project)  # restored: passes again
    path.unlink()
    with pytest.raises(concepts.ConceptMapError, match=f"{concept}: .*file not found"):
        concepts.check_project(template_dir(framework), project)


def test_a_map_missing_a_concept_or_naming_an_unknown_one_is_refused(tmp_path):
    mapping = {concept: {"file": "Procfile", "symbol": "web"} for concept in concepts.CONCEPTS}
    del mapping["CSRF set-up"]
    mapping["csrf"] = {"file": "Procfile", "symbol": "web"}
    (tmp_path / concepts.MAP_FILE).write_text(json.dumps(mapping))
    with pytest.raises(concepts.ConceptMapError, match="missing CSRF set-up; unknown csrf"):
        concepts.load_map(tmp_path)
    (tmp_path / concepts.MAP_FILE).unlink()
    with pytest.raises(concepts.ConceptMapError, match="is missing"):
        concepts.load_map(tmp_path)


SOURCE = '''"""A module."""

import os

LIMIT = 3
NAME: str = "x"


# The factory, with its comment.
@decorator
def create_app(test_config=None):
    return os


class Auth:
    greeting = "hi"

    @property
    def login(self):
        return 1
'''


@pytest.mark.parametrize(
    ("symbol", "first", "last"),
    [
        ("create_app", 9, 12),
        ("Auth", 15, 20),
        ("Auth.login", 18, 20),
        ("LIMIT", 5, 5),
        ("NAME", 6, 6),
        ("Auth.greeting", 16, 16),
        ("*", 1, 20),
        ("LIMIT..NAME", 5, 6),
        ("LIMIT..create_app", 5, 12),
    ],
)
def test_python_definitions_are_whole(tmp_path, symbol, first, last):
    path = tmp_path / "app.py"
    path.write_text(SOURCE)
    assert concepts.find_definition(path, SOURCE, symbol) == (first, last)
    code = "\n".join(SOURCE.splitlines()[first - 1 : last])
    import textwrap

    ast.parse(textwrap.dedent(code))


def test_an_unknown_python_name_is_not_found(tmp_path):
    with pytest.raises(concepts.NotFound, match="no definition named 'missing'"):
        concepts.find_definition(tmp_path / "a.py", SOURCE, "missing")


TEMPLATE = """{% extends "base.html" %}
{% block title %}Notes{% endblock %}
{% block content %}
  {% for note in notes %}
    {% block note %}<p>{{ note }}</p>{% endblock note %}
  {% endfor %}
{% endblock %}
"""
WEB2PY_VIEW = """{{extend 'layout.html'}}
{{block header}}
<h1>{{=response.title}}</h1>
{{end}}
<p>after</p>
"""


def test_template_blocks_are_whole():
    assert concepts.template_block(TEMPLATE, "block title") == (2, 2)
    assert concepts.template_block(TEMPLATE, "block content") == (3, 7)
    assert concepts.template_block(TEMPLATE, "block note") == (5, 5)
    assert concepts.template_block(WEB2PY_VIEW, "block header") == (2, 4)
    with pytest.raises(concepts.NotFound):
        concepts.template_block(TEMPLATE, "block missing")


def test_procfile_entries_and_ini_sections():
    assert concepts.procfile_entry("release: migrate\nweb: gunicorn app\n", "web") == (2, 2)
    ini = "[app:main]\nuse = egg:x\n\n# comment\n[server:main]\nport = 1\n"
    assert concepts.section(ini, "[app:main]") == (1, 2)
    assert concepts.section(ini, "[server:main]") == (5, 6)
    toml = '[project]\nname = "x"\n\n[tool.ruff]\nline-length = 100\n'
    assert concepts.section(toml, "[tool.ruff]") == (4, 5)


def test_locate_reports_the_lines_and_code_of_each_definition(tmp_path):
    project = tmp_path / "acme"
    (project / "acme").mkdir(parents=True)
    (project / "acme" / "app.py").write_text("import os\n\n\ndef create_app():\n    pass\n")
    mapping = {
        concept: {"file": "{slug}/app.py", "symbol": "create_app"} for concept in concepts.CONCEPTS
    }
    mapping["tests"] = {"file": "{slug}/app.py", "symbol": "*"}
    found = {loc.concept: loc for loc in concepts.locate(project, mapping)}
    assert str(found["entry point"]) == "acme/app.py:4-5"
    assert found["entry point"].code == "def create_app():\n    pass"
    assert (found["tests"].line, found["tests"].end) == (1, 5)
