"""``webcutter check PATH``: bake one template, check its concept map, then run the bake checks
and the contract suite against it, printing one line per contract clause as results arrive."""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path

from . import concepts
from .templates import ROOT, TemplateError, bake_template

SUITE = ("tests/test_template_set.py", "tests/test_bake.py", "tests/contract")
DATABASES = {"sqlite": "sqlite", "postgresql": "postgresql", "both": "sqlite,postgresql"}

# Contract test -> (section of docs/contract.md, the clause it checks).
CLAUSES = {
    # §1 Routes
    "test_home_for_anonymous_visitors_links_to_login_and_register":
        ("§1 Routes", "GET / (anonymous) links to /auth/login and /auth/register, no logout"),
    "test_home_for_a_logged_in_user_shows_the_name_and_a_logout_button":
        ("§1 Routes", "GET / (logged in) shows the username and a POST logout form"),
    "test_register_creates_the_user_logs_in_and_redirects_to_notes":
        ("§1 Routes", "POST /auth/register creates the user, logs in, redirects to /notes"),
    "test_invalid_registration_rerenders_the_form_and_creates_nothing":
        ("§1 Routes", "POST /auth/register with an invalid value: the form again, nothing made"),
    "test_a_taken_username_or_email_is_refused":
        ("§1 Routes", "POST /auth/register refuses a taken username or e-mail"),
    "test_long_non_ascii_password_works_or_gets_a_message":
        ("§1 Routes", "a long non-ASCII password works or gets a form message, never a 5xx"),
    "test_login_establishes_a_session_and_redirects_to_notes":
        ("§1 Routes", "POST /auth/login opens a session and redirects to /notes"),
    "test_failed_login_says_one_generic_thing_and_opens_no_session":
        ("§1 Routes", "a failed login says 'Invalid username or password', no session"),
    "test_login_redirects_to_a_local_next":
        ("§1 Routes", "POST /auth/login redirects to a local next, query kept"),
    "test_logout_is_a_post_that_ends_the_session":
        ("§1 Routes", "POST /auth/logout ends the session, redirects to /"),
    "test_a_get_does_not_log_anyone_out":
        ("§1 Routes", "GET /auth/logout logs nobody out"),
    "test_anonymous_notes_redirects_to_login_with_next":
        ("§1 Routes", "GET /notes (anonymous) redirects to /auth/login?next=/notes"),
    "test_add_and_list_own_notes_newest_first":
        ("§1 Routes", "POST /notes adds a note; GET /notes lists them newest first"),
    "test_the_limits_are_accepted":
        ("§1 Routes", "a 200-character title and a 10 000-character body are accepted"),
    "test_invalid_notes_are_refused_with_the_form_and_not_stored":
        ("§1 Routes", "an invalid note: the form again with a message, nothing stored"),
    "test_users_see_only_their_own_notes":
        ("§1 Routes", "GET /notes lists the current user's notes only"),
    "test_only_the_owner_can_delete_a_note":
        ("§1 Routes", "POST /notes/<id>/delete: the owner only, anyone else gets 404"),
    "test_unknown_path_is_a_404_page_without_traceback":
        ("§1 Routes", "an unknown path is a 404 HTML page without a traceback"),
    "test_health_reports_the_database":
        ("§1 Routes", "GET /health is 200 JSON {status: ok, database: ok}"),
    "test_health_is_503_when_the_database_is_unreachable":
        ("§1 Routes", "GET /health is 503 when the database is unreachable"),
    # §2 Data
    "test_ten_parallel_writers_lose_nothing":
        ("§2 Data", "ten parallel writers through two workers lose nothing"),
    # §3 Security
    "test_register_without_a_valid_token_is_refused":
        ("§3 Security", "CSRF: a register POST without a valid token is refused"),
    "test_login_without_a_valid_token_is_refused":
        ("§3 Security", "CSRF: a login POST without a valid token is refused"),
    "test_logged_in_posts_without_a_valid_token_change_nothing":
        ("§3 Security", "CSRF: logged-in POSTs without a valid token change nothing"),
    "test_the_session_from_before_login_is_not_logged_in":
        ("§3 Security", "no session fixation: pre-login cookies are not logged in"),
    "test_login_never_redirects_off_site":
        ("§3 Security", "next never leads off-site"),
    "test_session_cookie_is_httponly_and_samesite_lax":
        ("§3 Security", "the session cookie is HttpOnly and SameSite=Lax"),
    "test_secure_cookies_are_on_unless_turned_off":
        ("§3 Security", "the session cookie is Secure unless SECURE_COOKIES=false"),
    "test_security_headers_on_every_kind_of_response":
        ("§3 Security", "nosniff and frame denial on every kind of response"),
    "test_note_text_is_escaped":
        ("§3 Security", "templates auto-escape a note's text"),
    "test_refuses_to_start_without_a_secret_key":
        ("§3 Security", "web refuses to start without SECRET_KEY and says so"),
    "test_a_second_web_process_serves_the_same_logged_in_user":
        ("§3 Security", "a second web process serves the same logged-in user"),
    # §5 Project conventions
    "test_project_files":
        ("§5 Project", "pyproject, Procfile (release, web on 0.0.0.0:$PORT), README, .env.*"),
    "test_the_projects_own_tests_pass":
        ("§5 Project", "the project's own tests pass"),
    "test_ruff_finds_nothing":
        ("§5 Project", "ruff check finds nothing"),
    "test_readme_quick_start_sets_up_serves_and_tests":
        ("§5 Project", "the README's two quick-start commands serve and test"),
    "test_a_real_browser_registers_adds_a_note_and_logs_out":
        ("§1 Routes", "a real browser registers, adds a note and logs out"),
    # Bake-time checks and the template set's rules
    "test_every_choice_bakes_cleanly":
        ("Bake", "every choice bakes with no unrendered Jinja, licence and CI as chosen"),
    "test_each_bake_gets_its_own_secret":
        ("Bake", "each bake gets its own SECRET_KEY in a private .env"),
    "test_bad_slugs_are_refused_before_anything_is_written":
        ("Bake", "a bad project_slug is refused before anything is written"),
    "test_the_cookiecutter_command_refuses_a_bad_slug_in_one_line":
        ("Bake", "the cookiecutter command refuses a bad slug in one line"),
    "test_every_template_declares_the_shared_keys_identically":
        ("Template set", "the shared keys come first, as in every template"),
    "test_every_template_runs_the_one_shared_hook":
        ("Template set", "hooks/ links to the one shared hook"),
    "test_shared_project_files_come_from_common":
        ("Template set", "shared project files link to common/"),
}
NODEID = re.compile(r"^(?P<path>[^:]*)::(?P<function>[^\[@]+)(?:\[(?P<params>.*)\])?(?:@.*)?$")
MARKS = {"passed": "PASS", "failed": "FAIL", "error": "FAIL", "skipped": "SKIP"}


