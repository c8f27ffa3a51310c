#!/usr/bin/env python3
"""webcutter's two commands, for a fresh machine with Python 3.11+ (standard library only).

    python3 dev.py setup               create .venv/ with webcutter and its development tools
                                       (the other commands do this first)
    python3 dev.py serve [FRAMEWORK]   generate the default project (Flask, SQLite) into build/
                                       and serve it on http://localhost:8000 (PORT to change)
    python3 dev.py test [PYTEST ARGS]  run the whole test suite (what .ci/run runs), on
                                       WEBCUTTER_WORKERS xdist workers (default: one per CPU);
                                       `-n 0` runs it in this one process (with `-s`, output
                                       and pdb work as usual)
    python3 dev.py compare [ARGS]      regenerate docs/comparison.{md,html,json} and the
                                       screenshot docs/comparison.png: `webcutter compare
                                       --measure` over every framework (ARGS go to it, e.g.
                                       --duration 5); with --keep-runtime, bake and map again
                                       but keep the runtime figures of docs/comparison.json

Each first creates .venv/ with webcutter's development dependencies (uv, cookiecutter, pytest, ...).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"


def run(*command, cwd=ROOT, env=None):
    subprocess.run([str(part) for part in command], cwd=cwd, env=env, check=True)


def ensure_venv():
    """.venv with uv in it, then webcutter and its dev extra installed (fast when up to date)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs on any python3
        sys.exit("webcutter needs Python 3.11 or newer")
    if not (BIN / "python").exists():
        run(sys.executable, "-m", "venv", VENV)
    if not (BIN / "uv").exists():
        run(BIN / "python", "-m", "pip", "install", "--quiet", "uv")
    run(BIN / "uv", "pip", "install", "--quiet", "--python", BIN / "python", "-e", ".[dev]")


def setup():
    ensure_venv()
    print(
        f"{VENV} is ready: {BIN / 'webcutter'}, {BIN / 'pytest'}, {BIN / 'cookiecutter'} "
        f"(activate it with `. {VENV.relative_to(ROOT)}/bin/activate`)"
    )


def quick_start(readme):
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)[0]


def serve(framework="flask"):
    ensure_venv()
    build = ROOT / "build"
    project = build / "my_site"
    if not project.exists():
        run(
            BIN / "cookiecutter",
            ROOT,
            "--directory",
            f"templates/{framework}",
            "--no-input",
            "-o",
            build,
        )
    # The project's own environment, built quickly with uv; its README command then finds it ready.
    if not (project / ".venv" / "bin" / "python").exists():
        run(BIN / "uv", "venv", "--quiet", "--seed", "--python", BIN / "python", project / ".venv")
    run(
        BIN / "uv",
        "pip",
        "install",
        "--quiet",
        "--compile-bytecode",  # as pip does: the first start does not compile every dependency
        "--python",
        project / ".venv" / "bin" / "python",
        "-e",
        ".[dev]",
        cwd=project,
    )
    command = quick_start((project / "README.md").read_text())
    env = {**os.environ, "PORT": os.environ.get("PORT", "8000")}
    env.pop("VIRTUAL_ENV", None)
    print(f"Serving {project} on http://localhost:{env['PORT']} (Ctrl+C to stop)\n$ {command}")
    os.chdir(project)
    os.execvpe("sh", ["sh", "-c", command], env)


def test(*pytest_args):
    ensure_venv()
    workers = os.environ.get("WEBCUTTER_WORKERS", str(os.cpu_count() or 2))
    os.execv(BIN / "python", [str(BIN / "python"), "-m", "pytest", "-n", workers, *pytest_args])


def compare(*args):
    ensure_venv()
    docs = ROOT / "docs"
    args = list(args)
    if "--keep-runtime" in args:
        args.remove("--keep-runtime")
        runtime = ["--runtime-from", docs / "comparison.json"]
    else:
        runtime = ["--measure"]
    run(
        BIN / "webcutter",
        "compare",
        *runtime,
        "-o",
        docs / "comparison.md",
        "-o",
        docs / "comparison.html",
        "-o",
        docs / "comparison.json",
        *args,
    )
    # The README's picture of the report (headless chromium, as the tests drive it).
    run(
        BIN / "python",
        ROOT / "tests" / "support" / "report_page.py",
        docs / "comparison.html",
        docs / "comparison.png",
    )


def main(argv):
    commands = {"setup": setup, "serve": serve, "test": test, "compare": compare}
    if not argv or argv[0] not in commands:
        sys.exit(__doc__)
    commands[argv[0]](*argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
