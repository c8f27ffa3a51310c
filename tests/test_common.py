"""Unit tests of the code in common/ that generated projects share."""

import importlib.util

import pytest
from support.templates import ROOT

spec = importlib.util.spec_from_file_location("redirects", ROOT / "common" / "redirects.py")
redirects = importlib.util.module_from_spec(spec)
spec.loader.exec_module(redirects)


@pytest.mark.parametrize("target", ["/notes", "/notes?page=2", "/a/b#c", "/"])
def test_local_paths_are_followed(target):
    assert redirects.safe_next(target) == target


@pytest.mark.parametrize("target", [
    None, "", 42, "notes", "//evil.example", "///evil.example", "https://evil.example",
    "/\\evil.example", "\\\\evil.example", "/notes\r\nSet-Cookie: x=1", "/\tevil", "/\x7fevil",
    "http:/evil.example",
])
def test_anything_else_is_refused(target):
    assert redirects.safe_next(target) is None
