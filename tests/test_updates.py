"""Generated projects follow their template: `cruft update` from one template commit to the next.

Every test makes a throw-away git repository of this template set (commit A: the working tree as
it is now), creates a project from it with `cruft create` or `webcutter new`, commits the project,
commits a user's change, adds a template commit B and updates the project. B changes the notes
model and adds its migration (web2py: a new field in its DAL model), adds a file, and changes
`.env.example` and the CI workflow; it is what a real template change looks like, so the
project's own "models and migrations agree" test checks that the migration arrived whole.

The slow test (create, build the project's .venv, release, update, release, the project's own
tests) runs once per framework, `cruft` and `webcutter` side by side on one template commit B;
under pytest-xdist the frameworks spread over the workers like every other test.
"""

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.templates import ROOT, bake, frameworks, template_context, template_dir

from webcutter.runtime import build_venv, project_env, release

FRAMEWORKS = frameworks()
TOOLS = ("cruft", "webcutter")
BIN = Path(sys.executable).parent
SLUG = "acme_notes"
ANSWERS = {
    "project_name": "Acme Notes",
    "author_name": "Ada Lovelace",
    "open_source_license": "Apache-2.0",
}
# What every generated pyproject.toml tells cruft to leave alone, on top of the framework's own
# local paths (its cookiecutter.json `_gitignore`).
LOCAL_PATHS = [
    ".env",
    ".venv",
    ".pytest_cache",
    ".ruff_cache",
    "**/__pycache__",
    "*.sqlite3",
    "*.sqlite3-*",
    "*.db",
]
WEBCUTTER = (sys.executable, "-m", "webcutter")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada Lovelace",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada Lovelace",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
}

USER_README = "\n## Team notes\n\nWe deploy on Tuesdays, after the backup.\n"
USER_MODEL = "\n# Team note: keep the models small.\n"
TEMPLATE_README = "\n## Support\n\nAsk in the team channel.\n"
TEMPLATE_ENV = (
    "\n# How many notes a page lists (added by the template's next commit).\n# PAGE_SIZE=50\n"
)
TEMPLATE_CI = "# The template's next commit changed this workflow.\n"
NEW_FILE = "docs/deploying.md"
NEW_FILE_TEXT = "# Deploying\n\nRun the Procfile's `release` before every deploy.\n"


@dataclass(frozen=True)
class Migration:
    """How template commit B gives notes a `color` column, in one framework's terms.

    Paths are inside the project, ``{slug}`` standing for the package. ``anchor`` is a line of
    the model file, and ``field`` the new line that goes right before (``before``) or after it.
    """

    model: str
    anchor: str
    field: str
    table: str
    # The migration files; none in web2py, where the DAL model is the migration.
    folder: str | None = None
    before: bool = False


ALEMBIC_NOTE = Migration(
    model="{slug}/models.py",
    anchor='    body: Mapped[str] = mapped_column(Text, default="")\n',
    field="    color: Mapped[str | None] = mapped_column(String(20))\n",
    table="notes",
    folder="migrations/versions",
)
MIGRATIONS = {
    "flask": ALEMBIC_NOTE,
    "cherrypy": ALEMBIC_NOTE,
    "pyramid": Migration(
        model="{slug}/models/note.py",
        anchor=ALEMBIC_NOTE.anchor,
        field=ALEMBIC_NOTE.field,
        table="notes",
        folder="{slug}/alembic/versions",
    ),
    "django": Migration(
        model="notes/models.py",
        anchor="    body = models.TextField(max_length=rules.BODY_MAX_LENGTH, blank=True)\n",
        field='    color = models.CharField(max_length=20, blank=True, default="")\n',
        table="notes_note",
        folder="notes/migrations",
    ),
    "web2py": Migration(
        model="applications/{slug}/models/notes.py",
        anchor='    Field("created_on", "datetime", default=request.utcnow, writable=False, '
        "readable=False),\n)\n",
        field='    Field("color", length=20, default="", label="Colour"),\n',
        table="note",
        before=True,
    ),
}

