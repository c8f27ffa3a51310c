"""A concept's code as the report shows it: its language from the file type, highlighted with
Pygments for HTML and the terminal, fenced for Markdown.

Pygments is imported only when something is highlighted, so ``webcutter`` starts quickly.
"""

import re
from pathlib import Path

TEMPLATE_SUFFIXES = {".html", ".htm", ".jinja2", ".jinja", ".j2"}
# web2py views run Python between {{ }}: {{=value}}, {{extend ...}}, {{for ...:}} ... {{pass}}
WEB2PY_VIEW = re.compile(r"\{\{\s*(=|extend\b|include\b|pass\b|end\b|for\b|if\b|block\b)")
DJANGO_TAGS = re.compile(r"\{%-?\s*(load|csrf_token|url)\b")
BY_SUFFIX = {
    ".py": "python",
    ".ini": "ini",
    ".cfg": "ini",
    ".conf": "ini",
    ".toml": "toml",
    ".txt": "text",
    ".json": "json",
    ".yml": "yaml",
    ".yaml": "yaml",
    ".mako": "mako",
    ".sh": "sh",
}
CSS_CLASS = "hl"
STYLE = "default"


def language(file, code=""):
    """The Pygments lexer alias (also a Markdown fence's language) of a snippet of ``file``."""
    path = Path(file)
    if path.name == "Procfile":
        return "procfile"
    suffix = path.suffix.lower()
    if suffix in TEMPLATE_SUFFIXES:
        if WEB2PY_VIEW.search(code):
            return "html"  # no lexer knows web2py's template language: its HTML is highlighted
        if "{%" in code or "{{" in code:
            return "html+django" if DJANGO_TAGS.search(code) else "html+jinja"
        return "html"
    return BY_SUFFIX.get(suffix, "text")


def _lexer(alias):
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(alias, stripnl=False, ensurenl=True)
    except ClassNotFound:
        return get_lexer_by_name("text", stripnl=False, ensurenl=True)


def html(code, alias, first_line=1):
    """The snippet as highlighted HTML: a ``<pre>`` whose line numbers are the file's."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter

    formatter = HtmlFormatter(
        cssclass=CSS_CLASS, style=STYLE, linenos="inline", linenostart=first_line, wrapcode=True
    )
    return highlight(code, _lexer(alias), formatter)


def css():
    """The highlighting's style sheet, scoped to the snippets (to inline in the page)."""
    from pygments.formatters import HtmlFormatter

    rules = HtmlFormatter(cssclass=CSS_CLASS, style=STYLE).get_style_defs(f".{CSS_CLASS}")
    # Pygments adds a few unscoped rules (pre, line numbers): keep only the page's own.
    return "\n".join(line for line in rules.splitlines() if line.startswith(f".{CSS_CLASS}"))


def terminal(code, alias):
    """The snippet highlighted with ANSI colours for a terminal."""
    from pygments import highlight
    from pygments.formatters import TerminalFormatter

    return highlight(code, _lexer(alias), TerminalFormatter()).rstrip("\n")


def fence(code, alias):
    """A Markdown fenced code block, its fence longer than any run of backticks in ``code``."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}{alias}\n{code}\n{marks}"
