"""``webcutter compare``: bake frameworks with the same answers and collect what to compare."""

import contextlib
import datetime
import os
import platform
import shutil
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path

from . import concepts, measure, report, runtime, shape
from .progress import Progress
from .report import CEILINGS
from .templates import (
    TemplateError,
    bake_template,
    catalogue,
    find_root,
    framework,
    validate_answers,
)


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
    return {
        "os": f"{platform.system()} {platform.release()}",
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gib": memory,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


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
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=find_root(), capture_output=True, text=True
        )
        versions["webcutter_commit"] = commit.stdout.strip() or None
    except (OSError, TemplateError):
        versions["webcutter_commit"] = None
    return versions


# One ceiling per server model (a template's private "_server_model" key: report.CEILINGS). The
# distributions whose versions the report names come from each template's "_key_distributions".
CEILING_DISTRIBUTIONS = ("gunicorn",)


def server_model(entry):
    model = entry.context.get("_server_model", "wsgi")
    if model not in CEILINGS:
        raise TemplateError(
            f"{entry.key}: _server_model is {model!r}, expected one of {', '.join(CEILINGS)}"
        )
    return model


def key_distributions(entry):
    return {measure.normalise(name) for name in entry.context.get("_key_distributions", [])}


def ceilings(entries, projects):
    """(ceiling key, ASGI worker or None) for each server model among ``entries``: the WSGI
    "hello", and for ASGI templates an ASGI "hello" on the first one's worker class."""
    found = {}
    for entry in entries:
        model = server_model(entry)
        if model not in found:
            found[model] = measure.asgi_worker(projects[entry.key]) if model == "asgi" else None
    return [(key, found[model]) for model, (key, _) in CEILINGS.items() if model in found]


def measured_versions(folder, wanted):
    return {
        name: version
        for name, version in measure.installed_versions(folder).items()
        if name in wanted
    }


def location_data(location):
    """What the report keeps of one located definition (JSON-able)."""
    return {
        "file": location.file,
        "symbol": location.symbol,
        "line": location.line,
        "end": location.end,
        "code": location.code,
        "problem": location.problem,
    }


def read_lines(found):
    """{file: {line number}} of the non-blank lines of the located definitions."""
    lines = {}
    for entry in found:
        numbered = enumerate(entry["code"].splitlines(), start=entry["line"])
        lines.setdefault(entry["file"], set()).update(
            number for number, text in numbered if text.strip()
        )
    return lines


def request_path(located):
    """How many files and non-blank lines a newcomer reads to follow GET /notes from the URL to
    the database and back: the definitions of :data:`concepts.REQUEST_PATH`, a line shared by
    two of them (a Flask view is also its route) counted once."""
    found = [located.get(concept) for concept in concepts.REQUEST_PATH]
    missing = [
        concept
        for concept, entry in zip(concepts.REQUEST_PATH, found, strict=True)
        if not entry or entry["problem"]
    ]
    if missing:
        return {
            "files": None,
            "lines": None,
            "problem": f"the concept map does not locate {', '.join(missing)}",
        }
    lines = read_lines(found)
    return {
        "files": len(lines),
        "lines": sum(len(numbers) for numbers in lines.values()),
        "problem": None,
    }


def map_concepts(entry, project, data):
    """Locate every concept of ``entry``'s map in its baked ``project`` into ``data``; a map
    that is not complete yet says why in ``concept_errors`` and shows what it does locate."""
    try:
        mapping = concepts.load_map(entry.path)
    except concepts.ConceptMapError as error:
        # The map's path as the repository names it: the report reads the same in any clone.
        path = entry.path / concepts.MAP_FILE
        with contextlib.suppress(ValueError):
            error = str(error).replace(str(path), str(path.relative_to(find_root())))
        data["concept_errors"][entry.key] = str(error)
        try:
            mapping = concepts.load_map(entry.path, strict=False)
        except concepts.ConceptMapError:
            return
    located = {
        loc.concept: location_data(loc) for loc in concepts.locate(project, mapping, project.name)
    }
    data["concepts"][entry.key] = located
    data["request_path"][entry.key] = request_path(located)


