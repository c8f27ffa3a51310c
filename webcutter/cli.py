"""The ``webcutter`` command: list, new, update, diff, compare, check."""

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

from . import report, updates
from .templates import (
    BakeError,
    TemplateError,
    catalogue,
    find_root,
    framework,
    parse_answers,
    validate_answers,
)

EPILOG = (
    "Plain `cookiecutter . --directory templates/<framework>` works without this command, "
    "and so do `cruft create`, `cruft update` and `cruft diff`."
)


class UsageError(Exception):
    """A one-line usage error: printed as ``webcutter: ...``, exit status 2."""


def cmd_list(args):
    entries = catalogue()
    width = max(len(entry.key) for entry in entries)
    for entry in entries:
        print(f"{entry.key.ljust(width)}  {entry.title} — {entry.description}")
    return 0


def cmd_new(args):
    entry = framework(args.framework)
    answers = validate_answers(entry.path, parse_answers(args.answers), entry.key)
    from cookiecutter.exceptions import CookiecutterException, FailedHookException

    from .templates import bake_template

    quiet_cookiecutter_log()
    unlinked = updates.why_not_linkable(entry.path)
    try:
        if unlinked:
            project = bake_template(entry.path, args.output_dir, answers, no_input=args.no_input)
        else:
            with cruft_errors():
                project = updates.create(entry.path, args.output_dir, answers, args.no_input)
    except FailedHookException:
        return 1  # the hook has already said why, in one line
    except CookiecutterException as error:
        print(f"webcutter: {error}", file=sys.stderr)
        return 1
    print(f"Generated {entry.title} project in {project}")
    if unlinked:
        print(f"webcutter: warning: {unlinked}", file=sys.stderr)
    else:
        print(
            f"It follows the template: {updates.CRUFT_FILE} records {find_root()} at "
            f"{updates.recorded_commit(project)[:12]}, and `webcutter update` brings in later "
            f"commits. Next: cd {project} and follow the Quick start in README.md."
        )
    return 0


def cmd_update(args):
    project = updates.linked_project(args.path)
    before = updates.recorded_commit(project)
    with cruft_errors():
        if not updates.update(project, yes=args.yes, checkout=args.checkout):
            return 1
    left = updates.unresolved(project)
    if left:
        print(
            "webcutter: the update could not merge everything; resolve these, then commit:",
            file=sys.stderr,
        )
        for name, what in left:
            print(f"  {name} ({what})", file=sys.stderr)
        return 1
    after = updates.recorded_commit(project)
    if after != before:
        print(
            f"The project now follows the template at {after[:12]} (it was {before[:12]}). "
            "Review and commit the changes; the template's CHANGELOG.md says what to do "
            "after the update (a new migration: run the Procfile's release command)."
        )
    return 0


def cmd_diff(args):
    project = updates.linked_project(args.path)
    with cruft_errors():
        return 0 if updates.diff(project, exit_code=args.exit_code, checkout=args.checkout) else 1


@contextlib.contextmanager
def cruft_errors():
    """cruft's own errors (a template that moved, a commit that is gone) as one line."""
    from cruft.exceptions import CruftError

    try:
        yield
    except CruftError as error:
        raise BakeError(error.format_message()) from error


def quiet_cookiecutter_log():
    """cookiecutter logs a failed hook with a traceback; the hook's own ERROR line says why."""
    import logging

    log = logging.getLogger("cookiecutter")
    log.addHandler(logging.NullHandler())
    log.propagate = False


def split_targets(values):
    keys, pairs = [], []
    for value in values:
        (pairs if "=" in value else keys).append(value)
    return keys, pairs


def output_format(path, fallback):
    suffix = Path(path).suffix.lower()
    if suffix in report.SUFFIXES:
        return report.SUFFIXES[suffix]
    return fallback


def read_report(path):
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot read {path}: {error}") from error
    if not isinstance(data, dict) or "frameworks" not in data:
        raise UsageError(f"{path} is not a report saved by `webcutter compare -o FILE.json`")
    return data


