"""A virtual environment per generated project, built with uv (its cache makes rebuilds fast)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path


def uv():
    found = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    if not Path(found).exists():
        raise RuntimeError("uv is not installed: pip install uv")
    return found


def build(project, python=None):
    """Create ``project/.venv`` (with pip, as the README's own set-up would) and install
    the project with its ``dev`` extra, editable. Returns the venv's bin folder."""
    venv = project / ".venv"
    python = python or sys.executable
    run([uv(), "venv", "--quiet", "--seed", "--python", python, str(venv)], project)
    run([uv(), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"),
         "-e", ".[dev]"], project)
    return venv / "bin"


def run(command, cwd, env=None, timeout=900):
    result = subprocess.run(command, cwd=cwd, env=env or os.environ.copy(), capture_output=True,
                            text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, command))} failed ({result.returncode}) in {cwd}:\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return result


def project_env(bin_dir, **overrides):
    """The environment a generated project's commands run in: its venv first on PATH."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"VIRTUAL_ENV", "PYTHONPATH", "DATABASE_URL", "SECRET_KEY", "DEBUG"}}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(bin_dir.parent)
    env.update({key: str(value) for key, value in overrides.items()})
    return env
