"""Contract: the generated project's own conventions, tests, linter and README quick start."""

import os
import re
import signal
import stat
import subprocess
import sys
import time

import pytest
import requests
from support.rawhttp import post_oversized
from support.templates import bake

from webcutter.runtime import free_port, read_procfile

clause = pytest.mark.clause


def run(deployment, command, env=None, timeout=900):
    return subprocess.run(
        command,
        cwd=deployment.project,
        env=env or deployment.env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@clause("§5 Project", "pyproject, Procfile, README (with mail), .env.example with every variable")
def test_project_files(deployment):
    project = deployment.project
    for name in (
        "pyproject.toml",
        "Procfile",
        "README.md",
        ".gitignore",
        ".env.example",
        ".env",
        "LICENSE",
    ):
        assert (project / name).is_file(), f"the project has no {name}"
    processes = read_procfile(project)
    assert {"release", "web"} <= set(processes), f"the Procfile has {sorted(processes)}"
    assert "0.0.0.0:$PORT" in processes["web"], f"web does not bind 0.0.0.0:$PORT: {processes}"
    assert processes["web"].split()[0] == "gunicorn", (
        f"web runs {processes['web'].split()[0]}, not gunicorn (with an ASGI worker class for "
        "an ASGI framework)"
    )
    mode = stat.S_IMODE((project / ".env").stat().st_mode)
    assert mode == 0o600, f".env has mode {mode:o}, expected 600 (it holds the secret)"
    example = (project / ".env.example").read_text()
    for variable in VARIABLES:
        assert re.search(rf"^#? ?{variable}=", example, re.M), f".env.example: no {variable}="
    assert re.search(r"^SECRET_KEY=$", example, re.M), ".env.example must not hold a secret"
    assert ".env" in (project / ".gitignore").read_text().splitlines(), ".gitignore lacks .env"
    readme = (project / "README.md").read_text()
    assert "EMAIL_URL" in readme, "the README does not say how mail is configured"


# Contract §4: every variable the app reads (PORT and WEB_CONCURRENCY are the platform's).
VARIABLES = (
    "SECRET_KEY",
    "DATABASE_URL",
    "DEBUG",
    "SECURE_COOKIES",
    "ALLOWED_HOSTS",
    "TRUSTED_PROXIES",
    "BASE_URL",
    "EMAIL_URL",
    "EMAIL_FROM",
    "PASSWORD_RESET_MAX_AGE",
    "LOGIN_FAILURES_PER_USER",
    "LOGIN_FAILURES_PER_ADDRESS",
    "LOGIN_FAILURE_WINDOW",
)
# Contract §5: what the project's own tests cover, by the words their names carry.
COVERED = {
    "routing": ("route", "page"),
    "the home page": ("home",),
    "registration": ("register",),
    "login": ("login",),
    "logout": ("logout",),
    "CSRF refusal": ("csrf",),
    "next-redirect safety": ("next",),
    "notes ownership": ("owner",),
    "health": ("health",),
    "password reset": ("reset",),
    "password change": ("change",),
    "sign-in throttling": ("throttl",),
    "the ending of sessions": ("session",),
}


@clause("§5 Project", "the project's own tests cover the contract's areas (by their names)")
def test_the_projects_own_tests_cover_the_contract(deployment):
    result = run(
        deployment,
        ["pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        env=deployment.fresh_database_env(),
    )
    assert result.returncode == 0, "the project's pytest cannot collect its tests:\n" + (
        result.stdout[-3000:] + result.stderr[-2000:]
    )
    names = [line.lower() for line in result.stdout.splitlines() if "::" in line]
    missing = [
        area
        for area, words in COVERED.items()
        if not any(word in name for name in names for word in words)
    ]
    assert not missing, (
        f"no test of the project's own names {', '.join(missing)} "
        f"(contract §5 lists the words): {len(names)} tests collected"
    )


def junit_results(path):
    """(node id, outcome, message) of each test in a JUnit XML file pytest wrote (xunit1, which
    names each test's file): outcome is passed, failed, error or skipped."""
    import xml.etree.ElementTree as ET

    results = []
    for case in ET.parse(path).iter("testcase"):
        file, classname, name = case.get("file"), case.get("classname") or "", case.get("name")
        nodeid = name
        if file:
            module = file.removesuffix(".py").replace("/", ".")
            within = classname.removeprefix(module).strip(".")
            nodeid = "::".join(part for part in (file, within, name) if part)
        outcome, message = "passed", ""
        for kind in ("failure", "error", "skipped"):
            element = case.find(kind)
            if element is not None:
                outcome = {"failure": "failed"}.get(kind, kind)
                message = (element.get("message") or element.text or "").strip()
                break
        results.append((nodeid, outcome, message))
    return results


@clause("§5 Project", "the project's own tests pass")
def test_the_projects_own_tests_pass(deployment, tmp_path):
    xml = tmp_path / "own-tests.xml"
    result = run(
        deployment,
        [
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junit-xml={xml}",
            "-o",
            "junit_family=xunit1",
        ],
        env=deployment.fresh_database_env(),
    )
    output = (result.stdout + result.stderr).strip()
    assert xml.is_file(), (
        f"the project's pytest ran no test (exit {result.returncode}):\n" + (output[-3000:])
    )
    results = junit_results(xml)
    failed = [
        (nodeid, message) for nodeid, outcome, message in results if outcome in {"failed", "error"}
    ]
    if failed:
        nodeid, message = failed[0]
        pytest.fail(
            f"{len(failed)} of the project's {len(results)} own tests failed; the first, "
            f"{nodeid}: {message}",
            pytrace=False,
        )
    assert result.returncode == 0, (
        f"the project's pytest exited {result.returncode}:\n" + (output[-3000:])
    )
    skipped = [(nodeid, message) for nodeid, outcome, message in results if outcome == "skipped"]
    assert not skipped, (
        f"{len(skipped)} of the project's own tests skipped (none may be); the "
        f"first, {skipped[0][0]}: {skipped[0][1]}"
    )
    assert results, "the project's pytest collected no test"


@clause("§5 Project", "ruff check finds nothing and ruff format changes nothing")
def test_ruff_finds_nothing(deployment):
    result = run(deployment, ["ruff", "check", "--no-cache", "."])
    assert result.returncode == 0, "ruff check finds:\n" + result.stdout + result.stderr
    result = run(deployment, ["ruff", "format", "--check", "--no-cache", "."])
    assert result.returncode == 0, "ruff format would change:\n" + result.stdout + result.stderr


def quick_start_commands(readme):
    """The two commands of the README's Quick start: set up and run; test."""
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|bash|console)\n(.*?)```", section, re.S)
    commands = [block.strip() for block in blocks]
    assert len(commands) == 2 and all("\n" not in c for c in commands), commands
    return commands


@clause("§5 Project", "the README's two quick-start commands serve and test")
def test_readme_quick_start_sets_up_serves_and_tests(deployment, tmp_path):
    """The README's two commands, in a fresh bake with no environment yet, as a user runs them."""
    if deployment.database != "sqlite":
        pytest.skip("the quick start is run once per framework, with the default database")
    project = bake(deployment.framework, tmp_path)
    serve, test = quick_start_commands((project / "README.md").read_text())
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "DATABASE_URL", "SECRET_KEY", "DEBUG", "PYTHONPATH"}
    }
    env["PATH"] = os.pathsep.join(  # no virtual environment of webcutter's own on the PATH
        part for part in env["PATH"].split(os.pathsep) if not part.startswith(sys.prefix)
    )
    env["PORT"] = str(free_port())
    server = subprocess.Popen(
        ["sh", "-c", serve],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        text=True,
    )
    try:
        deadline, status, too_large = time.monotonic() + 600, None, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                health = f"http://127.0.0.1:{env['PORT']}/health"
                status = requests.get(health, timeout=5).status_code
                too_large, _ = post_oversized(
                    int(env["PORT"]), "/auth/login", b"username=" + b"x" * (2 * 1024 * 1024)
                )
                break
            except requests.ConnectionError:
                time.sleep(0.5)
        served = status
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0]
    assert served == 200, f"the quick start did not serve /health:\n{output[-4000:]}"
    assert too_large == 413, f"the quick-start server answered {too_large} to a 2 MiB body"
    result = subprocess.run(
        ["sh", "-c", test], cwd=project, env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, f"the README's test command `{test}` failed:\n" + (
        result.stdout[-3000:] + result.stderr[-2000:]
    )
    assert re.search(r"\d+ passed", result.stdout), f"`{test}` ran no test: {result.stdout[-500:]}"