def chosen_concepts(names):
    """The concepts named by --concept, in the order given (an unknown one: a usage error)."""
    from . import concepts

    chosen = []
    for name in names:
        try:
            concept = concepts.resolve(name)
        except ValueError as error:
            raise UsageError(str(error)) from None
        if concept not in chosen:
            chosen.append(concept)
    return chosen


def cmd_compare(args):
    from . import compare, measure
    from .progress import Silent

    args.concepts = chosen_concepts(args.concept)
    if args.concepts and args.measure:
        raise UsageError("--concept shows code: it does not measure (no --measure with it)")
    if args.from_json:
        if args.targets or args.measure or args.runtime_from:
            raise UsageError(
                "--from-json renders a saved report: no frameworks, answers, "
                "--measure or --runtime-from with it"
            )
        return write_reports(read_report(args.from_json), args)
    if args.runtime_from and args.measure:
        raise UsageError(
            "--runtime-from keeps the runtime figures of a saved report instead "
            "of measuring: not with --measure"
        )
    earlier = read_report(args.runtime_from) if args.runtime_from else None
    keys, pairs = split_targets(args.targets)
    for key in keys:
        framework(key)  # an unknown framework is a usage error before anything is baked
    answers = parse_answers(pairs)
    settings = measure.Settings(
        workers=args.workers,
        concurrency=args.concurrency,
        duration=args.duration,
        warmup=args.warmup,
        pin=not args.shared_cpus,
    )
    # A bake-only run takes a second or two: its progress is drawn on a terminal only.
    quiet = args.quiet or (not args.measure and not sys.stderr.isatty())
    progress = Silent() if quiet else None
    data = compare.compare(
        keys or None, answers, args.measure, settings, args.workdir, progress, runtime_from=earlier
    )
    return write_reports(data, args)


