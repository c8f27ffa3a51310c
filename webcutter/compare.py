"""``webcutter compare``: bake frameworks with the same answers and collect what to compare."""

import datetime
import os
import platform
import shutil
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path

from . import concepts, measure, runtime, shape
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
    uv = runtime.find_uv()
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
                     "gunicorn", "waitress", "cheroot", "psycopg", "pydal", "web2py-gluon")


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
                                "notes": measure.NOTES, "host": measure.HOST}
            data["runtime"] = {}
            targets = [("hello", workdir / "hello", measure.measure_hello),
                       *((key, project, measure.measure_project)
                         for key, project in projects.items())]
            for key, folder, action in targets:
                figures = data["runtime"][key] = {
                    "background_cpu_percent": measure.background_cpu_percent()}
                run_safely(figures, action, folder, settings, progress, key, figures)
                figures["versions"] = {name: version for name, version
                                       in measure.installed_versions(folder).items()
                                       if name in KEY_DISTRIBUTIONS}
        progress.finish()
    finally:
        if owned:
            shutil.rmtree(workdir, ignore_errors=True)
    return data


def run_safely(figures, action, *args):
    """A target that fails to install, serve or seed keeps what was measured before the failure
    and gets the error in the report; the run goes on with the next target."""
    try:
        action(*args)
    except Exception as error:  # noqa: BLE001 - any failure of one target is reported
        text = str(error).strip()
        figures["error"] = (text.splitlines()[0][:300] if text else type(error).__name__)
