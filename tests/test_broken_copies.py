"""`webcutter check` catches the mistakes a template author makes, and says which and why.

Each case copies the template set (without .venv, .git, build) to a temporary folder, breaks one
file of a template that passes the whole contract (CherryPy) the way an author might, and runs
``webcutter check`` on the copy (``WEBCUTTER_ROOT`` points at it) for the one clause the mistake
breaks: that clause must FAIL, with a reason that names the cause, and the test's node id under
it.
"""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

import pytest
from support.templates import ROOT

BASE = "cherrypy"
PACKAGE = f"templates/{BASE}/{{{{cookiecutter.project_slug}}}}/{{{{cookiecutter.project_slug}}}}"
NOT_COPIED = shutil.ignore_patterns(
    ".venv", ".git", "build", "__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache"
)


@dataclass
class Mistake:
    file: str  # relative to the template's package
    old: str
    new: str
    test: str  # the contract test that must catch it (-k)
    clause: str  # the start of its FAIL line, after the mark
    cause: str  # a regular expression the FAIL line (or the lines under it) must match
    keep_logs: bool = False


MISTAKES = {
    "plain-text passwords": Mistake(
        "passwords.py",
        "        return self.hasher.hash(password)\n",
        "        return password\n",
        "test_passwords_are_stored_hashed_never_in_clear",
        "§3 Security   passwords are stored hashed",
        r"the password is stored in clear in the database",
    ),
    "a 307 after register": Mistake(
        "auth.py",
        'raise cherrypy.HTTPRedirect(cherrypy.url("/notes"), 303)',
        'raise cherrypy.HTTPRedirect(cherrypy.url("/notes"), 307)',
        "test_register_creates_the_user_logs_in_and_redirects_to_notes",
        "§1 Routes     POST /auth/register creates the user",
        r"expected a redirect \(302 or 303\) to /notes, got 307",
    ),
    "a JSON 404 page": Mistake(
        "rendering.py",
        '    cherrypy.serving.response.headers["Content-Type"] = "text/html;charset=utf-8"\n',
        "    if code == 404:\n"
        '        cherrypy.serving.response.headers["Content-Type"] = "application/json"\n'
        '        return \'{"error": "not found"}\'\n'
        '    cherrypy.serving.response.headers["Content-Type"] = "text/html;charset=utf-8"\n',
        "test_unknown_path_is_a_404_page_without_traceback",
        "§1 Routes     an unknown path is a 404 HTML page",
        r"Content-Type is 'application/json', expected text/html",
    ),
    "no Secure cookie when asked": Mistake(
        "__init__.py",
        '"tools.sessions.secure": settings.secure_cookies,',
        '"tools.sessions.secure": False,',
        "test_secure_cookies_are_on_unless_turned_off",
        "§3 Security   the session cookie is Secure unless SECURE_COOKIES=false",
        r"SECURE_COOKIES=true: the session cookie \S+ is not Secure",
        keep_logs=True,
    ),
    "a next that follows //evil.example": Mistake(
        "auth.py",
        "next_url = safe_next(next)",
        "next_url = next",
        "test_login_never_redirects_off_site",
        "§3 Security   next never leads off-site [sqlite-//evil.example]",
        r"next=//evil\.example: redirected off-site, to \S*//evil\.example",
    ),
}


@pytest.fixture()
def broken_copy(tmp_path):
    """A copy of the template set, and a function that breaks one file of it."""
    copy = tmp_path / "webcutter"
    shutil.copytree(ROOT, copy, symlinks=True, ignore=NOT_COPIED)

    def break_it(mistake):
        path = copy / PACKAGE / mistake.file
        text = path.read_text()
        assert text.count(mistake.old) >= 1, f"{mistake.file} no longer holds {mistake.old!r}"
        path.write_text(text.replace(mistake.old, mistake.new, 1))
        return copy

    return break_it


def check(copy, test, keep_logs=False):
    """``webcutter check templates/<BASE> --database sqlite -- -k <test>`` on the copy."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "WEBCUTTER_")) or key == "WEBCUTTER_POSTGRES_URL"
    }
    env["WEBCUTTER_ROOT"] = str(copy)
    if keep_logs:
        env["WEBCUTTER_KEEP_LOGS"] = "1"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "webcutter",
            "check",
            f"templates/{BASE}",
            "--database",
            "sqlite",
            "-n",
            "1",
            "--",
            "-k",
            test,
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def failure_block(output, clause):
    """The FAIL line of ``clause`` and the indented lines under it."""
    lines = output.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("FAIL  ") and line[6:].startswith(clause):
            block = [line]
            for below in lines[index + 1 :]:
                if not below.startswith(" "):
                    break
                block.append(below)
            return block
    raise AssertionError(f"no FAIL line for {clause!r} in:\n{output}")


@pytest.mark.parametrize("case", MISTAKES)
def test_check_fails_the_right_clause_and_names_the_cause(broken_copy, case):
    mistake = MISTAKES[case]
    result = check(broken_copy(mistake), mistake.test, mistake.keep_logs)
    output = result.stdout + result.stderr
    assert result.returncode == 1, f"webcutter check passed a template with {case}:\n{output}"
    assert "PASS  Bake          the template bakes with the defaults" in output, output
    block = failure_block(result.stdout, mistake.clause)
    assert re.search(mistake.cause, "\n".join(block)), (
        f"{case}: the FAIL line does not name the cause ({mistake.cause}):\n" + "\n".join(block)
    )
    test_lines = [line.strip() for line in block if line.strip().startswith("test: ")]
    assert test_lines and f"::{mistake.test}[" in test_lines[0], block
    assert "AssertionError: assert" not in output and "StopIteration" not in output, output
    if mistake.keep_logs:  # the log of the web process the test started, under the FAIL
        assert any(line.strip() == "server log during the test:" for line in block), block
        assert any(
            line.strip().startswith("| ") and "gunicorn" in line.lower() for line in block
        ), block
