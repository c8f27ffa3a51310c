"""``webcutter check PATH``: bake one template, check its concept map, then run the template-set
rules, the bake checks and the contract suite against it, printing one line per contract clause
as results arrive. Under a FAIL: the rest of pytest's explanation (the values compared), the
test's node id (``webcutter check PATH -- -k NODE_ID`` runs that test alone) and, with
``WEBCUTTER_KEEP_LOGS=1``, the server's log of that test."""

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path

from . import concepts
from .templates import TemplateError, bake_template, find_root

SUITE = ("tests/test_template_set.py", "tests/test_bake.py", "tests/contract")
DATABASES = {"sqlite": "sqlite", "postgresql": "postgresql", "both": "sqlite,postgresql"}

NODEID = re.compile(r"^(?P<path>[^:]*)::(?P<function>[^\[@]+)(?:\[(?P<params>.*)\])?(?:@.*)?$")
XDIST_GROUP = re.compile(r"@[^\[\]]*$")
INDENT = " " * 8
MARKS = {"passed": "PASS", "failed": "FAIL", "error": "FAIL", "skipped": "SKIP"}


def clause(nodeid, template, marked=None):
    """(section, clause, detail) of one test: its ``clause`` marker (``marked``, as the plugin
    reported it) or a line made from its name, and its parameters minus the template's name."""
    match = NODEID.match(nodeid)
    path, function, params = match.group("path", "function", "params")
    if params:
        parts = [part for part in params.split("-") if part != template]
        params = "-".join(parts)
    if marked:
        section, text = marked
    else:
        section = "Contract" if "/contract/" in path else "Bake"
        text = function.removeprefix("test_").replace("_", " ")
    return section, text, params


def node_id(result):
    """The test's node id as pytest takes it on its command line (without xdist's @group)."""
    return XDIST_GROUP.sub("", result["nodeid"])


def failure_lines(result, seen):
    """The lines under a FAIL: the rest of pytest's explanation, the node id to pass after
    ``-- -k``, and the server's log of the test when one was kept. ``seen`` maps an
    explanation already printed to the node id it was printed for (a deployment that could not
    start fails every test of it the same way: the explanation is printed once)."""
    if result["outcome"] not in {"failed", "error"}:
        return []
    nodeid, lines = node_id(result), []
    said = (result.get("reason", ""), *result.get("details", ()))
    if said in seen:
        lines.append(f"{INDENT}(the same failure as {seen[said]})")
    else:
        seen[said] = nodeid
        lines += [f"{INDENT}{line}" for line in result.get("details", ())]
    lines.append(f"{INDENT}test: {shlex.quote(nodeid)}")
    log = result.get("log", "").rstrip()
    if log:
        lines.append(f"{INDENT}server log during the test:")
        lines += [f"{INDENT}| {line}" for line in log.splitlines()]
    return lines


def format_line(result, template):
    section, text, params = clause(result["nodeid"], template, result.get("clause"))
    line = f"{MARKS.get(result['outcome'], result['outcome'].upper()):4}  {section:13} {text}"
    if params:
        line += f" [{params}]"
    if result["outcome"] != "passed" and result["reason"]:
        line += f" — {result['reason']}"
    return line


def resolve_template(path, root=None):
    root = root or find_root()
    template = Path(path).resolve()
    if not (template / "cookiecutter.json").is_file():
        raise TemplateError(f"{path} is not a template folder (no cookiecutter.json)")
    if not template.is_relative_to(root / "templates"):
        raise TemplateError(
            f"{path} is not under {root / 'templates'}: a template lives in "
            "the template set, where its hooks/ and common files link to ours"
        )
    return template


def concept_lines(template, out):
    """Bake the template once and report its concept map: one bool per line printed (the
    bake, then each concept), and whether it baked."""
    with tempfile.TemporaryDirectory(prefix="webcutter-check-") as folder:
        try:
            project = bake_template(template, folder, quiet=True)
        except Exception as error:  # noqa: BLE001 - any failure to bake is the first finding
            message = str(error).strip().splitlines()[0] if str(error).strip() else ""
            print(
                f"FAIL  {'Bake':13} the template bakes with the defaults — "
                f"{type(error).__name__}: {message}",
                file=out,
            )
            return [False], False
        print(f"PASS  {'Bake':13} the template bakes with the defaults", file=out)
        try:
            mapping = concepts.load_map(template)
        except concepts.ConceptMapError as error:
            print(f"FAIL  {'Concept map':13} {error}", file=out)
            return [True, False], True
        outcomes = [True]
        for location in concepts.locate(project, mapping, project.name):
            outcomes.append(location.ok)
            print(
                f"{'PASS' if location.ok else 'FAIL'}  {'Concept map':13} "
                f"{location.concept} — {location}",
                file=out,
            )
        return outcomes, True


