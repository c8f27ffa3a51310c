"""A pytest plugin for ``webcutter check``: keeps the tests of the one template being checked
and writes one JSON line per test result to $WEBCUTTER_CHECK_REPORT as results arrive.

Loaded with ``-p webcutter.check_plugin``; it does nothing unless WEBCUTTER_TEMPLATE is set.
"""

import json
import os

import pytest

REPORT_ENV = "WEBCUTTER_CHECK_REPORT"
TEMPLATE_ENV = "WEBCUTTER_TEMPLATE"
PER_TEMPLATE_PARAMS = {"framework", "deployment"}
_state = {}


def pytest_configure(config):
    _state["controller"] = not hasattr(config, "workerinput")


def pytest_collection_modifyitems(config, items):
    """Keep the tests that are about one template; those about the whole set (the root
    cookiecutter.json, interactive use through the root) are not this template's to pass."""
    if not os.environ.get(TEMPLATE_ENV):
        return
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        (keep if PER_TEMPLATE_PARAMS & set(params) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def reason(report):
    if report.skipped and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr or "")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:240] if lines else ""


@pytest.hookimpl(trylast=True)
def pytest_runtest_logreport(report):
    path = os.environ.get(REPORT_ENV)
    if not path or not _state.get("controller", True):
        return
    interesting = report.when == "call" or (report.when == "setup" and not report.passed) or (
        report.when == "teardown" and report.failed)
    if not interesting:
        return
    outcome = "error" if report.failed and report.when != "call" else report.outcome
    line = {"nodeid": report.nodeid, "outcome": outcome, "when": report.when,
            "reason": "" if report.passed else reason(report),
            "seconds": round(report.duration, 2)}
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line) + "\n")
