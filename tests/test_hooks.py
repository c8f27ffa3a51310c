"""Unit tests of the shared hook logic and the answers' Jinja filters (hooks/*.py, imported
without Jinja rendering)."""

import ast
import configparser
import importlib.util
import random
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from support.answers import HOSTILE, LONGEST, REFUSED
from support.markdown import Rendered
from support.templates import ROOT


def load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pre = load("pre_gen_project")
post = load("post_gen_project")
filters = load("local_extensions")
RUFF = Path(sys.executable).with_name("ruff")
# Text that is hard on every syntax: quotes, escapes, braces, markup, non-ASCII, emoji.
AWKWARD = [
    *HOSTILE.values(),
    *LONGEST.values(),
    "",
    " ",
    "'",
    '"',
    "\\",
    '\\"',
    "'\"'\"",
    "#",
    "C#",
    "# #",
    "1. one",
    "2024) two",
    "- item",
    "+ item",
    "> quote",
    "---",
    "***",
    "&amp; &#35; &copy; &",
    "<b>x</b>",
    "<!-- c -->",
    "`a`",
    "``",
    "**b**",
    "_i_",
    "a_b_c",
    "[a](b)",
    "![i](s)",
    "~~s~~",
    "    four spaces",
    " edges ",
    "我的项目 🎉👩‍💻 é",
    "\x00\t\n\u2028\x7f\x85",
]


@pytest.mark.parametrize(
    ("slug", "reason"),
    [
        ("flask", "shadow"),
        ("django", "shadow"),
        ("test", "shadow"),
        ("site", "shadow"),
        ("class", "keyword"),
        ("match", "keyword"),
        ("my-project", "identifier"),
        ("1abc", "identifier"),
        ("My_Site", "lower-case"),
        ("", "empty"),
        ("café", "identifier"),
        ("sqlalchemy", "shadow"),
        ("json", "shadow"),
        ("tests", "shadow"),
    ],
)
def test_bad_slugs_are_refused_with_a_reason(slug, reason):
    error = pre.slug_error(slug, "flask", ["sqlalchemy"] if slug != "django" else ["django"])
    assert error is not None and reason in error


@pytest.mark.parametrize("slug", ["my_site", "notes2", "acme_web"])
def test_good_slugs_pass(slug):
    assert pre.slug_error(slug, "flask", ["flask_login"]) is None


@pytest.mark.parametrize("kind", REFUSED)
def test_each_refused_kind_of_answer_gets_one_line_naming_it(kind):
    answers, reason = REFUSED[kind]
    context = {
        "project_name": "Acme",
        "project_slug": "acme",
        "description": "d",
        "author_name": "A",
        "author_email": "a@b.co",
        "_framework": "flask",
        **answers,
    }
    assert pre.answer_errors(context) == [reason]


@pytest.mark.parametrize("answers", [HOSTILE, LONGEST], ids=["hostile", "longest"])
def test_hostile_but_legal_answers_pass(answers):
    assert pre.answer_errors({"project_slug": "acme", "_framework": "flask", **answers}) == []


def test_an_answer_with_several_problems_gets_one_line():
    context = {
        "project_slug": "acme",
        "_framework": "flask",
        "author_email": "a@b.co",
        "project_name": "x\n" * 150,
    }
    assert pre.answer_errors(context) == [
        "project_name contains a control character (U+000A): an answer is one line of text"
    ]


def test_answer_errors_cover_name_and_email():
    context = {
        "project_slug": "ok",
        "_framework": "flask",
        "project_name": " ",
        "author_email": "nobody",
    }
    errors = pre.answer_errors(context)
    assert any("project_name" in e for e in errors)
    assert any("author_email" in e for e in errors)


def test_python_warning_only_for_unsupported_versions():
    context = {"_framework": "web2py", "_python_versions": ["3.11"]}
    assert pre.python_warning(context, (3, 11, 7)) is None
    assert "3.11" in pre.python_warning(context, (3, 12, 1))


def test_main_exits_non_zero_with_one_line(capsys):
    assert (
        pre.main(
            {
                "project_slug": "flask",
                "_framework": "flask",
                "project_name": "x",
                "author_email": "a@b.co",
            }
        )
        == 1
    )
    assert capsys.readouterr().err.count("\n") == 1


def test_secret_keys_are_long_and_fresh():
    keys = {post.new_secret_key() for _ in range(20)}
    assert len(keys) == 20
    assert all(len(key) >= 64 for key in keys)  # 48 random bytes, base64url


def test_render_env_fills_values_and_keeps_comments():
    example = "# comment\nSECRET_KEY=\n# DATABASE_URL=\nDEBUG=false\n"
    rendered = post.render_env(
        example, {"SECRET_KEY": "s3", "DATABASE_URL": "postgresql://x/y", "EXTRA": "1"}
    )
    assert rendered == (
        "# comment\nSECRET_KEY=s3\nDATABASE_URL=postgresql://x/y\nDEBUG=false\nEXTRA=1\n"
    )


