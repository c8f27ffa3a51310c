"""The template set as the tests see it: every framework comes from the root cookiecutter.json.

With ``WEBCUTTER_TEMPLATE=<path of a template folder>`` (what ``webcutter check`` sets) the
suite targets that one template instead, under the name of its folder, whether or not the
root cookiecutter.json lists it yet.
"""

import os
from pathlib import Path

from webcutter import templates as _set
from webcutter.templates import ROOT, SHARED_KEYS, template_context_of

__all__ = [
    "ROOT",
    "SHARED_KEYS",
    "bake",
    "frameworks",
    "single_template",
    "template_context",
    "template_dir",
]
TEMPLATE_ENV = "WEBCUTTER_TEMPLATE"


def single_template():
    """The template folder named by $WEBCUTTER_TEMPLATE, or None."""
    value = os.environ.get(TEMPLATE_ENV)
    return Path(value).resolve() if value else None


def frameworks():
    """Framework keys, in the order of the root cookiecutter.json (or the one checked)."""
    single = single_template()
    return [single.name] if single else _set.frameworks()


def template_dir(framework):
    single = single_template()
    if single and framework == single.name:
        return single
    return _set.template_dir(framework)


def template_context(framework):
    return template_context_of(template_dir(framework))


def bake(framework, output_dir, **answers):
    """Generate ``framework``'s project non-interactively, like
    ``cookiecutter <repo> --directory templates/<framework> --no-input key=value ...``."""
    return _set.bake_template(template_dir(framework), output_dir, answers)
