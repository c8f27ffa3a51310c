"""The template set's rules: one entry per framework, shared keys, one source per shared file."""

import json
import os

import pytest
from support.templates import ROOT, SHARED_KEYS, frameworks, template_context, template_dir

FRAMEWORKS = frameworks()
COMMON_FILES = {  # project file -> its one source in common/
    "LICENSE": "LICENSE",
    "gitignore": "gitignore",
    ".editorconfig": ".editorconfig",
    ".github/workflows/ci.yml": ".github/workflows/ci.yml",
}


def test_root_uses_the_nested_template_form():
    entries = json.loads((ROOT / "cookiecutter.json").read_text())
    assert list(entries) == ["templates"]
    assert FRAMEWORKS[0] == "flask", "--no-input through the root bakes the first entry"
    for key, entry in entries["templates"].items():
        assert entry["path"] == f"./templates/{key}"
        assert entry["title"] and entry["description"]
        assert (template_dir(key) / "cookiecutter.json").is_file()


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_template_declares_the_shared_keys_identically(framework):
    reference, context = template_context("flask"), template_context(framework)
    assert list(context)[: len(SHARED_KEYS)] == list(SHARED_KEYS), "shared keys come first"
    for key in SHARED_KEYS:
        assert context[key] == reference[key], key
        assert key in context["__prompts__"], f"{key} has no human-readable prompt"
    assert context["database"] == ["sqlite", "postgresql"]
    assert context["open_source_license"] == [
        "MIT", "BSD-3-Clause", "Apache-2.0", "GPL-3.0-only", "Proprietary"]
    assert context["ci"] == ["github", "none"]
    assert context["_framework"] == framework
    assert context["_python_versions"] and all(v.startswith("3.") for v in
                                               context["_python_versions"])


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("hook", ["pre_gen_project.py", "post_gen_project.py"])
def test_every_template_runs_the_one_shared_hook(framework, hook):
    path = template_dir(framework) / "hooks" / hook
    assert path.is_symlink(), f"{path} must link to hooks/{hook}"
    assert path.resolve() == (ROOT / "hooks" / hook).resolve()
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "post_gen_project.py", "pre_gen_project.py"]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_shared_project_files_come_from_common(framework):
    project = template_dir(framework) / "{{cookiecutter.project_slug}}"
    for name, source in COMMON_FILES.items():
        path = project / name
        assert path.is_symlink(), f"{path} must link to common/{source}"
        assert path.resolve() == (ROOT / "common" / source).resolve()
        assert not os.path.isabs(os.readlink(path)), "links stay relative to work in any clone"


def test_no_template_carries_a_copy_of_a_common_file():
    """A shared file is linked from common/, never copied (copies drift apart)."""
    common = {path.read_bytes(): path for path in (ROOT / "common").rglob("*") if path.is_file()}
    copies = [
        f"{path.relative_to(ROOT)} copies {common[path.read_bytes()].relative_to(ROOT)}"
        for path in (ROOT / "templates").rglob("*")
        if path.is_file() and not path.is_symlink() and path.read_bytes() in common
    ]
    assert copies == []


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_template_links_the_one_stylesheet(framework):
    links = [path for path in template_dir(framework).rglob("*.css") if path.is_symlink()]
    assert [path.resolve() for path in links] == [(ROOT / "common" / "style.css").resolve()]


def test_the_next_check_has_one_source():
    """The open-redirect check is security code: one tested copy, in common/redirects.py."""
    copies = [path.relative_to(ROOT) for path in (ROOT / "templates").rglob("*.py")
              if not path.is_symlink() and "def safe_next(" in path.read_text()]
    assert copies == []
    links = [path for path in (ROOT / "templates").rglob("redirects.py")]
    assert links and all(path.resolve() == (ROOT / "common" / "redirects.py").resolve()
                         for path in links)
