"""Bake-time checks with pytest-cookies: every template and choice bakes cleanly."""

import ast
import configparser
import fnmatch
import itertools
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from support.answers import HOSTILE, LONGEST, REFUSED
from support.markdown import Rendered
from support.templates import ROOT, frameworks, template_context, template_dir

from webcutter.templates import literal_answers

clause = pytest.mark.clause

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


@clause("Bake", "every choice bakes with no unrendered Jinja, licence and CI as chosen")
@pytest.mark.parametrize(
    ("framework", "database", "licence", "ci"),
    CHOICES,
    ids=["-".join(choice) for choice in CHOICES],
)
def test_every_choice_bakes_cleanly(cookies, framework, database, licence, ci):
    _, project = bake(
        cookies,
        framework,
        database=database,
        open_source_license=licence,
        ci=ci,
        author_name="Ada Lovelace",
    )
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
        database == "postgresql"
    )


@clause("Bake", "the pre-commit hooks find nothing to fix in a fresh project")
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_fresh_project_passes_its_pre_commit_hooks(cookies, framework):
    """What the standard hooks of .pre-commit-config.yaml check, on every text file git would
    commit: a final newline, no trailing white space, no merge-conflict markers, TOML and YAML
    that parse (ruff's hooks: see the contract's own-project ruff clauses)."""
    _, project = bake(cookies, framework)
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff-check", "ruff-format", "end-of-file-fixer", "trailing-whitespace"} <= hooks
    ruff_rev = next(repo["rev"] for repo in config["repos"] if "ruff" in repo["repo"])
    assert f"ruff=={ruff_rev.lstrip('v')}" in (project / "pyproject.toml").read_text(), (
        "the pre-commit ruff and the dev extra's ruff differ"
    )
    for path, text in text_files(project):
        relative = path.relative_to(project)
        if relative.parts[0] == ".git" or relative.name == ".env":
            continue
        if text:
            assert text.endswith("\n") and not text.endswith("\n\n"), f"{relative}: end of file"
        trailing = [n for n, line in enumerate(text.splitlines(), 1) if line != line.rstrip()]
        assert not trailing, f"{relative}: trailing white space on lines {trailing[:5]}"
        assert not re.search(r"^(<<<<<<<|>>>>>>>) ", text, re.M), f"{relative}: conflict marker"
        if path.suffix == ".toml":
            tomllib.loads(text)
        if path.suffix in {".yml", ".yaml"}:
            yaml.safe_load(text)


@clause("Bake", "each bake gets its own SECRET_KEY in a private .env")
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_each_bake_gets_its_own_secret(cookies, framework):
    secrets = []
    for _ in range(2):
        _, project = bake(cookies, framework)
        env = dict(
            line.split("=", 1)
            for line in (project / ".env").read_text().splitlines()
            if line and not line.startswith("#")
        )
        assert len(env["SECRET_KEY"]) >= 64
        assert env["SECURE_COOKIES"] == "false"
        assert (project / ".env").stat().st_mode & 0o077 == 0, ".env is readable by others"
        example = (project / ".env.example").read_text()
        assert re.search(r"^SECRET_KEY=$", example, re.M)
        secrets.append(env["SECRET_KEY"])
    assert secrets[0] != secrets[1]


BAD_SLUGS = ["flask", "django", "test", "site", "class", "my-project", "1abc", "Upper"]


@clause("Bake", "a bad project_slug is refused before anything is written")
@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("slug", BAD_SLUGS)
def test_bad_slugs_are_refused_before_anything_is_written(cookies, tmpdir, framework, slug):
    result = cookies.bake(
        template=str(template_dir(framework)), extra_context={"project_slug": slug}
    )
    assert result.exit_code != 0
    assert type(result.exception).__name__ == "FailedHookException"
    bakes = Path(tmpdir) / "cookies"  # where pytest-cookies puts this test's bake folders
    left = [path for path in bakes.rglob("*") if path.parent != bakes]
    assert left == [], f"{slug}: left behind {left}"