ALEMBIC_REVISION = '''"""Give notes a colour.

Revision ID: {revision}
Revises: {down}
Create Date: 2026-12-02 00:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("notes", sa.Column("color", sa.String(length=20), nullable=True))


def downgrade():
    op.drop_column("notes", "color")
'''
DJANGO_MIGRATION = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notes", "{down}")]

    operations = [
        migrations.AddField(
            model_name="note",
            name="color",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
    ]
"""


def run(command, cwd, env=None, check=True, timeout=600):
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**(env or os.environ), **GIT_ENV},
    )
    if check:
        assert result.returncode == 0, (
            f"{command} failed in {cwd}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return result


def git(folder, *args, check=True):
    return run(["git", "-c", "commit.gpgsign=false", *args], folder, check=check).stdout


def commit_all(folder, message):
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", message)
    return git(folder, "rev-parse", "HEAD").strip()


def changed_paths(project):
    """The paths `git status` reports, with their two-letter codes."""
    lines = git(project, "status", "--porcelain", "--untracked-files=all").splitlines()
    return {line[3:]: line[:2] for line in lines}


@pytest.fixture(scope="session")
def pristine_template_set(tmp_path_factory):
    """Commit A: this checkout's working tree (as it is, uncommitted changes and all), in a git
    repository of its own, with its symbolic links."""
    folder = tmp_path_factory.mktemp("template-set") / "webcutter"
    shutil.copytree(
        ROOT,
        folder,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "__pycache__", ".pytest_cache", ".ruff_cache"
        ),
    )
    git(folder, "init", "-q", "-b", "main")
    commit_all(folder, "A: the template set as it is")
    assert (folder / "templates" / "flask" / "hooks" / "post_gen_project.py").is_symlink()
    return folder


class TemplateSet:
    """A clone of commit A that a test can add commits to."""

    def __init__(self, folder, framework):
        self.path = folder
        self.framework = framework
        self.directory = str(template_dir(framework).relative_to(ROOT))
        self.commit_a = git(folder, "rev-parse", "HEAD").strip()

    def project_file(self, relative):
        """A file of the framework's project template (``{slug}`` in ``relative``)."""
        slug = "{{cookiecutter.project_slug}}"
        return self.path / self.directory / slug / relative.format(slug=slug)

    def append(self, relative, text):
        path = self.project_file(relative)
        path.write_text(path.read_text() + text)

    def commit_b(self, readme=False):
        """Template commit B; ``readme`` also adds a section at the end of README.md (where the
        user adds theirs). Returns B's commit and the new migration's project path."""
        migration = MIGRATIONS[self.framework]
        model = self.project_file(migration.model)
        text = model.read_text()
        assert text.count(migration.anchor) == 1, f"{model} changed: update MIGRATIONS"
        change = (
            migration.field + migration.anchor
            if migration.before
            else migration.anchor + migration.field
        )
        model.write_text(text.replace(migration.anchor, change))
        added = None
        if migration.folder:
            name, content = self.next_migration(self.project_file(migration.folder))
            (self.project_file(migration.folder) / name).write_text(content)
            added = f"{migration.folder}/{name}"
        self.append(".env.example", TEMPLATE_ENV)
        self.project_file(NEW_FILE).parent.mkdir(parents=True, exist_ok=True)
        self.project_file(NEW_FILE).write_text(NEW_FILE_TEXT)
        workflow = self.path / "common" / ".github" / "workflows" / "ci.yml"
        workflow.write_text(TEMPLATE_CI + workflow.read_text())
        if readme:
            self.append("README.md", TEMPLATE_README)
        return commit_all(self.path, "B: notes get a colour"), added

    def next_migration(self, folder):
        """The file of a migration that follows the template's newest one."""
        if self.framework == "django":
            shipped = sorted(path.stem for path in folder.glob("[0-9][0-9][0-9][0-9]_*.py"))
            number = int(shipped[-1][:4]) + 1
            return f"{number:04d}_note_color.py", DJANGO_MIGRATION.format(down=shipped[-1])
        revisions, parents = set(), set()
        for path in folder.glob("*.py"):
            source = path.read_text()
            revisions |= set(re.findall(r'^revision = "([^"]+)"', source, re.M))
            parents |= set(re.findall(r'^down_revision = "([^"]+)"', source, re.M))
        (head,) = revisions - parents  # one head: the newest shipped revision
        # Named as `alembic revision` names it by the template's file_template (the projects'
        # own tests check that every revision is).
        return "20261202_9000_note_color.py", ALEMBIC_REVISION.format(revision="9000", down=head)


@pytest.fixture
def template_set(pristine_template_set, tmp_path, request):
    folder = tmp_path / "webcutter"
    git(tmp_path, "clone", "-q", str(pristine_template_set), str(folder))
    return TemplateSet(folder, request.node.callspec.params["framework"])


def create(tool, templates, output_dir, answers):
    """A project of commit A, made the way a user of ``tool`` makes it."""
    output_dir.mkdir(parents=True, exist_ok=True)
    if tool == "cruft":
        run(
            [
                BIN / "cruft",
                "create",
                templates.path,
                "--directory",
                templates.directory,
                "--no-input",
                "--output-dir",
                output_dir,
                "--extra-context",
                json.dumps(answers),
            ],
            output_dir,
        )
    else:
        run(
            [
                *WEBCUTTER,
                "new",
                templates.framework,
                "--no-input",
                "-o",
                output_dir,
                *(f"{key}={value}" for key, value in answers.items()),
            ],
            output_dir,
            env={**os.environ, "WEBCUTTER_ROOT": str(templates.path)},
        )
    project = output_dir / SLUG
    record = json.loads((project / ".cruft.json").read_text())
    assert record["template"] == str(templates.path)
    assert record["commit"] == templates.commit_a
    assert record["directory"] == templates.directory
    assert {key: record["context"]["cookiecutter"][key] for key in answers} == answers
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "A new project")
    return project


