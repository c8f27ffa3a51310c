"""Project commands.

    python manage.py migrate          create or alter the tables to match the models (release)
    python manage.py migrate --fake   record the models as migrated, without touching the tables
    python manage.py compile          compile the application (release; web2py's advice for speed)
    python manage.py compile --remove serve the source again (``run.py`` and the tests do it)
    python manage.py purge-sessions   delete the sessions unused for longer than their lifetime

Web requests never change the schema: the models run with migrations off, and only this
command turns them on. pydal's migration metadata (its ``.table`` files) is kept in the
database itself (table ``web2py_filesystem``), so a fresh checkout, a new container or a
changed password finds the state of the database it migrates.

``compile`` is web2py's "compile the application" (``gluon.compileapp``, as the admin app's
button and ``web2py.py -S app -R ... compile``): every model, controller action and view
becomes bytecode in ``applications/<app>/compiled/``, views with their layout inlined, and
web2py runs those from then on without reading, parsing or compiling a source or a template.
The Procfile's release step compiles after migrating. Compiled code does not follow later edits
of the source: ``migrate`` migrates the source's models (and compiles them again if the app was
compiled), the development server (``run.py``) removes it, and the tests compile afresh.
"""

import argparse
import sys

from {{ cookiecutter.project_slug }}.settings import APP_FOLDER, APP_NAME, SettingsError


def app_environment(migrate=False, fake_migrate=False):
    """web2py's environment for the app, with its models run (as for a request)."""
    from gluon.shell import env

    return env(
        APP_NAME,
        import_models=True,
        dir=str(APP_FOLDER),
        extra_request={"migrate": migrate, "fake_migrate": fake_migrate},
    )


def migrate(fake=False):
    # web2py runs the compiled models whenever a compiled app exists, and they may predate the
    # source (an update's new field): migrate the source's, then compile them again.
    compiled = (APP_FOLDER / "compiled").exists()
    if compiled:
        compile_application(remove=True, quiet=True)
    environment = app_environment(migrate=True, fake_migrate=fake)
    db = environment["db"]
    db.commit()
    tables = ", ".join(db.tables)
    print(f"{'Recorded' if fake else 'Migrated'} {db._dbname} tables: {tables}")
    if compiled:
        compile_application(quiet=True)
    return db


def compile_application(remove=False, quiet=False):
    """Compile the app into its ``compiled/`` folder, afresh (or only remove that folder)."""
    from gluon.compileapp import compile_application, remove_compiled_application

    remove_compiled_application(str(APP_FOLDER))
    if remove:
        if not quiet:
            print(f"Removed the compiled {APP_NAME} application: web2py serves the source")
    else:
        compile_application(str(APP_FOLDER))
        if not quiet:
            print(f"Compiled the {APP_NAME} application into {APP_FOLDER / 'compiled'}")


def purge_sessions():
    environment = app_environment()
    count = environment["purge_old_sessions"]()
    environment["db"].commit()
    print(f"Deleted {count} old sessions")
    return count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    migrate_command = commands.add_parser("migrate", help="apply the models to the database")
    migrate_command.add_argument(
        "--fake", action="store_true", help="only record the tables as migrated"
    )
    compile_command = commands.add_parser("compile", help="compile the application (release)")
    compile_command.add_argument(
        "--remove", action="store_true", help="remove the compiled application"
    )
    commands.add_parser("purge-sessions", help="delete old sessions")
    args = parser.parse_args(argv)
    try:
        import wsgi  # noqa: F401  (sets web2py up, and checks the settings)
    except SettingsError as error:
        sys.exit(f"Cannot run: {error}")
    if args.command == "migrate":
        migrate(fake=args.fake)
    elif args.command == "compile":
        compile_application(remove=args.remove)
    else:
        purge_sessions()
    return 0


if __name__ == "__main__":
    sys.exit(main())
