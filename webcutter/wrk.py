"""Load from ``wrk`` (Debian's package: a C load generator), with what the client itself cost.

A Python client saturates before a 2-worker gunicorn does, so its "ceiling" is its own; wrk does
not. To show that, every run also reports the client's CPU time (from the kernel's accounting of
the wrk process): ``client_busy`` is the share of its one core wrk used during that run, which
must stay well below 1, and ``client_capacity_rps`` how many requests per second it could have
sent on that core at that run's cost.
"""

import math
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass

UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def find():
    """The ``wrk`` command, or None (install Debian's ``wrk`` package)."""
    return shutil.which("wrk")


@dataclass
class WrkResult:
    requests: int
    seconds: float
    errors: int  # non-2xx/3xx answers and socket errors
    p50_s: float
    p99_s: float
    client_cpu_s: float

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def client_busy(self):
        """The share of one core the client used while it ran (wrk runs one thread)."""
        return self.client_cpu_s / self.seconds if self.seconds else 0.0

    @property
    def client_capacity_rps(self):
        """Requests per second one core could send at the client's measured cost."""
        return self.requests / self.client_cpu_s if self.client_cpu_s else float("inf")

    def as_dict(self):
        return {
            "requests": self.requests,
            "errors": self.errors,
            "rps": round(self.rps, 1),
            "p50_ms": round(self.p50_s * 1000, 2),
            "p99_ms": round(self.p99_s * 1000, 2),
            "client": "wrk",
            "client_cpu_s": round(self.client_cpu_s, 3),
            "client_capacity_rps": round(self.client_capacity_rps),
            "client_busy": round(self.client_busy, 3),
        }


def _duration(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    return float(match.group(1)) * UNITS[match.group(2)] if match else 0.0


def parse(output):
    """(requests, seconds, errors, p50, p99) from wrk's ``--latency`` report."""
    done = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output)
    if not done:
        raise RuntimeError(f"wrk printed no summary:\n{output[-2000:]}")
    requests, seconds = int(done.group(1)), float(done.group(2)) * UNITS[done.group(3)]
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sockets:
        errors += sum(int(value) for value in sockets.groups())
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.M))
    return (
        requests,
        seconds,
        errors,
        _duration(latency.get("50", "0s")),
        _duration(latency.get("99", "0s")),
    )


def run(url, seconds, connections=8, threads=1, headers=None, timeout_s=10):
    """Load ``url`` for ``seconds`` (wrk takes whole seconds: rounded up, at least 1) with
    ``connections`` open connections on ``threads``."""
    command = [
        find() or "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, math.ceil(seconds))}s",
        f"--timeout={timeout_s}s",
        "--latency",
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(
            f"wrk failed ({process.returncode}) after "
            f"{time.perf_counter() - started:.1f}s:\n{output[-2000:]}"
        )
    requests, elapsed, errors, p50, p99 = parse(output)
    return WrkResult(requests, elapsed, errors, p50, p99, usage.ru_utime + usage.ru_stime)
