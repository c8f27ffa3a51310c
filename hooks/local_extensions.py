"""Jinja filters that write an answer into a file of one syntax, so that it reads back as typed.

This file is the one source of the answers' filters of every webcutter template:
``templates/<framework>/local_extensions.py`` is a symbolic link to it, and each template's
``cookiecutter.json`` loads it with ``"_extensions": ["local_extensions.AnswerFilters"]``
(cookiecutter puts the template folder on ``sys.path`` while it renders). A free-text answer
reaches a project file only through the filter of that file's syntax
(``{{ cookiecutter.description | toml_string }}``); ``tests/test_template_set.py`` checks it.

The pre-generation hook has already refused what no syntax can hold on one line (control
characters, line separators); the filters still escape them rather than write them raw.
"""

import re
import unicodedata

from jinja2.ext import Extension

LINE_SEPARATORS = "\u2028\u2029"


def _needs_code_point_escape(char):
    """Control characters, line separators and lone surrogates: written as a ``\\u`` escape with
    the code point's four hex digits (U+2028 as ``\\u2028``)."""
    return unicodedata.category(char) in {"Cc", "Cs"} or char in LINE_SEPARATORS


def _quoted(text, quote):
    """``text`` between ``quote`` characters, with backslash escapes (TOML, YAML and Python
    share this form: ``\\\\``, ``\\"`` and ``\\u`` with four hex digits)."""
    pieces = []
    for char in text:
        if char in {"\\", quote}:
            pieces.append("\\" + char)
        elif _needs_code_point_escape(char):
            pieces.append(f"\\u{ord(char):04x}")
        else:
            pieces.append(char)
    return quote + "".join(pieces) + quote


def toml_string(value):
    """A TOML basic string, with its quotes: ``description = {{ x | toml_string }}``."""
    return _quoted(str(value), '"')


def yaml_string(value):
    """A YAML double-quoted scalar, with its quotes (YAML 1.1 and 1.2)."""
    return _quoted(str(value), '"')


# A literal starting at most this far into its line keeps every line within 100 columns.
PYTHON_MAX_PREFIX = 36
_PYTHON_PIECE = 56  # columns of a literal's text on one line (at most 6 more), counted generously


def _columns(text):
    """An upper bound of the columns ``text`` takes in an editor (and for ruff's E501)."""
    return sum(1 if " " <= char <= "~" else 2 for char in text)


def python_string(value):
    """A Python string literal, with its quotes, as ``ruff format`` writes it.

    Double quotes unless the text holds more double than single quotes (ruff's choice,
    so ``ruff format --check`` stays clean). Characters are written as themselves (an emoji
    stays an emoji, never a surrogate pair); only backslashes, the chosen quote and control
    characters are escaped. Text longer than one line allows continues on the next one with
    a backslash-newline inside the literal, so that, when the literal starts within
    ``PYTHON_MAX_PREFIX`` columns of its line, no line is longer than 100 columns (ruff's
    E501) and ``ruff format`` has nothing to change.
    """
    text = str(value)
    quote = "'" if text.count('"') > text.count("'") else '"'
    units = [_quoted(char, quote)[1:-1] for char in text]  # each character, escaped
    lines, line, width, last_space = [], [], 0, None
    for unit in units:
        line.append(unit)
        width += _columns(unit)
        if unit == " ":
            last_space = len(line)
        if width > _PYTHON_PIECE:
            cut = last_space if last_space and last_space < len(line) else len(line) - 1
            lines.append("".join(line[:cut]))
            line = line[cut:]
            width, last_space = sum(_columns(u) for u in line), None
    lines.append("".join(line))
    return quote + "\\\n".join(lines) + quote


_ENTITY = re.compile(r"&#?[0-9A-Za-z]+;")
_ORDERED_LIST = re.compile(r"\d{1,9}(?=[.)])")
# Inline syntax of CommonMark (and GitHub's ~strikethrough~): escaped wherever it occurs.
_MARKDOWN_INLINE = set("\\`*_[]<~")
# Block syntax: only at the start of a line.
_MARKDOWN_LINE_START = set("#>-+")


def markdown_text(value):
    """Text for a Markdown heading or paragraph that renders exactly as typed.

    Only what CommonMark (and GitHub's strikethrough) would read as syntax gets a backslash:
    emphasis, code, links, raw HTML, entity references, a block marker at the start and a
    heading's closing ``#``. Plain names stay verbatim. Spaces at either end, which Markdown
    would drop, are written as ``&#32;``.
    """
    text = str(value)
    core = text.strip(" ")
    if not core:
        return "&#32;" * len(text)
    lead = len(text) - len(text.lstrip(" "))
    trail = len(text) - len(text.rstrip(" "))
    pieces = []
    for index, char in enumerate(core):
        if (
            char in _MARKDOWN_INLINE
            or (char == "&" and _ENTITY.match(core, index))
            or (index == 0 and char in _MARKDOWN_LINE_START)
            or (index == len(core) - 1 and char == "#")
        ):
            pieces.append("\\" + char)
        elif _needs_code_point_escape(char):
            pieces.append(f"&#x{ord(char):x};")
        else:
            pieces.append(char)
    escaped = "".join(pieces)
    number = _ORDERED_LIST.match(escaped)
    if number:  # "1. " or "2024) " would start an ordered list
        escaped = escaped[: number.end()] + "\\" + escaped[number.end() :]
    return "&#32;" * lead + escaped + "&#32;" * trail


def ini_value(value):
    """A value for an ini file read by configparser with interpolation (PasteDeploy, alembic,
    logging): ``%`` doubled. Such a file has no quoting, so a value can't hold a line break,
    and configparser drops spaces at either end."""
    text = str(value)
    if any(_needs_code_point_escape(char) for char in text):
        raise ValueError(f"{text!r} can't be written on one line of an ini file")
    return text.replace("%", "%%")


class AnswerFilters(Extension):
    """The filters above, registered in cookiecutter's Jinja environment."""

    FILTERS = {
        "toml_string": toml_string,
        "yaml_string": yaml_string,
        "python_string": python_string,
        "markdown_text": markdown_text,
        "ini_value": ini_value,
    }

    def __init__(self, environment):
        super().__init__(environment)
        environment.filters.update(self.FILTERS)
