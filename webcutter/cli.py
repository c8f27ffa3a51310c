"""The ``webcutter`` command: list, new, compare, check."""

import argparse
import json
import sys
from pathlib import Path

from . import report
from .templates import (
    BakeError,
    TemplateError,
    catalogue,
    framework,
    parse_answers,
    validate_answers,
)

EPILOG = "Plain `cookiecutter . --directory templates/<framework>` works without this command."


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
    try:
        project = bake_template(entry.path, args.output_dir, answers, no_input=args.no_input)
    except FailedHookException:
        return 1  # the hook has already said why, in one line
    except CookiecutterException as error:
        print(f"webcutter: {error}", file=sys.stderr)
        return 1
    print(f"Generated {entry.title} project in {project}")
    return 0


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


def cmd_compare(args):
    from . import compare, measure
    from .progress import Silent

    if args.from_json:
        if args.targets or args.measure:
            raise UsageError("--from-json renders a saved report: no frameworks, answers or "
                             "--measure with it")
        try:
            data = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise UsageError(f"cannot read {args.from_json}: {error}") from error
        return write_reports(data, args)
    keys, pairs = split_targets(args.targets)
    for key in keys:
        framework(key)  # an unknown framework is a usage error before anything is baked
    answers = parse_answers(pairs)
    settings = measure.Settings(workers=args.workers, concurrency=args.concurrency,
                                duration=args.duration, warmup=args.warmup)
    # A bake-only run takes a second or two: its progress is drawn on a terminal only.
    quiet = args.quiet or (not args.measure and not sys.stderr.isatty())
    progress = Silent() if quiet else None
    data = compare.compare(keys or None, answers, args.measure, settings, args.workdir,
                           progress)
    return write_reports(data, args)


def write_reports(data, args):
    if not args.output:
        sys.stdout.write(report.render(data, args.format))
    for path in args.output:
        fmt = output_format(path, args.format)
        Path(path).write_text(report.render(data, fmt), encoding="utf-8")
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
        prog="webcutter", epilog=EPILOG,
        description="Generate, compare and check projects of the webcutter template set.")
    sub = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("list", help="the frameworks of the root cookiecutter.json").set_defaults(
        run=cmd_list)

    new = sub.add_parser("new", help="generate a project (cookiecutter on templates/FRAMEWORK)")
    new.add_argument("framework", metavar="FRAMEWORK")
    new.add_argument("answers", nargs="*", metavar="key=value")
    new.add_argument("-o", "--output-dir", default=".", metavar="DIR")
    new.add_argument("--no-input", action="store_true", help="take the defaults, do not prompt")
    new.set_defaults(run=cmd_new)

    compare = sub.add_parser(
        "compare", help="bake frameworks with the same answers and show them side by side")
    compare.add_argument("targets", nargs="*", metavar="FRAMEWORK|key=value",
                         help="frameworks to compare (default: all) and answers for every bake")
    compare.add_argument("--measure", action="store_true",
                         help="install, serve and load each project (minutes)")
    compare.add_argument("--format", choices=report.FORMATS, default="text")
    compare.add_argument("-o", "--output", action="append", default=[], metavar="FILE",
                         help="write the report here (repeatable; format from the suffix: "
                              ".md .json .html .txt, else --format)")
    compare.add_argument("--workers", type=positive(int), default=2,
                         help="WEB_CONCURRENCY of every server (default 2)")
    compare.add_argument("--concurrency", type=positive(int), default=8,
                         help="client threads per load run (default 8)")
    compare.add_argument("--duration", type=positive(float), default=4.0,
                         help="seconds of load per endpoint (default 4)")
    compare.add_argument("--warmup", type=positive(float), default=1.0,
                         help="seconds of warm-up per endpoint (default 1)")
    compare.add_argument("--workdir", metavar="DIR",
                         help="bake and install here and keep it (default: a temporary folder)")
    compare.add_argument("--from-json", metavar="FILE",
                         help="render a report saved with -o FILE.json instead of baking")
    compare.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    compare.set_defaults(run=cmd_compare)

    check = sub.add_parser(
        "check", help="run the contract suite against one template, one line per clause")
    check.add_argument("template", metavar="PATH_TO_TEMPLATE")
    check.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    check.add_argument("-n", "--workers", type=int, default=2,
                       help="pytest-xdist workers (default 2; 1 runs in one process)")
    check.add_argument("pytest_args", nargs="*", metavar="-- PYTEST ARGS",
                       help="extra pytest arguments after --, e.g. -- -k csrf")
    check.set_defaults(run=cmd_check)
    return main


def main(argv=None):
    cli = parser()
    args, extras = cli.parse_known_args(argv)
    if "--" in extras:  # `check PATH -- PYTEST ARGS`
        cut = extras.index("--")
        extras, passed_on = extras[:cut], extras[cut + 1:]
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
    except (TemplateError, UsageError) as error:
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