def test_local_settings_per_database():
    sqlite = post.local_settings({"database": "sqlite", "project_slug": "s"}, "k")
    assert sqlite == {"SECRET_KEY": "k", "SECURE_COOKIES": "false"}
    pg = post.local_settings({"database": "postgresql", "project_slug": "s"}, "k")
    assert pg["DATABASE_URL"] == "postgresql://localhost/s"


@pytest.mark.parametrize(
    ("runner", "speaks"),
    [({"_output_dir": "/out"}, True), ({}, False)],
    ids=["cookiecutter", "cruft"],
)
def test_main_finishes_the_project_and_is_quiet_under_cruft(tmp_path, capsys, runner, speaks):
    """cruft renders the project again for every update and diff: no hint on those renders."""
    (tmp_path / "gitignore").write_text(".env\n")
    (tmp_path / ".env.example").write_text("SECRET_KEY=\nDEBUG=false\n")
    (tmp_path / ".github").mkdir()
    context = {
        "project_slug": "s",
        "_framework": "flask",
        "database": "sqlite",
        "ci": "none",
        **runner,
    }
    assert post.main(context, tmp_path) == 0
    assert (tmp_path / ".gitignore").is_file() and not (tmp_path / ".github").exists()
    assert (tmp_path / ".env").read_text().startswith("SECRET_KEY=")
    assert ("Next: cd s and follow the Quick start" in capsys.readouterr().out) is speaks


@pytest.mark.parametrize("text", AWKWARD)
def test_toml_string_reads_back_as_typed(text):
    assert tomllib.loads(f"value = {filters.toml_string(text)}\n")["value"] == text


@pytest.mark.parametrize("text", AWKWARD)
def test_yaml_string_reads_back_as_typed(text):
    assert yaml.safe_load(f"value: {filters.yaml_string(text)}\n")["value"] == text


@pytest.mark.parametrize("text", [t for t in AWKWARD if pre.not_one_line(t) is None])
def test_ini_value_reads_back_as_typed(text):
    parser = configparser.ConfigParser()
    parser.read_string(f"[app:main]\nvalue = {filters.ini_value(text)}\n")
    assert parser.get("app:main", "value") == text.strip(" ")  # ini has no quoting


def test_ini_value_refuses_a_line_break():
    with pytest.raises(ValueError):
        filters.ini_value("two\nlines")


def test_python_string_is_the_literal_ruff_format_writes(tmp_path):
    """Each text as a literal, at module level and at the column of a dict value: it reads
    back as typed, ``ruff format`` changes nothing and ``ruff check`` (E501 at 100) is clean."""
    rng = random.Random(14)
    texts = AWKWARD + [
        "".join(rng.choice("ab '\"\\é我🎉 ") for _ in range(rng.randint(0, 200)))
        for _ in range(200)
    ]
    lines = []
    for number, text in enumerate(texts):
        literal = filters.python_string(text)
        assert ast.literal_eval(literal) == text
        assert "\\ud83c" not in literal and "\\U" not in literal, "emoji stay themselves"
        lines += [
            f"NAME_{number} = {literal}\n\n\n",
            f'def settings_{number}():\n    return {{\n        "PROJECT_NAME": {literal},'
            "\n    }\n\n\n",
        ]
    module = tmp_path / "literals.py"
    module.write_text("".join(lines).rstrip() + "\n")
    for command in (["format", "--check", "--diff"], ["check", "--select", "E,W,F,UP,B,SIM,S"]):
        result = subprocess.run(
            [str(RUFF), *command, "--no-cache", "--isolated", "--line-length", "100", str(module)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr


def test_python_string_prefers_double_quotes_like_ruff():
    assert filters.python_string("Zoë's") == '"Zoë\'s"'
    assert filters.python_string('say "hi"') == "'say \"hi\"'"
    assert filters.python_string("🎉") == '"🎉"'


def test_markdown_text_renders_exactly_as_typed():
    """As a README heading and as its first paragraph, rendered by CommonMark (with GitHub's
    strikethrough and tables): the text comes out as typed, with no markup of its own."""
    rng = random.Random(14)
    pieces = [
        *"\\`*_[]<>&!~#-+=|.()0123456789 aé'\"{}%$:",
        "&amp;",
        "&#35;",
        "1. ",
        "- ",
        "---",
        "<b>",
        "</title>",
        "[x](y)",
        "**b**",
        "~~s~~",
        " #",
        "🎉",
    ]
    texts = [t for t in AWKWARD if t.strip() and pre.not_one_line(t) is None]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    for text in texts:
        escaped = filters.markdown_text(text)
        page = Rendered(f"# {escaped}\n\n{escaped}\n\nNext.\n")
        assert page.tags == ["h1", "p", "p"], (text, escaped, page.tags)
        assert page.blocks[:2] == [text, text], (text, escaped)


def test_markdown_text_leaves_plain_names_verbatim():
    for name in ("Acme Notes", 'Zoë\'s "Notes"', "C# Tools 2.0, by O'Brien", "我的项目 🎉"):
        assert filters.markdown_text(name) == name
