"""A pytest plugin for ``webcutter check``: keeps the tests of the one template being checked
and writes one JSON line per test result to $WEBCUTTER_CHECK_REPORT as results arrive.

Each line holds the test's node id, its outcome, its clause (the ``clause`` marker), the reason
(the first of pytest's ``E`` lines: the assertion's own message, or the exception) and the other
``E`` lines (the values compared), and the server's log of the test when the contract suite
attached one (``WEBCUTTER_KEEP_LOGS=1``, see tests/contract/conftest.py).

Loaded with ``-p webcutter.check_plugin``; it does nothing unless WEBCUTTER_TEMPLATE is set.
"""

import json
import os
import re

import pytest

REPORT_ENV = "WEBCUTTER_CHECK_REPORT"
TEMPLATE_ENV = "WEBCUTTER_TEMPLATE"
PER_TEMPLATE_PARAMS = {"framework", "deployment"}
_state = {}


def pytest_configure(config):
    _state["controller"] = not hasattr(config, "workerinput")


def clause_of(item):
    """(section, text) of the rule a test checks: its ``clause`` marker, or None."""
    marker = item.get_closest_marker("clause")
    if marker is None or len(marker.args) != 2:
        return None
    return [str(marker.args[0]), str(marker.args[1])]


def pytest_collection_modifyitems(config, items):
    """Give each test's report its clause (from the marker; reports cross xdist's process
    boundary with their user properties). Keep the tests that are about one template; those
    about the whole set (the root cookiecutter.json, interactive use through the root) are not
    this template's to pass."""
    for item in items:
        found = clause_of(item)
        if found:
            item.user_properties.append(("clause", found))
    if not os.environ.get(TEMPLATE_ENV):
        return
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        (keep if PER_TEMPLATE_PARAMS & set(params) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


BARE_BOOLEAN = re.compile(r"^assert \(?(not )?(True|False)\)?$")
MAX_LINE = 300
MAX_LINES = 14  # of the explanation: the first lines and the last ones (a log ends at its cause)


def _shorten(line):
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…"


def explanation(report):
    """What pytest's ``E`` lines say about a failure: the exception and its message, or the
    assertion with the values it compared, as a list of lines (the crash message when the
    report holds no ``E`` lines, e.g. with ``--tb=line``)."""
    longrepr = report.longrepr
    entries = getattr(getattr(longrepr, "reprtraceback", None), "reprentries", None) or []
    lines = list(getattr(entries[-1], "lines", ())) if entries else []
    if not any(line.startswith("E ") for line in lines):
        lines = str(longrepr or "").splitlines()
    said = [line[1:].strip() for line in lines if line.startswith("E ") and line[1:].strip()]
    # "where" lines naming objects by address (<Page object at 0x...>), and "assert False"
    # under a message, say nothing to a reader.
    telling = [
        line
        for line in said
        if not (line.startswith("+") and " at 0x" in line) and not BARE_BOOLEAN.match(line)
    ]
    said = telling or said
    if not said:
        crash = getattr(longrepr, "reprcrash", None)
        text = crash.message if crash is not None else str(longrepr or "")
        said = [line.strip() for line in text.splitlines() if line.strip()]
    if said and said[0].startswith(("AssertionError: ", "Failed: ")):
        said[0] = said[0].split(": ", 1)[1]  # the test's own message is the cause
    if len(said) > MAX_LINES:
        tail = MAX_LINES - 4
        said = [*said[:4], f"… ({len(said) - MAX_LINES} more lines) …", *said[-tail:]]
    return [_shorten(line) for line in said]


def reason(report):
    if report.skipped and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    said = explanation(report)
    return said[0] if said else ""


@pytest.hookimpl(trylast=True)
def pytest_runtest_logreport(report):
    path = os.environ.get(REPORT_ENV)
    if not path or not _state.get("controller", True):
        return
    interesting = (
        report.when == "call"
        or (report.when == "setup" and not report.passed)
        or (report.when == "teardown" and report.failed)
    )
    if not interesting:
        return
    outcome = "error" if report.failed and report.when != "call" else report.outcome
    properties = dict(report.user_properties)
    line = {
        "nodeid": report.nodeid,
        "outcome": outcome,
        "when": report.when,
        "reason": "" if report.passed else reason(report),
        "details": explanation(report)[1:] if report.failed else [],
        "clause": properties.get("clause"),
        "log": properties.get("web_log", ""),
        "seconds": round(report.duration, 2),
    }
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")
