"""``webcutter compare``: bake frameworks with the same answers and collect what to compare."""

import datetime
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from . import concepts, measure, shape
from .progress import Progress
from .templates import ROOT, bake_template, catalogue, framework, validate_answers


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {"os": f"{platform.system()} {platform.release()}", "cpu": cpu,
            "cpus": os.cpu_count(), "memory_gib": memory,
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def tool_versions():
    versions = {"python": platform.python_version()}
    for name in ("webcutter", "cookiecutter"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    uv = measure.find_uv()
    if uv:
        result = subprocess.run([uv, "--version"], capture_output=True, text=True)
        versions["uv"] = result.stdout.split()[1] if result.returncode == 0 else None
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                capture_output=True, text=True)
        versions["webcutter_commit"] = commit.stdout.strip() or None
    except OSError:
        versions["webcutter_commit"] = None
    return versions


# The distributions whose versions the report names for each measured framework.
KEY_DISTRIBUTIONS = ("flask", "django", "pyramid", "cherrypy", "web2py", "sqlalchemy", "alembic",
                     "gunicorn", "waitress", "cheroot", "psycopg", "pydal")


def compare(keys=None, answers=None, do_measure=False, settings=None, workdir=None,
            progress=None):
    """Bake each framework in ``keys`` (default: every one of the root cookiecutter.json) with
    the same ``answers``; return the report data (a JSON-able dict)."""
    entries = [framework(key) for key in keys] if keys else catalogue()
    answers = dict(answers or {})
    for entry in entries:
        validate_answers(entry.path, answers, entry.key)
    settings = settings or measure.Settings()
    steps = len(entries)
    if do_measure:
        steps += measure.STEPS_FOR_HELLO + measure.STEPS_PER_PROJECT * len(entries)
    progress = progress or Progress(steps)
    owned = workdir is None
    workdir = Path(workdir or tempfile.mkdtemp(prefix="webcutter-compare-"))
    data = {
        "generated": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(), "versions": tool_versions(), "answers": answers,
        "frameworks": [{"key": e.key, "title": e.title, "description": e.description}
                       for e in entries],
        "shape": {}, "concepts": {}, "concept_errors": {},
        "runtime": None, "settings": None,
    }
    projects = {}
    try:
        for entry in entries:
            progress.step(f"baking {entry.key}")
            project = bake_template(entry.path, workdir / entry.key, answers, quiet=True)
            projects[entry.key] = project
            data["shape"][entry.key] = shape.measure(project).as_dict()
            try:
                mapping = concepts.load_map(entry.path)
            except concepts.ConceptMapError as error:
                data["concept_errors"][entry.key] = str(error)
                continue
            data["concepts"][entry.key] = {
                loc.concept: {"file": loc.file, "line": loc.line, "problem": loc.problem}
                for loc in concepts.locate(project, mapping, project.name)}
        if do_measure:
            data["settings"] = {"workers": settings.workers, "concurrency": settings.concurrency,
                                "duration_s": settings.duration, "warmup_s": settings.warmup,
                                "notes": measure.NOTES, "host": measure.HOST,
                                "python": sys.executable}
            data["runtime"] = {"hello": run_safely(
                lambda: measure.measure_hello(workdir / "hello", settings, progress))}
            data["runtime"]["hello"]["versions"] = {
                k: v for k, v in measure.installed_versions(workdir / "hello").items()
                if k in KEY_DISTRIBUTIONS}
            for key, project in projects.items():
                figures = run_safely(
                    lambda p=project, k=key: measure.measure_project(p, settings, progress, k))
                figures["versions"] = {k: v for k, v in measure.installed_versions(project).items()
                                       if k in KEY_DISTRIBUTIONS}
                data["runtime"][key] = figures
        progress.finish()
    finally:
        if owned:
            shutil.rmtree(workdir, ignore_errors=True)
    return data


def run_safely(action):
    """A target that fails to install, serve or seed gets its error in the report, and the
    run goes on with the next one."""
    try:
        return action()
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        return {"error": str(error).strip().splitlines()[0][:300] if str(error).strip()
                else type(error).__name__}
