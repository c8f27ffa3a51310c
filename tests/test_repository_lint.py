"""The repository's own Python (webcutter/, tests/, benchmarks/, hooks/, dev.py) is ruff-clean:
``ruff check`` and ``ruff format --check``. The templates are checked where they are valid
Python, in the baked projects (tests/test_bake.py)."""

import subprocess
import sys
from pathlib import Path

from support.templates import ROOT

RUFF = Path(sys.executable).with_name("ruff")


def ruff(*args):
    return subprocess.run([RUFF, *args, "."], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_is_clean():
    result = ruff("check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = ruff("format", "--check")
    assert result.returncode == 0, (
        "run `.venv/bin/ruff format .`:\n" + result.stdout + result.stderr
    )
