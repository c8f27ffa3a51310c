"""Running a generated project: its environment, its Procfile, its ``web`` process.

One implementation for everything that serves a skeleton: the contract suite (tests/contract)
and ``webcutter compare --measure``. Standard library only; every server binds a free port on
127.0.0.1's side and is reached there only.
"""

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HOST = "127.0.0.1"
# Variables a project reads from its own .env: the caller's values must not leak into it.
PROJECT_VARIABLES = {
    "VIRTUAL_ENV",
    "PYTHONPATH",
    "DATABASE_URL",
    "SECRET_KEY",
    "DEBUG",
    "PORT",
    "WEB_CONCURRENCY",
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
}


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def find_uv():
    found = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    return found if Path(found).exists() else None


def run(command, cwd, env=None, timeout=1200):
    """Run ``command``; raise with the tail of its output when it fails."""
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, command))} failed ({result.returncode}) in "
            f"{cwd}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return result


def build_venv(folder, *requirements):
    """``folder/.venv`` (with pip, as a project's own README set-up makes it) with
    ``requirements`` installed: uv when available (its cache makes rebuilds fast), else
    venv + pip. Returns the venv's bin folder."""
    venv = Path(folder) / ".venv"
    uv = find_uv()
    if uv:
        run([uv, "venv", "--quiet", "--seed", "--python", sys.executable, venv], folder)
        # --compile-bytecode: what pip does by default (and a deployment's build step), so
        # that no process of the project compiles its dependencies from source again.
        install = [uv, "pip", "install", "--quiet", "--compile-bytecode"]
        run([*install, "--python", venv / "bin" / "python", *requirements], folder)
    else:
        run([sys.executable, "-m", "venv", venv], folder)
        run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", *requirements], folder)
    return venv / "bin"


def project_env(bin_dir, **overrides):
    """The environment a project's commands run in: its venv first on PATH, none of the
    caller's values for what the project reads from its .env (nor PYTHONDONTWRITEBYTECODE),
    then ``overrides``."""
    env = {key: value for key, value in os.environ.items() if key not in PROJECT_VARIABLES}
    # A project writes its own bytecode as it would on a developer's machine or a server, even
    # when the caller's shell says not to: else every start compiles it from source again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(Path(bin_dir).parent)
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def read_procfile(project):
    entries = {}
    for line in (Path(project) / "Procfile").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, command = line.partition(":")
            entries[name.strip()] = command.strip()
    return entries


def release(project, env):
    """The Procfile's ``release`` command (apply migrations)."""
    return run(["sh", "-c", read_procfile(project)["release"]], project, env, timeout=300)


class WebProcess:
    """The Procfile's ``web`` command on a free port, as its own process group."""

    def __init__(self, project, env, port=None):
        self.project = Path(project)
        self.port = port or free_port()
        self.env = {**env, "PORT": str(self.port)}
        self.command = read_procfile(project)["web"]
        self.log = self.project / f"web-{self.port}.log"
        self.process = None

    @property
    def url(self):
        return f"http://{HOST}:{self.port}"

    def start(self):
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                ["sh", "-c", f"exec {self.command}"],
                cwd=self.project,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def health_status(self, timeout=5):
        """The status of ``GET /health``, or None while nothing answers (not listening yet,
        or a server whose workers are still booting)."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            connection.request("GET", "/health")
            return connection.getresponse().status
        except (OSError, http.client.HTTPException):
            return None
        finally:
            connection.close()

    def wait_until_serving(self, timeout=60, status=None, interval=0.05, since=None):
        """Wait until ``/health`` answers (with ``status``, when given), asking again every
        ``interval`` seconds while nothing listens; return the seconds it took since ``since``
        (a ``time.perf_counter()`` value; default: now). Raise, with the server's log, when
        the process exits or time runs out."""
        started = time.perf_counter() if since is None else since
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"web exited with {self.process.returncode}:\n{self.output()}")
            answer = self.health_status()
            if answer is not None and (status is None or answer == status):
                return time.perf_counter() - started
            time.sleep(interval)
        raise RuntimeError(f"web did not answer within {timeout}s:\n{self.output()}")

    def output(self):
        return self.log.read_text(errors="replace")[-6000:] if self.log.exists() else ""

    def resident_mib(self):
        """Resident memory of the whole process group (server and its workers), in MiB."""
        return round(group_rss_kib(self.process.pid) / 1024, 1)

    def proportional_mib(self):
        """Proportional memory (PSS) of the process group, in MiB: each page shared between
        the server and its workers (a preloaded app) is counted once, split among them."""
        return round(group_rss_kib(self.process.pid, field="Pss") / 1024, 1)

    def cpu_seconds(self):
        """CPU time (user and system) the server's live processes have used so far."""
        ticks = 0
        for entry in group_processes(self.process.pid):
            with contextlib.suppress(OSError, ValueError, IndexError):  # one that has just ended
                fields = stat_fields(entry)
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def pin(self, cpus):
        """Keep every thread of the server's processes on ``cpus``; processes it starts
        later (workers) inherit them."""
        for entry in group_processes(self.process.pid):
            with contextlib.suppress(OSError):  # a process or thread that has just ended
                for task in list((entry / "task").iterdir()):
                    os.sched_setaffinity(int(task.name), cpus)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self):
        self.start().wait_until_serving()
        return self

    def __exit__(self, *exc):
        self.stop()


def stat_fields(entry):
    """The fields of a /proc process folder's ``stat`` after the command's name: state, ppid,
    pgrp, ... (``proc(5)``'s third field onwards)."""
    stat = (entry / "stat").read_text()
    return stat[stat.rindex(")") + 2 :].split()


def group_processes(pgid):
    """The /proc folders of the processes of group ``pgid`` (Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if int(stat_fields(entry)[2]) == pgid:  # state, ppid, pgrp, ...
                found.append(entry)
        except (OSError, ValueError, IndexError):  # a process that has just ended
            continue
    return found


def group_rss_kib(pgid, field="Rss"):
    """Sum of a memory figure over the processes of group ``pgid`` (Linux /proc): ``Rss``
    (resident set) or ``Pss`` (proportional set, from smaps_rollup; Rss where unreadable)."""
    total = 0
    for entry in group_processes(pgid):
        try:
            text = (entry / "status").read_text()
            if field == "Pss":
                try:
                    text = (entry / "smaps_rollup").read_text()
                except OSError:
                    field = "Rss"
        except (OSError, ValueError):
            continue
        name = "VmRSS" if field == "Rss" else field
        match = re.search(rf"^{name}:\s+(\d+) kB", text, re.M)
        total += int(match.group(1)) if match else 0
    return total
