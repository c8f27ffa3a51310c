"""Bake-time checks with pytest-cookies: every template and choice bakes cleanly."""

import fnmatch
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support.templates import ROOT, frameworks, template_context, template_dir

FRAMEWORKS = frameworks()
LICENSES = {
    "MIT": "MIT License",
    "BSD-3-Clause": "BSD 3-Clause License",
    "Apache-2.0": "Apache License",
    "GPL-3.0-only": "GNU GENERAL PUBLIC LICENSE",
    "Proprietary": "All rights reserved.",
}
CHOICES = list(
    itertools.product(FRAMEWORKS, ["sqlite", "postgresql"], LICENSES, ["github", "none"])
)
LEFTOVER = re.compile(r"\{\{\s*cookiecutter\.|\{%\s*(?:if|for|raw|endif|endfor)\b.*cookiecutter")
UNRENDERED = re.compile(r"(?<!\$)\{\{|\{%|\{#")


def bake(cookies, framework, **answers):
    result = cookies.bake(template=str(template_dir(framework)), extra_context=answers)
    assert result.exception is None, result.exception
    assert result.exit_code == 0
    return result, result.project_path


def verbatim(framework, relative):
    """Files cookiecutter copies without rendering (they may hold their own template syntax)."""
    patterns = template_context(framework).get("_copy_without_render", [])
    slug_free = str(relative).replace("my_site", "{{cookiecutter.project_slug}}")
    return any(fnmatch.fnmatch(slug_free, pattern) for pattern in patterns)


def text_files(project):
    for path in sorted(project.rglob("*")):
        if path.is_file():
            try:
                yield path, path.read_text()
            except UnicodeDecodeError:
                continue


@pytest.mark.parametrize(("framework", "database", "licence", "ci"), CHOICES,
                         ids=["-".join(choice) for choice in CHOICES])
def test_every_choice_bakes_cleanly(cookies, framework, database, licence, ci):
    _, project = bake(cookies, framework, database=database, open_source_license=licence, ci=ci,
                      author_name="Ada Lovelace")
    assert project.name == "my_site"
    for path, text in text_files(project):
        relative = path.relative_to(project)
        assert not LEFTOVER.search(text), f"{relative}: cookiecutter variable left unrendered"
        if not verbatim(framework, relative):
            assert not UNRENDERED.search(text), f"{relative}: Jinja syntax left unrendered"
    licence_text = (project / "LICENSE").read_text()
    assert LICENSES[licence] in licence_text
    if licence in {"MIT", "BSD-3-Clause", "Proprietary"}:
        assert "Ada Lovelace" in licence_text
    assert (project / ".gitignore").is_file() and not (project / "gitignore").exists()
    workflow = project / ".github" / "workflows" / "ci.yml"
    if ci == "github":
        matrix = yaml.safe_load(workflow.read_text())["jobs"]["test"]["strategy"]["matrix"]
        assert matrix["python-version"] == template_context(framework)["_python_versions"]
    else:
        assert not (project / ".github").exists()
    env = (project / ".env").read_text()
    assert ("DATABASE_URL=postgresql://localhost/my_site" in env.splitlines()) is (
        database == "postgresql")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_each_bake_gets_its_own_secret(cookies, framework):
    secrets = []
    for _ in range(2):
        _, project = bake(cookies, framework)
        env = dict(line.split("=", 1) for line in (project / ".env").read_text().splitlines()
                   if line and not line.startswith("#"))
        assert len(env["SECRET_KEY"]) >= 64
        assert env["SECURE_COOKIES"] == "false"
        assert (project / ".env").stat().st_mode & 0o077 == 0, ".env is readable by others"
        example = (project / ".env.example").read_text()
        assert re.search(r"^SECRET_KEY=$", example, re.M)
        secrets.append(env["SECRET_KEY"])
    assert secrets[0] != secrets[1]


BAD_SLUGS = ["flask", "django", "test", "site", "class", "my-project", "1abc", "Upper"]


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("slug", BAD_SLUGS)
def test_bad_slugs_are_refused_before_anything_is_written(cookies, tmpdir, framework, slug):
    result = cookies.bake(template=str(template_dir(framework)),
                          extra_context={"project_slug": slug})
    assert result.exit_code != 0
    assert type(result.exception).__name__ == "FailedHookException"
    bakes = Path(tmpdir) / "cookies"  # where pytest-cookies puts this test's bake folders
    left = [path for path in bakes.rglob("*") if path.parent != bakes]
    assert left == [], f"{slug}: left behind {left}"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_cookiecutter_command_refuses_a_bad_slug_in_one_line(tmp_path, framework):
    result = subprocess.run(
        [sys.executable, "-m", "cookiecutter", str(ROOT), "--directory", f"templates/{framework}",
         "--no-input", "-o", str(tmp_path), f"project_slug={framework}"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    reasons = [line for line in result.stderr.splitlines() if line.startswith("ERROR:")]
    assert len(reasons) == 1 and "shadow" in reasons[0], result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_root_bakes_the_first_framework_without_input(tmp_path):
    result = subprocess.run([sys.executable, "-m", "cookiecutter", str(ROOT), "--no-input",
                             "-o", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "my_site" / "Procfile").is_file()
    assert (tmp_path / "my_site" / ".env").is_file()


def test_interactive_use_asks_for_the_framework_first(tmp_path):
    """`cookiecutter <repo>` lists the frameworks, then asks the shared questions in order."""
    # flask, a name, four defaults, postgresql, Apache-2.0, no CI
    answers = "1\nAcme Notes\n\n\n\n\n2\n3\n2\n"
    result = subprocess.run([sys.executable, "-m", "cookiecutter", str(ROOT), "-o", str(tmp_path)],
                            input=answers, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Select a template" in result.stdout
    entries = json.loads((ROOT / "cookiecutter.json").read_text())["templates"]
    for number, entry in enumerate(entries.values(), start=1):
        assert f"{number} - {entry['title']} (" in result.stdout
    project = tmp_path / "acme_notes"  # the slug is derived from the name
    assert "DATABASE_URL=postgresql://localhost/acme_notes" in (project / ".env").read_text()
    assert "Apache License" in (project / "LICENSE").read_text()
    assert not (project / ".github").exists()


def test_baking_from_a_git_url_keeps_the_shared_files(tmp_path):
    """The hooks and common files are links; a git clone of the template set must carry them."""
    config = tmp_path / "cookiecutter.yaml"
    config.write_text(f"cookiecutters_dir: {tmp_path / 'clones'}\nreplay_dir: {tmp_path / 'r'}\n")
    result = subprocess.run(
        [sys.executable, "-m", "cookiecutter", f"git+file://{ROOT}", "--directory",
         "templates/flask", "--no-input", "--config-file", str(config), "-o", str(tmp_path / "out"),
         "open_source_license=BSD-3-Clause"],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "out" / "my_site"
    assert "BSD 3-Clause License" in (project / "LICENSE").read_text()
    assert "SECRET_KEY=" in (project / ".env").read_text()  # the post-gen hook ran
    assert (project / ".gitignore").is_file() and (project / ".editorconfig").is_file()