@clause("Bake", "the cookiecutter command refuses a bad slug in one line")
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_cookiecutter_command_refuses_a_bad_slug_in_one_line(tmp_path, framework):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            str(ROOT),
            "--directory",
            f"templates/{framework}",
            "--no-input",
            "-o",
            str(tmp_path),
            f"project_slug={framework}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    reasons = [line for line in result.stderr.splitlines() if line.startswith("ERROR:")]
    assert len(reasons) == 1 and "shadow" in reasons[0], result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_root_bakes_the_first_framework_without_input(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "cookiecutter", str(ROOT), "--no-input", "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "my_site" / "Procfile").is_file()
    assert (tmp_path / "my_site" / ".env").is_file()


def test_interactive_use_asks_for_the_framework_first(tmp_path):
    """`cookiecutter <repo>` lists the frameworks, then asks the shared questions in order."""
    # flask, a name, four defaults, postgresql, Apache-2.0, no CI
    answers = "1\nAcme Notes\n\n\n\n\n2\n3\n2\n"
    result = subprocess.run(
        [sys.executable, "-m", "cookiecutter", str(ROOT), "-o", str(tmp_path)],
        input=answers,
        capture_output=True,
        text=True,
        timeout=120,
    )
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
        [
            sys.executable,
            "-m",
            "cookiecutter",
            f"git+file://{ROOT}",
            "--directory",
            "templates/flask",
            "--no-input",
            "--config-file",
            str(config),
            "-o",
            str(tmp_path / "out"),
            "open_source_license=BSD-3-Clause",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    project = tmp_path / "out" / "my_site"
    assert "BSD 3-Clause License" in (project / "LICENSE").read_text()
    assert "SECRET_KEY=" in (project / ".env").read_text()  # the post-gen hook ran
    assert (project / ".gitignore").is_file() and (project / ".editorconfig").is_file()


RUFF = Path(sys.executable).with_name("ruff")
TYPED = {"hostile": HOSTILE, "longest": LONGEST}


def readme_heading_and_first_paragraph(project):
    """The README rendered as GitHub does (CommonMark with strikethrough and tables)."""
    page = Rendered((project / "README.md").read_text())
    assert page.tags[:2] == ["h1", "p"], page.tags[:2]
    return page.blocks[0], page.blocks[1]


def ini_settings(path):
    """Every value of an ini file as PasteDeploy, alembic and logging read it: interpolated,
    with ``here`` and ``__file__`` known, except logging's formats (which it reads raw)."""
    parser = configparser.ConfigParser(defaults={"here": "/project", "__file__": path.name})
    parser.read_string(path.read_text(), source=str(path))
    return {
        (section, key): parser.get(section, key, raw=section.startswith("formatter_"))
        for section in parser.sections()
        for key in parser[section]
    }


def files_with_the_name(framework, project):
    """The baked Python files whose template writes the project name with python_string."""
    source = template_dir(framework) / "{{cookiecutter.project_slug}}"
    return [
        project / str(path.relative_to(source)).replace("{{cookiecutter.project_slug}}", "my_site")
        for path in sorted(source.rglob("*.py"))
        if "cookiecutter.project_name | python_string" in path.read_text()
    ]


@clause("Bake", "hostile and longest answers bake valid TOML, Python, ini, YAML, README, ruff")
@pytest.mark.parametrize("typed", TYPED)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_any_answer_a_person_may_type_bakes_a_valid_project(cookies, framework, typed):
    answers = TYPED[typed]
    _, project = bake(cookies, framework, project_slug="my_site", **literal_answers(answers))
    _, plain = bake(cookies, framework)
    metadata = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert metadata["description"] == answers["description"]
    assert metadata["authors"] == [
        {"name": answers["author_name"], "email": answers["author_email"]}
    ]
    for path in sorted(project.rglob("*")):
        if path.suffix == ".py":
            compile(path.read_text(), str(path), "exec")
        elif path.suffix == ".ini":
            assert ini_settings(path) == ini_settings(plain / path.relative_to(project))
        elif path.suffix in {".yml", ".yaml"}:
            assert yaml.safe_load(path.read_text()) == yaml.safe_load(
                (plain / path.relative_to(project)).read_text()
            ), f"{path.name} changed"
    named = files_with_the_name(framework, project)
    assert named, "the project name reaches no Python file"
    for path in named:
        strings = {
            node.value
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Constant)
        }
        assert answers["project_name"] in strings, f"{path.name} does not hold the name as typed"
    assert readme_heading_and_first_paragraph(project) == (
        answers["project_name"],
        answers["description"],
    )
    assert answers["author_name"] in (project / "LICENSE").read_text()
    lint = subprocess.run(
        [str(RUFF), "check", "--no-cache", "--quiet", "."],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    formatted = subprocess.run(
        [str(RUFF), "format", "--check", "--no-cache", *map(str, named)],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


@clause("Bake", "a refused answer stops the bake before anything is written")
@pytest.mark.parametrize("kind", REFUSED)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_refused_answers_stop_the_bake_before_anything_is_written(cookies, tmpdir, framework, kind):
    answers, _ = REFUSED[kind]
    result = cookies.bake(
        template=str(template_dir(framework)), extra_context={"project_slug": "my_site", **answers}
    )
    assert result.exit_code != 0
    assert type(result.exception).__name__ == "FailedHookException"
    bakes = Path(tmpdir) / "cookies"
    left = [path for path in bakes.rglob("*") if path.parent != bakes]
    assert left == [], f"{kind}: left behind {left}"


def cookiecutter_command(framework, output, answers, typed=None):
    """The real ``cookiecutter`` command: answers on its command line, or typed at its prompts."""
    command = [
        sys.executable,
        "-m",
        "cookiecutter",
        str(ROOT),
        "--directory",
        f"templates/{framework}",
        "-o",
        str(output),
    ]
    if typed is None:
        command += ["--no-input", *(f"{key}={value}" for key, value in answers.items())]
    return subprocess.run(
        command, input=typed, capture_output=True, text=True, encoding="utf-8", timeout=120
    )


@clause("Bake", "the cookiecutter command refuses each kind of bad answer in one line")
@pytest.mark.parametrize("kind", REFUSED)
def test_the_cookiecutter_command_refuses_each_kind_in_one_line(tmp_path, kind):
    """Through the real command (every template runs the one shared hook, and the bake test
    above feeds every kind to every template; each command costs a second or more)."""
    answers, reason = REFUSED[kind]
    framework = FRAMEWORKS[0]
    if "\x00" in "".join(answers.values()):  # no command line holds a NUL: typed instead
        defaults = {
            "project_name": "Acme",
            "project_slug": "my_site",
            "description": "",
            "author_name": "",
            **answers,
        }
        typed = "".join(f"{value}\n" for value in defaults.values()) + "\n" * 5
        result = cookiecutter_command(framework, tmp_path, {}, typed)
    else:
        result = cookiecutter_command(framework, tmp_path, {"project_slug": "my_site", **answers})
    assert result.returncode != 0
    reasons = [line for line in result.stderr.splitlines() if line.startswith("ERROR:")]
    assert reasons == [f"ERROR: {reason}"], result.stderr[-2000:]
    assert list(tmp_path.iterdir()) == [], "the refused bake left a folder behind"


def test_jinja_looking_answers_are_taken_as_typed(tmp_path):
    """At cookiecutter's prompt and through ``webcutter new``, ``{{ }}`` in an answer is text."""
    name, description = HOSTILE["project_name"], HOSTILE["description"]
    typed = f"{name}\nmy_site\n{description}\n" + "\n" * 6
    framework = FRAMEWORKS[0]
    prompted = cookiecutter_command(framework, tmp_path / "prompted", {}, typed)
    assert prompted.returncode == 0, prompted.stdout[-2000:] + prompted.stderr[-2000:]
    command = subprocess.run(
        [
            sys.executable,
            "-m",
            "webcutter",
            "new",
            framework,
            "-o",
            str(tmp_path / "new"),
            "--no-input",
            f"project_name={name}",
            "project_slug=my_site",
            f"description={description}",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert command.returncode == 0, command.stdout[-2000:] + command.stderr[-2000:]
    for project in (tmp_path / "prompted" / "my_site", tmp_path / "new" / "my_site"):
        assert readme_heading_and_first_paragraph(project) == (name, description)