def selection(pytest_args):
    """``pytest_args`` with every ``-k NODE_ID`` (a node id as a FAIL line shows it) turned into
    the node id itself, and the node ids given: with node ids, pytest runs those tests only."""
    args, nodeids, rest = [], [], list(pytest_args)
    while rest:
        arg = rest.pop(0)
        value = None
        if arg == "-k" and rest and _is_node_id(rest[0]):
            value = rest.pop(0)
        elif arg.startswith("-k") and _is_node_id(arg[2:].lstrip("=")):
            value = arg[2:].lstrip("=")
        elif _is_node_id(arg):
            value = arg
        if value is None:
            args.append(arg)
        else:
            nodeids.append(XDIST_GROUP.sub("", value))
    return args, nodeids


def _is_node_id(text):
    return text.startswith("tests/") and "::" in text


def run(path, database="both", workers=2, pytest_args=(), out=None):
    """Returns the exit status: 0 when every clause passes, 1 otherwise."""
    out = out or sys.stdout
    template = resolve_template(path)
    name = template.name
    print(f"Checking {template} as {name!r} (database: {database})", file=out, flush=True)
    first, baked = concept_lines(template, out)
    out.flush()
    if not baked:
        return 1
    if find_spec("pytest") is None:
        raise TemplateError(
            'webcutter check runs the test suite: install the dev extra (pip install -e ".[dev]")'
        )
    with tempfile.TemporaryDirectory(prefix="webcutter-check-") as folder:
        report, log = Path(folder) / "results.jsonl", Path(folder) / "pytest.log"
        report.touch()
        env = {
            **os.environ,
            "WEBCUTTER_TEMPLATE": str(template),
            "WEBCUTTER_DATABASES": DATABASES[database],
            "WEBCUTTER_CHECK_REPORT": str(report),
        }
        pytest_args, nodeids = selection(pytest_args)
        command = [
            sys.executable,
            "-m",
            "pytest",
            *(nodeids or SUITE),
            "-p",
            "webcutter.check_plugin",
            "-p",
            "no:cacheprovider",
            "-q",
            "-rN",
        ]
        if workers > 1 and find_spec("xdist") is not None:
            command += ["-n", str(workers)]
        command += pytest_args
        with open(log, "wb") as handle:
            process = subprocess.Popen(
                command, cwd=find_root(), env=env, stdout=handle, stderr=subprocess.STDOUT
            )
        results, seen, explained = [], 0, {}
        while True:
            finished = process.poll() is not None
            lines = report.read_text(encoding="utf-8").splitlines()
            for raw in lines[seen:]:
                result = json.loads(raw)
                results.append(result)
                print(format_line(result, name), file=out, flush=True)
                for line in failure_lines(result, explained):
                    print(line, file=out, flush=True)
            seen = len(lines)
            if finished:
                break
            time.sleep(0.3)
        failed = [r for r in results if r["outcome"] in {"failed", "error"}]
        tail = log.read_text(errors="replace").strip().splitlines()
        summary = next((line for line in reversed(tail) if re.search(r"\d+ \w+ in ", line)), "")
        if not results or (process.returncode not in (0, 1) and not failed):
            print("pytest did not run the suite:\n" + "\n".join(tail[-30:]), file=out)
            return 1
    passed = sum(r["outcome"] == "passed" for r in results) + sum(first)
    skipped = sum(r["outcome"] == "skipped" for r in results)
    failures = len(failed) + first.count(False)
    if failed:
        print(
            f"\nTo run one failing test again: webcutter check {path} -- -k 'TEST' (the "
            "`test:` line under its FAIL)."
            + (
                ""
                if os.environ.get("WEBCUTTER_KEEP_LOGS")
                else " WEBCUTTER_KEEP_LOGS=1 shows the server's log under each failure."
            ),
            file=out,
        )
    print(
        f"\n{passed} passed, {failures} failed, {skipped} skipped"
        f"{' (pytest: ' + summary.strip('= ') + ')' if summary else ''}",
        file=out,
    )
    return 0 if not failures and process.returncode == 0 else 1
