#!/usr/bin/env python3
"""Bake time of each template, and of `webcutter compare` without --measure.

    .venv/bin/python benchmarks/bake_time.py [FRAMEWORK ...] [--repeat N]

For each framework (default: every one of the root cookiecutter.json), the median of N runs of:
an in-process bake (cookiecutter's API, hooks included), the `cookiecutter` command baking it,
and the `cookiecutter` command's own start-up (`--version`); "beyond start-up" is the command's
bake minus its start-up. Then `webcutter compare` over the same frameworks, as a command.
This is a benchmark, not a test: it reports and never fails on a figure.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from webcutter.templates import ROOT, bake_template, frameworks, template_dir  # noqa: E402


def seconds(action, repeat):
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def command(*argv):
    def run():
        result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed:\n{result.stdout}{result.stderr}")

    return run


def in_process_bake(framework):
    def run():
        with tempfile.TemporaryDirectory() as folder:
            bake_template(template_dir(framework), folder, quiet=True)

    return run


def cli_bake(framework):
    def run():
        with tempfile.TemporaryDirectory() as folder:
            command(
                sys.executable,
                "-m",
                "cookiecutter",
                str(ROOT),
                "--directory",
                f"templates/{framework}",
                "--no-input",
                "-o",
                folder,
            )()

    return run


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("frameworks", nargs="*", help="default: all of the root cookiecutter.json")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (median)")
    args = parser.parse_args(argv)
    chosen = args.frameworks or frameworks()
    startup = seconds(command(sys.executable, "-m", "cookiecutter", "--version"), args.repeat)
    rows = []
    for framework in chosen:
        in_process = seconds(in_process_bake(framework), args.repeat)
        cli = seconds(cli_bake(framework), args.repeat)
        rows.append((framework, in_process, cli, cli - startup))
    compare = seconds(
        command(
            sys.executable, "-m", "webcutter", "compare", "--quiet", "--format", "json", *chosen
        ),
        args.repeat,
    )

    print(
        f"median of {args.repeat} runs; cookiecutter command start-up (--version): "
        f"{startup * 1000:.0f} ms\n"
    )
    header = ("template", "in-process bake", "cookiecutter command", "beyond start-up")
    print(f"{header[0]:<12}{header[1]:>18}{header[2]:>22}{header[3]:>18}")
    for framework, in_process, cli, beyond in rows:
        print(
            f"{framework:<12}{in_process * 1000:>15.0f} ms{cli * 1000:>19.0f} ms"
            f"{beyond * 1000:>15.0f} ms"
        )
    print(
        f"\nwebcutter compare {' '.join(chosen)} (no --measure, as a command): "
        f"{compare * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