def diff(tool, project):
    if tool == "cruft":
        return run([BIN / "cruft", "diff", "--exit-code"], project, check=False)
    return run(
        [*WEBCUTTER, "diff", "--exit-code", project],
        project.parent,
        check=False,
    )


def update(tool, project):
    if tool == "cruft":
        return run([BIN / "cruft", "update", "-y"], project, check=False)
    return run([*WEBCUTTER, "update", "-y", project], project.parent, check=False)


def up_to_date(project):
    """`cruft check`, in this process (cruft's start-up costs a second a call)."""
    import cruft

    return cruft.check(project_dir=project)


def user_change(project, framework):
    """The user's own commit: a section in README.md, a line at the end of the model file."""
    (project / "README.md").write_text((project / "README.md").read_text() + USER_README)
    model = project / MIGRATIONS[framework].model.format(slug=SLUG)
    model.write_text(model.read_text() + USER_MODEL)
    commit_all(project, "Our own notes")


def local_state(project):
    """Every file git ignores in the project (.env, the database, .venv, caches), with its
    content's digest and mode (size and mtime in .venv)."""
    names = git(project, "ls-files", "--others", "--ignored", "--exclude-standard", "-z")
    state = {}
    for name in filter(None, names.split("\0")):
        path = project / name
        info = path.lstat()
        if path.is_symlink():
            state[name] = os.readlink(path)
        elif name.startswith(".venv/"):
            state[name] = (info.st_size, info.st_mtime_ns)
        else:
            state[name] = (hashlib.sha256(path.read_bytes()).hexdigest(), info.st_mode)
    return state


