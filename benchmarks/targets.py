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
pages the workers share with the server counted once) of the server against the ceiling's,
with the floor under it: a hello that imports only the library modules the app loads.
Under load the servers run on all CPUs but one and wrk on that one, so the client takes no CPU
from a server; the share of its core wrk used in its busiest run is printed with the table, so
a saturated client would show. Under the targets: the same two pages' shares by the server's own
CPU time per request (the hello's over the page's), which no client can skew. ``--write-docs``
writes docs/comparison.{md,html,json} from the same run. Measure on a quiet machine: the table
says how busy it was.
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
# Printed under the targets: the same pages' cost in the server's own CPU time per request, as a
# share of the hello's (hello's CPU per request / the page's), which no client can skew.
INFORMATION = (
    ("home_cpu_share", "GET / share, by server CPU per request"),
    ("notes_cpu_share", "GET /notes share, by server CPU per request"),
)
# Why a framework misses a target, as measured (from profiles: cProfile with process time,
# callgrind instruction counts, /proc CPU of the workers, smaps; never guessed). Printed only
# for a target the run misses. Keyed by (framework, target label).
TESTS, COLD, HOME, NOTES_PAGE, MEMORY = (label for _, label, _, _ in TARGETS[:5])
NOTES = {
    # Shared by every GET / below: measured with the server on one CPU and wrk on the other, a
    # hello request costs the server ~130-140 us of CPU (~95 us user, ~45 us system), so 0.30
    # leaves a page ~450 us in all, gunicorn's share and the kernel's included.
    ("flask", TESTS): "the suite is about 4.4 s of CPU (203 tests): 67 % is its 737 test-client "
    "requests, about 20 % start-up and collection (importing SQLAlchemy and Alembic)",
    ("flask", COLD): "importing the app is the start: SQLAlchemy 54 % of the import's self time, "
    "Flask-Migrate's Alembic, Mako and Pygments 21 %, Werkzeug 5 %, Jinja 3 %",
    ("flask", HOME): "in-process the page is ~210 us of CPU (Werkzeug 34 %, Flask 26 %, Jinja 5 %, "
    "Flask-Login 5 %); in a gunicorn worker, pinned, ~400 us of user and ~70 us of system time "
    "a request against ~95 and ~45 for the hello (gunicorn's own parsing and headers in both)",
    ("flask", NOTES_PAGE): "in-process 1.8 ms of CPU a request (2.1 before the notes and "
    "user-loader statements were built once): the notes loop 0.5 ms (~10 us a note, 390 "
    "markupsafe escapes a page), WTForms' add-note form 0.29 ms, the query of 50 ORM notes "
    "0.19 ms; logged in, GET / alone is 0.6 ms, so 0.20 (~0.65 ms a request) is out of reach",
    ("flask", MEMORY): "the imports are the memory: Flask, Flask-SQLAlchemy, SQLAlchemy's ORM and "
    "the Flask extensions make a 52 MB process, Alembic/Mako/Pygments +11 MB, against ~10 MB for "
    "a hello worker; gc.freeze() before the fork keeps the preloaded pages shared",
    ("django", TESTS): "about 3.5 s of CPU for 134 tests: half is ~620 test-client requests "
    "through the middleware stack; three tests start a subprocess (check --deploy, wsgi import, "
    "the unreachable-database page)",
    ("django", COLD): "importing Django and the project: a bare startproject with the admin "
    "imports in 0.6-0.8 of this project's config.wsgi time",
    ("django", HOME): "in-process the page is ~330 us of CPU, 69 % of it Django's own code: "
    "template rendering is 70 % of the request, a third of it the layout's five {% url %} "
    "reversals (~25 us each), then the middleware stack; in a gunicorn worker ~600 us of user "
    "time a request against ~95 us for the hello",
    ("django", NOTES_PAGE): "in-process 4.4 ms of CPU a request (7.0 before one CSRF token for "
    "the 50 delete forms and a strftime filter): the notes loop 1.6 ms (~31 us a note: each "
    "variable through render_value_in_context's localtime, localize and escaping, and a "
    "{% url %} per delete form), the add-note form 0.5-0.75 ms (widget templates), the ORM "
    "fetch of 50 notes 0.5 ms, session and user queries 0.4 ms; logged in, GET / alone is "
    "1.1 ms, against the ~0.65 ms a request a 0.20 share allows",
    ("django", MEMORY): "Django itself: a bare startproject with the admin is 44 MiB RSS imported, "
    "this project 46 MiB; each worker has 18 MiB of pages copied on write from the preloaded "
    "master (gc.freeze() changed nothing)",
    ("pyramid", TESTS): "4.3 s of CPU with bytecode (176 tests): 721 WebTest requests 37 %, "
    "BeautifulSoup parsing of the forms 9.5 %, 17 app builds for tests with other settings 17 %",
    ("pyramid", COLD): "the master imports the stack before it forks (0.75 s of CPU): SQLAlchemy "
    "37 % of the import's self time, psycopg 8 % (imported by zope.sqlalchemy), Pyramid, WebOb "
    "and pkg_resources 11 %",
    ("pyramid", HOME): "in-process the page is ~200 us of CPU: Pyramid 26 %, WebOb 16.5 %, Jinja "
    "and the layout 15 %, pyramid_retry 5.5 %, the transaction manager (pyramid_tm, transaction, "
    "zope) 7.5 %; in a gunicorn worker ~435 us of user time a request against ~95 us for the "
    "hello",
    ("pyramid", NOTES_PAGE): "Jinja rendering 43 % of the request (route_path for the 50 delete "
    "forms 11 %), the identity lookup (session cookie, the live sign-in query) about a fifth, "
    "loading the 50 notes through the ORM 13 %, zope.sqlalchemy's per-request listeners 5 %",
    ("pyramid", MEMORY): "the master holds 73 MB once loaded: SQLAlchemy and its ORM 34 MB, "
    "psycopg 10 MB, pyramid.config and pkg_resources 8.7 MB, against 26.8 MB PSS for the whole "
    "hello server; each worker dirties 12-16 MB of copied pages",
    ("cherrypy", TESTS): "45 % of the suite's CPU is the app answering 830 WebTest requests, "
    "30 % WebTest parsing their HTML with BeautifulSoup",
    ("cherrypy", COLD): "importing the app is 0.47-0.58 s of CPU, 58 % of it SQLAlchemy; nothing "
    "else slow runs at start-up",
    ("cherrypy", HOME): "in-process the page is ~350 us of CPU, half of it CherryPy's request "
    "cycle: merging the config for the path 13 %, its own access log 13 % (CherryPy formats and "
    "writes it, not gunicorn), the tools' hooks; Jinja 5 %; in a gunicorn worker ~580 us of "
    "user time a request against ~95 us for the hello",
    ("cherrypy", NOTES_PAGE): "half the request is Jinja2 rendering the 50 notes (322 escaped "
    "values), 18 % CherryPy's tools, 7 % the user lookup, 7 % the session read",
    ("cherrypy", MEMORY): "the libraries alone: a hello app that only imports CherryPy, "
    "SQLAlchemy, Jinja2 and argon2 is 2.0x the ceiling under the same gunicorn --preload; each "
    "worker adds ~15 MiB after its first pages",
    ("web2py", TESTS): "about 3.4 s of CPU (157 tests, 649 requests): the requests are 80 %, "
    "web2py running the models on each (Auth(), auth.define_tables, session.connect: 35 % of the "
    "suite), the account actions 24 %; emptying the tables after each test 4 %",
    ("web2py", COLD): "almost all of it is importing gluon, which pulls in every database driver "
    "it knows (psycopg2, pypyodbc, pymysql, pg8000); gunicorn ~0.1 s of CPU",
    ("web2py", HOME): "a first visit runs no session and no Auth (conditional models), yet "
    "in-process the page is ~350 us of CPU: building the DAL object for the request 28 % "
    "(pydal's adapter and its dependencies, before any connection), listing compiled/ for the "
    "models 10 %, routes_in 7 %, build_environment 6 %, all of it built per request; in a "
    "gunicorn worker ~670 us of user time a request against ~95 us for the hello",
    ("web2py", NOTES_PAGE): "5.4 ms of worker CPU against the hello's 0.13: the models 35 % "
    "(Auth and its tables 17.5 %, session.connect 11 %), the compiled view 34 % (678 "
    "response.write calls through xmlescape), the three selects and pydal's parsing of 50 rows "
    "20 %; each GET also writes the session row (new form keys), which SQLite serialises",
    ("web2py", MEMORY): "importing gluon adds 19 MB to the master; after serving each worker "
    "keeps ~12.5 MB of private dirty pages (gc.freeze() changed nothing)",
}


