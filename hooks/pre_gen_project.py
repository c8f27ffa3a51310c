"""Refuse bad answers before cookiecutter writes a single project file.

This file is the one source of the pre-generation hook of every webcutter template:
``templates/<framework>/hooks/pre_gen_project.py`` is a symbolic link to it. Cookiecutter
renders it with Jinja and runs it in the (still empty) project folder; when it exits
non-zero, cookiecutter deletes that folder, so a refused answer leaves nothing behind.
Only the ``__main__`` block holds Jinja, so the functions can be imported and unit-tested.
"""

import json
import keyword
import re
import sys

# Names that are not in sys.stdlib_module_names but would still shadow something a
# project imports or a tool looks for, and the frameworks of the template set.
ALWAYS_RESERVED = {
    "test", "tests", "conftest", "setup", "migrations", "static", "templates",
    "flask", "django", "pyramid", "cherrypy", "web2py", "gluon",
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def slug_error(slug, framework, reserved=()):
    """Return why ``slug`` can't name the project's Python package, or None when it can."""
    if not slug:
        return "project_slug is empty"
    if not slug.isidentifier() or not slug.isascii():
        return f"project_slug {slug!r} is not a valid Python identifier (use letters, digits and _)"
    if slug != slug.lower():
        return f"project_slug {slug!r} must be lower-case"
    if keyword.iskeyword(slug) or keyword.issoftkeyword(slug):
        return f"project_slug {slug!r} is a Python keyword"
    if slug in sys.stdlib_module_names or slug in ALWAYS_RESERVED:
        return f"project_slug {slug!r} would shadow the standard-library or tool module {slug!r}"
    if slug == framework or slug in set(reserved):
        return f"project_slug {slug!r} would shadow {slug!r}, which the {framework} project imports"
    return None


def answer_errors(context):
    """Every refused answer in a cookiecutter context, as one-line reasons."""
    errors = []
    slug_problem = slug_error(
        context.get("project_slug", ""),
        context.get("_framework", ""),
        context.get("_reserved_names", ()),
    )
    if slug_problem:
        errors.append(slug_problem)
    if not str(context.get("project_name", "")).strip():
        errors.append("project_name is empty")
    email = str(context.get("author_email", ""))
    if not EMAIL.match(email):
        errors.append(f"author_email {email!r} is not an e-mail address")
    return errors


def python_warning(context, version_info=sys.version_info):
    """A warning when this Python is not one the framework's project supports."""
    supported = context.get("_python_versions") or []
    running = f"{version_info[0]}.{version_info[1]}"
    if supported and running not in supported:
        return (
            f"WARNING: {context.get('_framework')} projects support Python {', '.join(supported)};"
            f" you are running Python {running}. Create the project's virtual environment with"
            f" a supported Python."
        )
    return None


def main(context):
    errors = answer_errors(context)
    for error in errors:
        print(f"ERROR: {error}", file=sys.stderr)
    if errors:
        return 1
    warning = python_warning(context)
    if warning:
        print(warning, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(r"""{{ cookiecutter | tojson }}""")))
