"""Unit tests of the shared hook logic (hooks/*.py, imported without Jinja rendering)."""

import importlib.util

import pytest
from support.templates import ROOT


def load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pre = load("pre_gen_project")
post = load("post_gen_project")


@pytest.mark.parametrize(("slug", "reason"), [
    ("flask", "shadow"), ("django", "shadow"), ("test", "shadow"), ("site", "shadow"),
    ("class", "keyword"), ("match", "keyword"), ("my-project", "identifier"),
    ("1abc", "identifier"), ("My_Site", "lower-case"), ("", "empty"), ("café", "identifier"),
    ("sqlalchemy", "shadow"), ("json", "shadow"), ("tests", "shadow"),
])
def test_bad_slugs_are_refused_with_a_reason(slug, reason):
    error = pre.slug_error(slug, "flask", ["sqlalchemy"] if slug != "django" else ["django"])
    assert error is not None and reason in error


@pytest.mark.parametrize("slug", ["my_site", "notes2", "acme_web"])
def test_good_slugs_pass(slug):
    assert pre.slug_error(slug, "flask", ["flask_login"]) is None


def test_answer_errors_cover_name_and_email():
    context = {"project_slug": "ok", "_framework": "flask", "project_name": " ",
               "author_email": "nobody"}
    errors = pre.answer_errors(context)
    assert any("project_name" in e for e in errors)
    assert any("author_email" in e for e in errors)


def test_python_warning_only_for_unsupported_versions():
    context = {"_framework": "web2py", "_python_versions": ["3.11"]}
    assert pre.python_warning(context, (3, 11, 7)) is None
    assert "3.11" in pre.python_warning(context, (3, 12, 1))


def test_main_exits_non_zero_with_one_line(capsys):
    assert pre.main({"project_slug": "flask", "_framework": "flask", "project_name": "x",
                     "author_email": "a@b.co"}) == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_secret_keys_are_long_and_fresh():
    keys = {post.new_secret_key() for _ in range(20)}
    assert len(keys) == 20
    assert all(len(key) >= 64 for key in keys)  # 48 random bytes, base64url


def test_render_env_fills_values_and_keeps_comments():
    example = "# comment\nSECRET_KEY=\n# DATABASE_URL=\nDEBUG=false\n"
    rendered = post.render_env(example, {"SECRET_KEY": "s3", "DATABASE_URL": "postgresql://x/y",
                                         "EXTRA": "1"})
    assert rendered == ("# comment\nSECRET_KEY=s3\nDATABASE_URL=postgresql://x/y\nDEBUG=false\n"
                        "EXTRA=1\n")


def test_local_settings_per_database():
    sqlite = post.local_settings({"database": "sqlite", "project_slug": "s"}, "k")
    assert sqlite == {"SECRET_KEY": "k", "SECURE_COOKIES": "false"}
    pg = post.local_settings({"database": "postgresql", "project_slug": "s"}, "k")
    assert pg["DATABASE_URL"] == "postgresql://localhost/s"