def sqlite_columns(project, table):
    """The columns of ``table`` in the project's SQLite database, wherever the template puts it."""
    for path in project.rglob("*"):
        if ".venv" in path.relative_to(project).parts or not path.is_file():
            continue
        with open(path, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\0":
                continue
        with contextlib.closing(sqlite3.connect(path)) as connection:
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
        if columns:
            return columns
    raise AssertionError(f"no SQLite database with a {table} table in {project}")


def tracked_files(project):
    """Path -> blob of every file committed in the project."""
    lines = git(project, "ls-tree", "-r", "HEAD").splitlines()
    return {line.split("\t", 1)[1]: line.split()[2] for line in lines}


def rejects(project):
    return sorted(str(path.relative_to(project)) for path in project.rglob("*.rej"))


def answers_of(project):
    context = json.loads((project / ".cruft.json").read_text())["context"]["cookiecutter"]
    return {key: value for key, value in context.items() if not key.startswith("_")}


def assert_b_arrived(project, framework, added):
    migration = MIGRATIONS[framework]
    model = (project / migration.model.format(slug=SLUG)).read_text()
    assert migration.field in model, "the template's model change is missing"
    assert model.endswith(USER_MODEL), "the user's line in the model file is lost"
    if added:
        assert "color" in (project / added.format(slug=SLUG)).read_text()
    assert (project / ".env.example").read_text().endswith(TEMPLATE_ENV)
    assert (project / NEW_FILE).read_text() == NEW_FILE_TEXT


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_an_update_brings_the_template_commit_and_keeps_the_users_work(
    template_set, tmp_path, framework
):
    """The same story twice, side by side: `cruft create` and `cruft update`, `webcutter new` and
    `webcutter update`. Both end with the same files, so the project's own tests run once."""
    table = MIGRATIONS[framework].table
    projects, envs, local = {}, {}, {}
    for tool in TOOLS:
        project = projects[tool] = create(tool, template_set, tmp_path / tool, ANSWERS)
        # A render of the recorded commit, both hooks included, gives the project back: nothing
        # in it is random but .env, which the skip list keeps out.
        same = diff(tool, project)
        assert same.returncode == 0 and same.stdout == "", f"{tool}: {same.stdout}{same.stderr}"
        envs[tool] = project_env(build_venv(project, "-e", ".[dev]"))
        release(project, envs[tool])  # a database, at commit A
        run(["ruff", "check", "."], project, envs[tool])  # and a cache
        assert changed_paths(project) == {}, "running the project left files git does not ignore"
        assert "color" not in sqlite_columns(project, table)
        user_change(project, framework)
        changed = diff(tool, project)
        assert changed.returncode == 1 and "\n-We deploy on Tuesdays" in changed.stdout, tool
        local[tool] = local_state(project)
        assert {".env", ".venv/pyvenv.cfg"} <= set(local[tool])
        assert any(name.startswith(".ruff_cache/") for name in local[tool])
    commit_b, added = template_set.commit_b()
    expected = {
        ".cruft.json",
        MIGRATIONS[framework].model.format(slug=SLUG),
        ".env.example",
        NEW_FILE,
        ".github/workflows/ci.yml",
    }
    if added:
        expected.add(added.format(slug=SLUG))

    for tool, project in projects.items():
        assert not up_to_date(project)  # behind the template
        result = update(tool, project)
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"{tool}: {output}"
        assert "conflict" not in output.lower(), f"{tool}: {output}"
        assert rejects(project) == []
        assert local_state(project) == local[tool], ".env, the database, .venv or a cache changed"
        assert set(changed_paths(project)) == expected, tool
        assert_b_arrived(project, framework, added)
        assert (project / ".github" / "workflows" / "ci.yml").read_text().startswith(TEMPLATE_CI)
        assert git(project, "diff", "HEAD", "--", "README.md") == "", "the user's README changed"
        assert json.loads((project / ".cruft.json").read_text())["commit"] == commit_b
        assert {key: answers_of(project)[key] for key in ANSWERS} == ANSWERS
        assert up_to_date(project)
        commit_all(project, "Update from the template")
        release(project, envs[tool])  # the new migration applies
        assert "color" in sqlite_columns(project, table), tool

    assert tracked_files(projects["webcutter"]) == tracked_files(projects["cruft"])
    project, env = projects["cruft"], envs["cruft"]
    tests = run(["pytest", "-q", "-p", "no:cacheprovider"], project, env, check=False)
    assert tests.returncode == 0, tests.stdout[-6000:] + tests.stderr[-3000:]
    assert re.search(r"\d+ passed", tests.stdout)
    run(["ruff", "check", "--no-cache", "."], project, env)


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_change_to_the_lines_the_user_changed_is_a_reported_conflict(
    template_set, tmp_path, framework, tool
):
    project = create(tool, template_set, tmp_path, ANSWERS)
    env_file = (project / ".env").read_bytes()
    user_change(project, framework)
    commit_b, added = template_set.commit_b(readme=True)

    result = update(tool, project)

    output = result.stdout + result.stderr
    readme = (project / "README.md").read_text()
    assert re.search(
        r"<<<<<<< .*\n## Team notes\n.*\n=======\n.*## Support\n.*>>>>>>> ", readme, re.S
    ), readme[-600:]
    assert changed_paths(project)["README.md"] == "UU"
    if tool == "cruft":  # cruft passes git's words on, and exits 0
        assert "Applied patch to 'README.md' with conflicts." in output, output
        assert result.returncode == 0
    else:  # webcutter names what is left to resolve, and fails
        assert result.returncode == 1, output
        assert "README.md (conflict markers)" in result.stderr, output
    assert_b_arrived(project, framework, added)
    assert rejects(project) == []
    assert (project / ".env").read_bytes() == env_file
    assert json.loads((project / ".cruft.json").read_text())["commit"] == commit_b


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_an_update_keeps_the_answers(template_set, tmp_path, framework):
    """ci=none stays without .github/; the licence, the database and the slug stay as answered."""
    answers = {
        **ANSWERS,
        "ci": "none",
        "database": "postgresql",
        "open_source_license": "GPL-3.0-only",
    }
    project = create("cruft", template_set, tmp_path, answers)
    assert not (project / ".github").exists()
    env_file = (project / ".env").read_bytes()
    assert f"DATABASE_URL=postgresql://localhost/{SLUG}" in env_file.decode()
    user_change(project, framework)
    _, added = template_set.commit_b()

    result = update("cruft", project)

    assert result.returncode == 0, result.stdout + result.stderr
    assert_b_arrived(project, framework, added)
    assert not (project / ".github").exists()
    assert not any(".github" in path for path in changed_paths(project))
    assert {key: answers_of(project)[key] for key in answers} == answers
    assert answers_of(project)["project_slug"] == SLUG
    assert "GNU GENERAL PUBLIC LICENSE" in (project / "LICENSE").read_text()
    assert 'license = "GPL-3.0-only"' in (project / "pyproject.toml").read_text()
    assert (project / ".env").read_bytes() == env_file
    assert not (tmp_path / "my_site").exists() and not (project / "my_site").exists()


@pytest.mark.parametrize("framework", ["flask"])
def test_a_name_that_looks_like_jinja_follows_the_template(template_set, tmp_path, framework):
    """cruft renders the recorded answers as Jinja at every diff and update: `webcutter new`
    records a name holding `{{ }}` or `{% %}` so that it renders back to itself."""
    name = "Zoë's {{ not jinja }} {% raw %} notes"
    output_dir = tmp_path / "out"
    output_dir.mkdir()
    run(
        [
            *WEBCUTTER,
            "new",
            framework,
            "--no-input",
            "-o",
            output_dir,
            f"project_name={name}",
            f"project_slug={SLUG}",
        ],
        output_dir,
        env={**os.environ, "WEBCUTTER_ROOT": str(template_set.path)},
    )
    project = output_dir / SLUG
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "A new project")
    assert diff("webcutter", project).returncode == 0
    user_change(project, framework)
    _, added = template_set.commit_b()
    result = update("webcutter", project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert_b_arrived(project, framework, added)
    assert name in (project / SLUG / "config.py").read_text()


def test_webcutter_new_says_when_the_template_has_uncommitted_changes(
    pristine_template_set, tmp_path
):
    """cruft sees only commits: a change on disk is baked, but the project is not linked."""
    clone = tmp_path / "webcutter"
    git(tmp_path, "clone", "-q", str(pristine_template_set), str(clone))
    env = {**os.environ, "WEBCUTTER_ROOT": str(clone)}
    (clone / "README.md").write_text("Not part of any template.\n")  # no effect on a template
    linked = run(
        [*WEBCUTTER, "new", "flask", "--no-input", "-o", tmp_path / "linked"], tmp_path, env
    )
    assert "warning" not in linked.stderr and "It follows the template" in linked.stdout
    assert (tmp_path / "linked" / "my_site" / ".cruft.json").is_file()

    editorconfig = clone / "common" / ".editorconfig"  # reached through a link of the template
    editorconfig.write_text(editorconfig.read_text() + "# local tweak\n")
    result = run(
        [*WEBCUTTER, "new", "flask", "--no-input", "-o", tmp_path / "unlinked"], tmp_path, env
    )
    project = tmp_path / "unlinked" / "my_site"
    assert "common/.editorconfig" in result.stderr and "NOT linked" in result.stderr
    assert (project / ".editorconfig").read_text().endswith("# local tweak\n")
    assert not (project / ".cruft.json").exists()

    refused = run([*WEBCUTTER, "update", project], tmp_path, env, check=False)
    assert refused.returncode == 2
    assert refused.stderr.startswith("webcutter: ") and "has no .cruft.json" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_skip_list_names_everything_local_to_a_checkout(tmp_path, framework):
    project = bake(framework, tmp_path)
    skip = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["cruft"]["skip"]
    own = [pattern.rstrip("/") for pattern in template_context(framework).get("_gitignore", [])]
    assert skip == LOCAL_PATHS + own
