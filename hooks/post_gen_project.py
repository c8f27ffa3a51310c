"""Finish a freshly generated project: secrets, local settings and choice clean-up.

This file is the one source of the post-generation hook of every webcutter template:
``templates/<framework>/hooks/post_gen_project.py`` is a symbolic link to it. Cookiecutter
renders it with Jinja and runs it with the new project folder as working directory.
Only the ``__main__`` block holds Jinja, so the functions can be imported and unit-tested.
"""

import json
import secrets
import shutil
import sys
from pathlib import Path


def new_secret_key():
    """A random secret with 48 bytes (384 bits) of entropy, safe inside a .env file."""
    return secrets.token_urlsafe(48)


def local_settings(context, secret_key):
    """The values the generated .env gets on top of .env.example."""
    values = {"SECRET_KEY": secret_key, "SECURE_COOKIES": "false"}
    if context.get("database") == "postgresql":
        values["DATABASE_URL"] = f"postgresql://localhost/{context['project_slug']}"
    return values


def render_env(example, values):
    """Fill ``values`` into the text of .env.example, keeping its comments and order.

    A ``KEY=`` line (or a commented-out ``# KEY=`` line) for a key in ``values`` gets the
    new value; keys the example does not mention are appended.
    """
    pending = dict(values)
    lines = []
    for line in example.splitlines():
        key = line.lstrip("# ").split("=", 1)[0].strip() if "=" in line else None
        if key in pending:
            lines.append(f"{key}={pending.pop(key)}")
        else:
            lines.append(line)
    lines.extend(f"{key}={value}" for key, value in pending.items())
    return "\n".join(lines) + "\n"


def remove_unchosen(project, context):
    """Delete the files that belong to choices the user did not make."""
    if context.get("ci") != "github":
        shutil.rmtree(project / ".github", ignore_errors=True)


def main(context, project=Path(".")):
    # Shipped without its dot so that git does not apply it to the template repository itself.
    (project / "gitignore").rename(project / ".gitignore")
    example = project / ".env.example"
    env = project / ".env"
    env.write_text(render_env(example.read_text(), local_settings(context, new_secret_key())))
    env.chmod(0o600)
    remove_unchosen(project, context)
    # cookiecutter sets _output_dir; cruft does not, and renders the project again in temporary
    # folders for every `cruft update` and `cruft diff`, where this line would only be noise.
    if "_output_dir" in context:
        print(
            f"Created {context['project_slug']}/ ({context['_framework']}). "
            f"Next: cd {context['project_slug']} and follow the Quick start in README.md."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(r"""{{ cookiecutter | tojson }}""")))