def colour_wanted(stream):
    """Highlight for a terminal only, and not when NO_COLOR is set (https://no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def write_reports(data, args):
    only = args.concepts or None
    if not args.output:
        sys.stdout.write(report.render(data, args.format, only, colour_wanted(sys.stdout)))
    for path in args.output:
        fmt = output_format(path, args.format)
        Path(path).write_text(report.render(data, fmt, only), encoding="utf-8")
        print(f"wrote {path} ({fmt})", file=sys.stderr)
    return 0


def cmd_check(args):
    from . import check

    return check.run(args.template, args.database, args.workers, args.pytest_args)


def positive(kind):
    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive: {text}")
        return value

    return parse


def parser():
    main = argparse.ArgumentParser(
        prog="webcutter",
        epilog=EPILOG,
        description="Generate, compare and check projects of the webcutter template set.",
    )
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("list", help="the frameworks of the root cookiecutter.json").set_defaults(
        run=cmd_list
    )

    new = sub.add_parser("new", help="generate a project (cookiecutter on templates/FRAMEWORK)")
    new.add_argument("framework", metavar="FRAMEWORK")
    new.add_argument("answers", nargs="*", metavar="key=value")
    new.add_argument("-o", "--output-dir", default=".", metavar="DIR")
    new.add_argument("--no-input", action="store_true", help="take the defaults, do not prompt")
    new.set_defaults(run=cmd_new)

    compare = sub.add_parser(
        "compare", help="bake frameworks with the same answers and show them side by side"
    )
    compare.add_argument(
        "targets",
        nargs="*",
        metavar="FRAMEWORK|key=value",
        help="frameworks to compare (default: all) and answers for every bake",
    )
    compare.add_argument(
        "--measure", action="store_true", help="install, serve and load each project (minutes)"
    )
    compare.add_argument("--format", choices=report.FORMATS, default="text")
    compare.add_argument(
        "-o",
        "--output",
        action="append",
        default=[],
        metavar="FILE",
        help="write the report here (repeatable; format from the suffix: "
        ".md .json .html .txt, else --format)",
    )
    compare.add_argument(
        "--workers",
        type=positive(int),
        default=2,
        help="WEB_CONCURRENCY of every server (default 2)",
    )
    compare.add_argument(
        "--concurrency",
        type=positive(int),
        default=8,
        help="client threads per load run (default 8)",
    )
    compare.add_argument(
        "--duration",
        type=positive(float),
        default=4.0,
        help="seconds of load per endpoint (default 4)",
    )
    compare.add_argument(
        "--warmup",
        type=positive(float),
        default=1.0,
        help="seconds of warm-up per endpoint (default 1)",
    )
    compare.add_argument(
        "--shared-cpus",
        action="store_true",
        help="let the servers and the load client share every CPU (default: on two or more "
        "CPUs the client gets the last one and the servers the others)",
    )
    compare.add_argument(
        "--workdir",
        metavar="DIR",
        help="bake and install here and keep it (default: a temporary folder)",
    )
    compare.add_argument(
        "--concept",
        action="append",
        default=[],
        metavar="NAME",
        help="only this concept's code, side by side (repeatable; e.g. login, "
        "csrf, notes-view; an unknown name lists the valid ones)",
    )
    compare.add_argument(
        "--from-json",
        metavar="FILE",
        help="render a report saved with -o FILE.json instead of baking",
    )
    compare.add_argument(
        "--runtime-from",
        metavar="FILE",
        help="bake and map again, but take the runtime figures of a report "
        "saved with -o FILE.json (it says when they were measured)",
    )
    compare.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    compare.set_defaults(run=cmd_compare)

    update = sub.add_parser(
        "update",
        help="bring a project made by `webcutter new` up to date with its template (cruft update)",
    )
    update.add_argument(
        "path",
        nargs="?",
        default=".",
        metavar="PATH",
        help="the project (default: the current folder)",
    )
    update.add_argument(
        "-y", "--yes", action="store_true", help="apply the changes without asking first"
    )
    update.add_argument(
        "-c",
        "--checkout",
        metavar="REF",
        help="update to this branch, tag or commit of the template (default: its newest commit)",
    )
    update.set_defaults(run=cmd_update)

    diff = sub.add_parser(
        "diff", help="how a project differs from its template at the recorded commit (cruft diff)"
    )
    diff.add_argument(
        "path",
        nargs="?",
        default=".",
        metavar="PATH",
        help="the project (default: the current folder)",
    )
    diff.add_argument(
        "--exit-code", action="store_true", help="exit with status 1 when there is a difference"
    )
    diff.add_argument(
        "-c",
        "--checkout",
        metavar="REF",
        help="compare with this branch, tag or commit of the template instead",
    )
    diff.set_defaults(run=cmd_diff)

    check = sub.add_parser(
        "check", help="run the contract suite against one template, one line per clause"
    )
    check.add_argument("template", metavar="PATH_TO_TEMPLATE")
    check.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    check.add_argument(
        "-n",
        "--workers",
        type=int,
        default=2,
        help="pytest-xdist workers (default 2; 1 runs in one process)",
    )
    check.add_argument(
        "pytest_args",
        nargs="*",
        metavar="-- PYTEST ARGS",
        help="extra pytest arguments after --, e.g. -- -k csrf",
    )
    check.set_defaults(run=cmd_check)
    return main


def main(argv=None):
    cli = parser()
    args, extras = cli.parse_known_args(argv)
    if "--" in extras:  # `check PATH -- PYTEST ARGS`
        cut = extras.index("--")
        extras, passed_on = extras[:cut], extras[cut + 1 :]
        if args.command != "check":
            cli.error("only `webcutter check` passes arguments on after --")
        args.pytest_args += passed_on
    # argparse stops filling a positional list at the first option: what follows it
    # (`new flask -o out key=value`, `compare --measure flask`) arrives here.
    stray = [extra for extra in extras if extra.startswith("-")]
    if stray or (extras and args.command not in {"new", "compare"}):
        cli.error(f"unrecognized arguments: {' '.join(stray or extras)}")
    if args.command == "new":
        args.answers += extras
    elif args.command == "compare":
        args.targets += extras
    try:
        return args.run(args)
    except (TemplateError, UsageError, updates.NotLinked) as error:
        print(f"webcutter: {error}", file=sys.stderr)
        return 2
    except BakeError as error:
        print(f"webcutter: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nwebcutter: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
