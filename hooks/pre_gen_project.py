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
import unicodedata

# Names that are not in sys.stdlib_module_names but would still shadow something a
# project imports or a tool looks for, and the frameworks of the template set.
ALWAYS_RESERVED = {
    "test",
    "tests",
    "conftest",
    "setup",
    "migrations",
    "static",
    "templates",
    "flask",
    "django",
    "pyramid",
    "cherrypy",
    "web2py",
    "gluon",
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The longest answer each free-text question takes (an e-mail address: RFC 5321's 254).
MAX_LENGTHS = {"project_name": 200, "description": 200, "author_name": 200, "author_email": 254}
LINE_SEPARATORS = "\u2028\u2029"


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


def not_one_line(text):
    """The first character that can't be part of one line of text, with what it is, or None.

    Control characters (a newline, a tab, NUL, DEL, C1), the Unicode line and paragraph
    separators, and lone surrogates (bytes the terminal's encoding could not decode).
    """
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc":
            return char, "a control character"
        if char in LINE_SEPARATORS:
            return char, "a line separator"
        if category == "Cs":
            return char, "an undecodable byte"
    return None


def text_error(key, value):
    """Why the answer ``value`` to the question ``key`` can't be written, or None."""
    found = not_one_line(value)
    if found:
        char, what = found
        return f"{key} contains {what} (U+{ord(char):04X}): an answer is one line of text"
    limit = MAX_LENGTHS.get(key)
    if limit is not None and len(value) > limit:
        return f"{key} is {len(value)} characters long: at most {limit}"
    return None


def answer_errors(context):
    """Every refused answer in a cookiecutter context, as one-line reasons (one per answer)."""
    errors = {}
    for key, value in context.items():
        if not key.startswith("_") and isinstance(value, str):
            problem = text_error(key, value)
            if problem:
                errors[key] = problem
    if "project_slug" not in errors:
        slug_problem = slug_error(
            context.get("project_slug", ""),
            context.get("_framework", ""),
            context.get("_reserved_names", ()),
        )
        if slug_problem:
            errors["project_slug"] = slug_problem
    if "project_name" not in errors and not str(context.get("project_name", "")).strip():
        errors["project_name"] = "project_name is empty"
    email = str(context.get("author_email", ""))
    if "author_email" not in errors and not EMAIL.match(email):
        errors["author_email"] = f"author_email {email!r} is not an e-mail address"
    return list(errors.values())


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
