"""Every template's concept map (templates/<fw>/concepts.json) matches its baked project.

The map names, for each concept of the contract, a file of the baked project and a literal
symbol in it; `webcutter compare` shows where each concept lives from it. These tests keep it
from going stale: a mapped file or symbol that disappears fails here.
"""

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
def test_every_mapped_file_and_symbol_is_in_the_baked_project(framework, baked):
    project = baked(framework)
    locations = concepts.check_project(template_dir(framework), project)
    assert [loc.concept for loc in locations] == list(concepts.CONCEPTS)
    for location in locations:
        lines = (project / location.file).read_text().splitlines()
        assert location.symbol.splitlines()[0] in lines[location.line - 1], location


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_map_lives_in_the_template_set_not_in_the_project(framework, baked):
    assert not (baked(framework) / concepts.MAP_FILE).exists()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_removed_symbol_or_file_fails_the_check(framework, tmp_path):
    """Break a baked project the way a template edit would, and the check must say so."""
    project = bake(framework, tmp_path)
    mapping = concepts.load_map(template_dir(framework))
    concept = "password hashing"
    entry = mapping[concept]
    path = project / entry["file"].replace("{slug}", project.name)
    text = path.read_text()
    path.write_text(text.replace(entry["symbol"], ""))
    with pytest.raises(concepts.ConceptMapError, match=f"{concept}: .*symbol .* not found"):
        concepts.check_project(template_dir(framework), project)
    path.write_text(text)
    concepts.check_project(template_dir(framework), project)  # restored: passes again
    path.unlink()
    with pytest.raises(concepts.ConceptMapError, match=f"{concept}: .*file not found"):
        concepts.check_project(template_dir(framework), project)


def test_a_map_missing_a_concept_or_naming_an_unknown_one_is_refused(tmp_path):
    mapping = {concept: {"file": "Procfile", "symbol": "web:"} for concept in concepts.CONCEPTS}
    del mapping["CSRF set-up"]
    mapping["csrf"] = {"file": "Procfile", "symbol": "web:"}
    (tmp_path / concepts.MAP_FILE).write_text(json.dumps(mapping))
    with pytest.raises(concepts.ConceptMapError, match="missing CSRF set-up; unknown csrf"):
        concepts.load_map(tmp_path)
    (tmp_path / concepts.MAP_FILE).unlink()
    with pytest.raises(concepts.ConceptMapError, match="is missing"):
        concepts.load_map(tmp_path)


def test_locate_reports_the_line_of_the_symbol(tmp_path):
    project = tmp_path / "acme"
    (project / "acme").mkdir(parents=True)
    (project / "acme" / "app.py").write_text("import os\n\n\ndef create_app():\n    pass\n")
    mapping = {concept: {"file": "{slug}/app.py", "symbol": "def create_app("}
               for concept in concepts.CONCEPTS}
    mapping["tests"] = {"file": "{slug}/app.py", "symbol": "import os"}
    found = {loc.concept: loc for loc in concepts.locate(project, mapping)}
    assert str(found["entry point"]) == "acme/app.py:4"
    assert found["tests"].line == 1
