"""The template set as the tests see it: every framework comes from the root cookiecutter.json."""

import json
from pathlib import Path

from cookiecutter.main import cookiecutter

ROOT = Path(__file__).resolve().parents[2]
SHARED_KEYS = (
    "project_name", "project_slug", "description", "author_name", "author_email",
    "database", "open_source_license", "ci",
)


def frameworks():
    """Framework keys, in the order of the root cookiecutter.json."""
    return list(json.loads((ROOT / "cookiecutter.json").read_text())["templates"])


def template_dir(framework):
    entry = json.loads((ROOT / "cookiecutter.json").read_text())["templates"][framework]
    return (ROOT / entry["path"]).resolve()


def template_context(framework):
    return json.loads((template_dir(framework) / "cookiecutter.json").read_text())


def bake(framework, output_dir, **answers):
    """Generate ``framework``'s project non-interactively, like
    ``cookiecutter <repo> --directory templates/<framework> --no-input key=value ...``."""
    path = cookiecutter(
        str(ROOT),
        directory=str(template_dir(framework).relative_to(ROOT)),
        no_input=True,
        extra_context=answers,
        output_dir=str(output_dir),
    )
    return Path(path)
