#!/usr/bin/env python3
"""Every framework's runtime figures against issue 17's targets, measured in one run.

    .venv/bin/python benchmarks/targets.py [FRAMEWORK ...] [--duration S] [--write-docs]
    .venv/bin/python benchmarks/targets.py --from-json docs/comparison.json

One ``webcutter compare --measure`` run (SQLite, ``WEB_CONCURRENCY=2``, the Procfile's ``web``
command, load from Debian's ``wrk``): each project's own test suite (the second of two runs, so
that compiling is not counted), its cold start (median of three fresh starts, from starting the
``web`` command to the first 200 of ``/health``, polled every 5 ms), ``GET /`` anonymous and
``GET /notes`` logged in with 50 notes as shares of a bare WSGI "hello" app on the same gunicorn
with the same workers (measured right before each target), and the proportional memory (PSS:
pages the workers share with the server counted once) of the server against the ceiling's.
The client's own capacity (requests per CPU-second wrk spent) is printed with the table, so a
saturated client would show. ``--write-docs`` writes docs/comparison.{md,html,json} from the same
run. Measure on a quiet machine: the table says how busy it was.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from webcutter import compare, measure, report  # noqa: E402

TARGETS = (  # key, label, limit, "at most" or "at least"
    ("tests_s", "own test suite, wall (s)", 5.0, "max"),
    ("cold_start_s", "cold start to the first /health (s)", 1.0, "max"),
    ("home_share", "GET / share of the ceiling", 0.30, "min"),
    ("notes_share", "GET /notes (50 notes) share of the ceiling", 0.20, "min"),
    ("memory_ratio", "memory (PSS) / the ceiling's", 1.6, "max"),
    ("errors", "errors under load", 0, "max"),
)
# Why a framework misses a target, as measured (filled in from profiles, never guessed).
NOTES = {}


def figures(data, key):
    runtime = data["runtime"][key]
    hello = data["runtime"].get("hello", {})
    endpoints, ceiling = runtime.get("endpoints", {}), runtime.get("ceiling", {})

    def share(name):
        mine, top = endpoints.get(name, {}).get("rps"), ceiling.get(name, {}).get("rps")
        return round(mine / top, 3) if mine and top else None

    memory = runtime.get("pss_mib")
    return {
        "tests_s": runtime.get("tests_s"),
        "cold_start_s": runtime.get("cold_start_s"),
        "home_share": share("GET /"),
        "notes_share": share("GET /notes"),
        "memory_ratio": round(memory / hello["pss_mib"], 2)
        if memory and hello.get("pss_mib")
        else None,
        "errors": sum(result.get("errors", 0) for result in endpoints.values())
        if endpoints
        else None,
    }


def met(value, limit, kind):
    if value is None:
        return False
    return value <= limit if kind == "max" else value >= limit


def table(data):
    keys = [entry["key"] for entry in data["frameworks"]]
    found = {key: figures(data, key) for key in keys}
    head = ["figure", "target", *keys]
    rows = []
    for name, label, limit, kind in TARGETS:
        cells = [label, f"{'≤' if kind == 'max' else '≥'} {limit:g}"]
        for key in keys:
            value = found[key][name]
            cells.append(
                "—"
                if value is None
                else f"{value:g} {'ok' if met(value, limit, kind) else 'MISSED'}"
            )
        rows.append(cells)
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(len(head))]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [head, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    capacity = [
        result.get("client_capacity_rps")
        for key in keys + ["hello"]
        for group in ("endpoints", "ceiling")
        for result in data["runtime"].get(key, {}).get(group, {}).values()
        if result.get("client") == "wrk"
    ]
    fastest = max(
        (
            result.get("rps", 0)
            for key in keys + ["hello"]
            for group in ("endpoints", "ceiling")
            for result in data["runtime"].get(key, {}).get(group, {}).values()
        ),
        default=0,
    )
    settings = data.get("settings") or {}
    lines.append("")
    lines.append(
        f"client: {settings.get('client', '?')}; measured {data['generated']} on "
        f"{data['machine'].get('cpus', '?')} CPUs"
    )
    if capacity:
        lines.append(
            f"client capacity: at least {min(capacity):,} requests/s per core at its "
            f"measured cost, against {fastest:,.0f}/s for the fastest server: "
            + (
                "not the bottleneck"
                if min(capacity) >= 3 * fastest
                else "TOO CLOSE: the client may be the bottleneck"
            )
        )
    busy = {key: data["runtime"][key].get("background_cpu_percent") for key in data["runtime"]}
    lines.append(
        "other processes' CPU before each turn: "
        + ", ".join(f"{key} {value}%" for key, value in busy.items() if value is not None)
    )
    missed = [
        (key, label)
        for key in keys
        for name, label, limit, kind in TARGETS
        if not met(found[key][name], limit, kind)
    ]
    if missed:
        lines.append("")
        lines.append("Missed targets, with their measured cause:")
        for key, label in missed:
            lines.append(f"- {key}, {label}: {NOTES.get((key, label), 'no cause recorded yet')}")
    errors = {
        key: data["runtime"][key]["error"]
        for key in keys
        if "error" in data["runtime"].get(key, {})
    }
    for key, error in errors.items():
        lines.append(f"- {key} failed: {error}")
    return "\n".join(lines) + "\n", not missed and not errors


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("frameworks", nargs="*")
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--workdir")
    parser.add_argument(
        "--write-docs",
        action="store_true",
        help="also write docs/comparison.{md,html,json} from this run",
    )
    parser.add_argument("--from-json", help="print the table of a saved comparison.json")
    args = parser.parse_args(argv)
    if args.from_json:
        data = json.loads(Path(args.from_json).read_text())
    else:
        settings = measure.Settings(duration=args.duration, client="wrk")
        data = compare.compare(args.frameworks or None, {}, True, settings, args.workdir)
    text, ok = table(data)
    sys.stdout.write(text)
    if args.write_docs:
        for suffix in ("md", "html", "json"):
            path = ROOT / "docs" / f"comparison.{suffix}"
            path.write_text(report.render(data, suffix), encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