def compare(
    keys=None,
    answers=None,
    do_measure=False,
    settings=None,
    workdir=None,
    progress=None,
    runtime_from=None,
):
    """Bake each framework in ``keys`` (default: every one of the root cookiecutter.json) with
    the same ``answers``; return the report data (a JSON-able dict). ``runtime_from`` (the data
    of an earlier report) supplies the runtime section instead of measuring again."""
    entries = [framework(key) for key in keys] if keys else catalogue()
    answers = dict(answers or {})
    for entry in entries:
        validate_answers(entry.path, answers, entry.key)
    settings = settings or measure.Settings()
    steps = len(entries)
    if do_measure:
        models = {server_model(entry) for entry in entries}
        steps += measure.STEPS_FOR_HELLO * len(models) + measure.STEPS_PER_PROJECT * len(entries)
    progress = progress or Progress(steps)
    owned = workdir is None
    workdir = Path(workdir or tempfile.mkdtemp(prefix="webcutter-compare-"))
    data = {
        "generated": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "versions": tool_versions(),
        "answers": answers,
        "frameworks": [
            {
                "key": e.key,
                "title": e.title,
                "description": e.description,
                "server_model": server_model(e),
            }
            for e in entries
        ],
        "shape": {},
        "concepts": {},
        "concept_errors": {},
        "request_path": {},
        "runtime": None,
        "settings": None,
        "runtime_measured": None,
    }
    if runtime_from and runtime_from.get("runtime"):
        data["runtime"] = runtime_from["runtime"]
        data["settings"] = runtime_from["settings"]
        data["runtime_measured"] = report.runtime_provenance(runtime_from)
    projects = {}
    try:
        for entry in entries:
            progress.step(f"baking {entry.key}")
            project = bake_template(entry.path, workdir / entry.key, answers, quiet=True)
            projects[entry.key] = project
            data["shape"][entry.key] = shape.measure(project).as_dict()
            map_concepts(entry, project, data)
        if do_measure:
            data["runtime_measured"] = {
                key: data[key] for key in ("generated", "machine", "versions")
            }
            data["settings"] = {
                "workers": settings.workers,
                "concurrency": settings.concurrency,
                "duration_s": settings.duration,
                "warmup_s": settings.warmup,
                "notes": measure.NOTES,
                "host": measure.HOST,
            }
            data["runtime"] = {}
            data["settings"]["client"] = settings.load_client()
            server_cpus, client_cpus = settings.cpus()
            if server_cpus is not None:
                data["settings"]["server_cpus"] = len(server_cpus)
                data["settings"]["client_cpus"] = len(client_cpus)
            for key, worker in ceilings(entries, projects):
                figures = data["runtime"][key] = {
                    "background_cpu_percent": measure.background_cpu_percent()
                }
                if worker:
                    figures["worker_class"] = worker[0]
                run_safely(
                    figures,
                    measure.measure_hello,
                    workdir / key,
                    settings,
                    progress,
                    key,
                    figures,
                    worker,
                )
                wanted = {
                    *CEILING_DISTRIBUTIONS,
                    *([measure.requirement_name(worker[1])] if worker else []),
                }
                figures["versions"] = measured_versions(workdir / key, wanted)
            for entry in entries:
                folder = projects[entry.key]
                figures = data["runtime"][entry.key] = {
                    "background_cpu_percent": measure.background_cpu_percent()
                }
                hello = CEILINGS[server_model(entry)][0]
                if "error" not in data["runtime"].get(hello, {"error": "not measured"}):
                    # The ceiling again, right before this target: the two share the machine.
                    run_safely(
                        figures,
                        measure.measure_ceiling,
                        workdir / hello,
                        settings,
                        progress,
                        entry.key,
                        figures,
                    )
                run_safely(
                    figures, measure.measure_project, folder, settings, progress, entry.key, figures
                )
                figures["versions"] = measured_versions(folder, key_distributions(entry))
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
        figures["error"] = text.splitlines()[0][:300] if text else type(error).__name__