def figures(data, key):
    runtime = data["runtime"][key]
    hello = data["runtime"].get("hello", {})
    endpoints, ceiling = runtime.get("endpoints", {}), runtime.get("ceiling", {})

    def share(name):
        mine, top = endpoints.get(name, {}).get("rps"), ceiling.get(name, {}).get("rps")
        return round(mine / top, 3) if mine and top else None

    def cpu_share(name):
        mine = endpoints.get(name, {}).get("server_cpu_ms")
        top = ceiling.get(name, {}).get("server_cpu_ms")
        return round(top / mine, 3) if mine and top else None

    memory = runtime.get("pss_mib")
    return {
        "home_cpu_share": cpu_share("GET /"),
        "notes_cpu_share": cpu_share("GET /notes"),
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


def libraries_floor(data, key, limit):
    """The measured floor under a memory miss: what the project's libraries weigh alone."""
    runtime, hello = data["runtime"][key], data["runtime"].get("hello", {})
    floor, ceiling = runtime.get("libraries_pss_mib"), hello.get("pss_mib")
    if not floor or not ceiling:
        return ""
    imported, total = runtime.get("libraries_modules") or ("?", "?")
    return (
        f"; measured in this run, a hello that imports only the {imported} (of {total}) "
        f"library modules the app loads is already {floor / ceiling:.2f}x the ceiling"
        + (
            f" (so {limit:g}x cannot be met with these libraries)"
            if floor / ceiling > limit
            else ""
        )
    )


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
    for name, label in INFORMATION:
        cells = [label, "–"]
        for key in keys:
            value = found[key][name]
            cells.append("—" if value is None else f"{value:g}")
        rows.append(cells)
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(len(head))]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [head, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    runs = [
        (key, *run)
        for key in keys + ["hello"]
        if (run := report.busiest_run(data["runtime"].get(key, {})))
    ]
    settings = data.get("settings") or {}
    lines.append("")
    lines.append(
        f"client: {settings.get('client', '?')}; measured {data['generated']} on "
        f"{data['machine'].get('cpus', '?')} CPUs"
    )
    if settings.get("client_cpus"):
        lines.append(
            f"CPUs under load: the servers on {settings['server_cpus']}, the client on "
            f"{settings['client_cpus']} of its own"
        )
    if runs:
        key, name, result = max(runs, key=lambda run: report.client_busy(run[2]))
        busiest, ceiling = report.client_busy(result), report.client_ceiling(result)
        lines.append(
            f"client: its busiest run ({key}, {name}, {result['rps']:,.0f}/s) used "
            f"{100 * busiest:.0f} % of its core, so its own ceiling is {ceiling:,.0f}/s: "
            + (
                "not the bottleneck"
                if busiest <= report.CLIENT_BUSY
                else "TOO CLOSE: the client may be what limited that rate"
            )
        )
    busy = {key: data["runtime"][key].get("background_cpu_percent") for key in data["runtime"]}
    lines.append(
        "other processes' CPU before each turn: "
        + ", ".join(f"{key} {value}%" for key, value in busy.items() if value is not None)
    )
    missed = [
        (key, name, label, limit)
        for key in keys
        for name, label, limit, kind in TARGETS
        if not met(found[key][name], limit, kind)
    ]
    if missed:
        lines.append("")
        lines.append("Missed targets, with their measured cause:")
        for key, name, label, limit in missed:
            cause = NOTES.get((key, label), "no cause recorded yet")
            if name == "memory_ratio":
                cause += libraries_floor(data, key, limit)
            lines.append(f"- {key}, {label} (reached {found[key][name]:g}): {cause}")
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