def clause(nodeid, template):
    """(section, clause, detail) of one test: its parameters, minus the template's name."""
    match = NODEID.match(nodeid)
    path, function, params = match.group("path", "function", "params")
    if params:
        parts = [part for part in params.split("-") if part != template]
        params = "-".join(parts)
    if function in CLAUSES:
        section, text = CLAUSES[function]
    else:
        section = "Contract" if "/contract/" in path else "Bake"
        text = function.removeprefix("test_").replace("_", " ")
    return section, text, params


def format_line(result, template):
    section, text, params = clause(result["nodeid"], template)
    line = f"{MARKS.get(result['outcome'], result['outcome'].upper()):4}  {section:13} {text}"
    if params:
        line += f" [{params}]"
    if result["outcome"] != "passed" and result["reason"]:
        line += f" — {result['reason']}"
    return line


def resolve_template(path, root=ROOT):
    template = Path(path).resolve()
    if not (template / "cookiecutter.json").is_file():
        raise TemplateError(f"{path} is not a template folder (no cookiecutter.json)")
    if not template.is_relative_to(root / "templates"):
        raise TemplateError(f"{path} is not under {root / 'templates'}: a template lives in "
                            "the template set, where its hooks/ and common files link to ours")
    return template


def concept_lines(template, out):
    """Bake the template once and report its concept map: one bool per line printed (the
    bake, then each concept), and whether it baked."""
    with tempfile.TemporaryDirectory(prefix="webcutter-check-") as folder:
        try:
            project = bake_template(template, folder, quiet=True)
        except Exception as error:  # noqa: BLE001 - any failure to bake is the first finding
            message = str(error).strip().splitlines()[0] if str(error).strip() else ""
            print(f"FAIL  {'Bake':13} the template bakes with the defaults — "
                  f"{type(error).__name__}: {message}", file=out)
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
            print(f"{'PASS' if location.ok else 'FAIL'}  {'Concept map':13} "
                  f"{location.concept} — {location}", file=out)
        return outcomes, True


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
        raise TemplateError("webcutter check runs the test suite: install the dev extra "
                            '(pip install -e ".[dev]")')
    with tempfile.TemporaryDirectory(prefix="webcutter-check-") as folder:
        report, log = Path(folder) / "results.jsonl", Path(folder) / "pytest.log"
        report.touch()
        env = {**os.environ, "WEBCUTTER_TEMPLATE": str(template),
               "WEBCUTTER_DATABASES": DATABASES[database], "WEBCUTTER_CHECK_REPORT": str(report)}
        command = [sys.executable, "-m", "pytest", *SUITE, "-p", "webcutter.check_plugin",
                   "-p", "no:cacheprovider", "-q", "-rN"]
        if workers > 1 and find_spec("xdist") is not None:
            command += ["-n", str(workers)]
        command += list(pytest_args)
        with open(log, "wb") as handle:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle,
                                       stderr=subprocess.STDOUT)
        results, seen = [], 0
        while True:
            finished = process.poll() is not None
            lines = report.read_text(encoding="utf-8").splitlines()
            for raw in lines[seen:]:
                result = json.loads(raw)
                results.append(result)
                print(format_line(result, name), file=out, flush=True)
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
    print(f"\n{passed} passed, {failures} failed, {skipped} skipped"
          f"{' (pytest: ' + summary.strip('= ') + ')' if summary else ''}", file=out)
    return 0 if not failures and process.returncode == 0 else 1
