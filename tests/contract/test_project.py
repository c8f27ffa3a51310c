"""Contract: the generated project's own conventions, tests, linter and README quick start."""

import os
import re
import signal
import subprocess
import sys
import time

import pytest
import requests
from support.templates import bake

from webcutter.runtime import free_port, read_procfile


def run(deployment, command, env=None, timeout=900):
    return subprocess.run(command, cwd=deployment.project, env=env or deployment.env,
                          capture_output=True, text=True, timeout=timeout)


def test_project_files(deployment):
    project = deployment.project
    for name in ("pyproject.toml", "Procfile", "README.md", ".gitignore", ".env.example", ".env",
                 "LICENSE"):
        assert (project / name).is_file(), name
    assert {"release", "web"} <= set(read_procfile(project))
    assert "0.0.0.0:$PORT" in read_procfile(project)["web"]
    example = (project / ".env.example").read_text()
    for variable in ("SECRET_KEY", "DATABASE_URL", "DEBUG", "SECURE_COOKIES"):
        assert re.search(rf"^#? ?{variable}=", example, re.M), variable
    assert re.search(r"^SECRET_KEY=$", example, re.M), ".env.example must not hold a secret"
    assert ".env" in (project / ".gitignore").read_text().splitlines()


def test_the_projects_own_tests_pass(deployment):
    result = run(deployment, ["pytest", "-q", "-p", "no:cacheprovider"],
                 env=deployment.fresh_database_env())
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert re.search(r"\d+ passed", result.stdout)
    assert " skipped" not in result.stdout.splitlines()[-1], result.stdout.splitlines()[-1]


def test_ruff_finds_nothing(deployment):
    result = run(deployment, ["ruff", "check", "--no-cache", "."])
    assert result.returncode == 0, result.stdout + result.stderr


def quick_start_commands(readme):
    """The two commands of the README's Quick start: set up and run; test."""
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|bash|console)\n(.*?)```", section, re.S)
    commands = [block.strip() for block in blocks]
    assert len(commands) == 2 and all("\n" not in c for c in commands), commands
    return commands


def test_readme_quick_start_sets_up_serves_and_tests(deployment, tmp_path):
    """The README's two commands, in a fresh bake with no environment yet, as a user runs them."""
    if deployment.database != "sqlite":
        pytest.skip("the quick start is run once per framework, with the default database")
    project = bake(deployment.framework, tmp_path)
    serve, test = quick_start_commands((project / "README.md").read_text())
    env = {key: value for key, value in os.environ.items()
           if key not in {"VIRTUAL_ENV", "DATABASE_URL", "SECRET_KEY", "DEBUG", "PYTHONPATH"}}
    env["PATH"] = os.pathsep.join(  # no virtual environment of webcutter's own on the PATH
        part for part in env["PATH"].split(os.pathsep) if not part.startswith(sys.prefix))
    env["PORT"] = str(free_port())
    server = subprocess.Popen(["sh", "-c", serve], cwd=project, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, start_new_session=True, text=True)
    try:
        deadline, status = time.monotonic() + 600, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                health = f"http://127.0.0.1:{env['PORT']}/health"
                status = requests.get(health, timeout=5).status_code
                break
            except requests.ConnectionError:
                time.sleep(0.5)
        served = status
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0]
    assert served == 200, f"the quick start did not serve /health:\n{output[-4000:]}"
    result = subprocess.run(["sh", "-c", test], cwd=project, env=env, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.search(r"\d+ passed", result.stdout)
