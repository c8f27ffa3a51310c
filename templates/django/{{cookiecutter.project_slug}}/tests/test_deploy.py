"""`manage.py check --deploy` with production settings reports only the accepted warnings."""

import os
import re
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# Accepted on purpose; README.md ("Production") says why.
ACCEPTED = {
    "security.W004",  # HSTS: a one-way commitment, turned on once the site is HTTPS-only
    "security.W008",  # HTTPS redirect: the platform's proxy ends TLS and redirects
}


def test_check_deploy_reports_only_the_accepted_warnings():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "production-like-" + "x1y2z3" * 10,
        "DEBUG": "false",
        "SECURE_COOKIES": "true",
        "ALLOWED_HOSTS": "example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    reported = set(re.findall(r"\((\w+\.[EW]\d+)\)", output))
    assert reported <= ACCEPTED, output
