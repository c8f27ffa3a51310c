"""Run a generated project's Procfile: ``release`` once, ``web`` as real server processes."""

import os
import signal
import subprocess
import time
from pathlib import Path

import requests

from .net import free_port


def read_procfile(project):
    entries = {}
    for line in (Path(project) / "Procfile").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, command = line.partition(":")
            entries[name.strip()] = command.strip()
    return entries


def release(project, env):
    command = read_procfile(project)["release"]
    result = subprocess.run(["sh", "-c", command], cwd=project, env=env, capture_output=True,
                            text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"release ({command}) failed:\n{result.stdout}\n{result.stderr}")
    return result


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
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(["sh", "-c", f"exec {self.command}"], cwd=self.project,
                                            env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        return self

    def wait_until_serving(self, timeout=60):
        """Wait for any HTTP answer from /health; raise with the server's log if none comes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"web exited with {self.process.returncode}:\n{self.output()}")
            try:
                requests.get(f"{self.url}/health", timeout=5)
                return self
            except (requests.ConnectionError, requests.Timeout):  # workers still booting
                time.sleep(0.2)
        raise RuntimeError(f"web did not answer within {timeout}s:\n{self.output()}")

    def output(self):
        return self.log.read_text(errors="replace")[-6000:] if self.log.exists() else ""

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self):
        return self.start().wait_until_serving()

    def __exit__(self, *exc):
        self.stop()
