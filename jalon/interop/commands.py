"""`jalon import`, `jalon export`, `jalon backup`, `jalon restore`: the file exchanges of the
command line. Each prints one sentence on error and exits non-zero; long work shows a progress
bar (rich) on a terminal. Django is set up only when a command runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

FORMATS = ("mspdi", "csv", "xlsx", "json")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
    import django

    django.setup()


def _fail(message: str) -> int:
    print(f"jalon: {message}", file=sys.stderr)
    return 1


@contextmanager
def _progress(label: str) -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar fed with (step name, index, total); silent when not on a terminal."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), transient=True, disable=not sys.stderr.isatty(),
                  console=None) as bar:
        task = bar.add_task(label, total=None)

        def advance(step: str, index: int, total: int) -> None:
            bar.update(task, description=f"{label} · {step}", completed=index + 1, total=total)

        yield advance


def _organisation(name: str | None) -> Any:
    from jalon.accounts.models import Organisation

    organisations = Organisation.objects.all()
    if name:
        found = list(organisations.filter(name=name)[:2])
        if not found:
            raise LookupError(f"no organisation is named {name!r}")
        return found[0]
    found = list(organisations[:2])
    if len(found) != 1:
        raise LookupError("there are several organisations: say which one with --organisation NAME"
                          if found else "the database has no organisation yet (jalon demo, or the admin, creates one)")
    return found[0]


def _project(code: str, organisation_name: str | None) -> Any:
    from jalon.projects.models import Project

    projects = Project.objects.filter(code=code).select_related("organisation")
    if organisation_name:
        projects = projects.filter(organisation__name=organisation_name)
    found = list(projects[:2])
    if len(found) > 1:
        raise LookupError(f"several organisations have a project {code!r}: say which one with --organisation NAME")
    return found[0] if found else None


# --------------------------------------------------------------------------- commands


def cmd_import(args: argparse.Namespace) -> int:
    _setup()
    from jalon.formats import FormatError
    from jalon.interop.services import project_import

    try:
        project = _project(args.project, args.organisation)
        organisation = project.organisation if project else _organisation(args.organisation)
        with _progress("Import") as advance:
            advance("lecture et enregistrement", 0, 1)
            report = project_import(organisation=organisation, file=Path(args.file), project=project, by=None,
                                    code=args.project)
    except (FormatError, LookupError) as error:
        return _fail(f"nothing was imported: {error}")
    print(report.summary())
    for warning in report.warnings:
        print(f"  ! {warning}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    _setup()
    from jalon.interop.services import export_filename, project_export

    try:
        project = _project(args.code, args.organisation)
    except LookupError as error:
        return _fail(str(error))
    if project is None:
        return _fail(f"no project has the code {args.code!r}")
    content = project_export(project=project, fmt=args.format)
    if args.output == "-":
        sys.stdout.buffer.write(content)
        return 0
    target = Path(args.output or export_filename(project, args.format))
    try:
        target.write_bytes(content)
    except OSError as error:
        return _fail(f"cannot write {target}: {error.strerror}")
    print(f"{target} ({len(content):,} bytes)".replace(",", "\u202f"))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    _setup()
    from jalon.interop.backup import BackupError, organisation_backup

    try:
        organisation = _organisation(args.organisation)
        with _progress("Sauvegarde") as advance:
            content = organisation_backup(organisation=organisation, progress=advance)
        Path(args.file).write_bytes(content)
    except (LookupError, BackupError) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"cannot write {args.file}: {error.strerror}")
    print(f"{args.file}: organisation « {organisation.name} » saved ({len(content):,} bytes)".replace(",", "\u202f"))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _setup()
    from jalon.interop.backup import BackupError, organisation_restore

    try:
        data = Path(args.file).read_bytes()
    except OSError as error:
        return _fail(f"cannot read {args.file}: {error.strerror}")
    try:
        with _progress("Restauration") as advance:
            organisation = organisation_restore(data=data, progress=advance)
    except BackupError as error:
        return _fail(f"nothing was restored: {error}")
    print(f"organisation « {organisation.name} » restored from {args.file}")
    return 0


# --------------------------------------------------------------------------- parsers


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the four subcommands on `jalon`'s parser."""
    imp = sub.add_parser(
        "import", help="import a plan (MS Project XML, CSV, XLSX; .mpp/.gan with MPXJ) into a project",
        description="Import a plan file into the project with this code (created if it does not exist). "
                    "All or nothing: on any error nothing is written.")
    imp.add_argument("file", metavar="FILE", help="the plan file: .xml, .csv, .xlsx, .mpp, .gan")
    imp.add_argument("--project", required=True, metavar="CODE", help="code of the project to import into")
    imp.add_argument("--organisation", metavar="NAME", help="organisation (needed when several exist)")
    imp.set_defaults(handler=cmd_import)

    exp = sub.add_parser("export", help="export a project's plan as MS Project XML, CSV, XLSX or JSON",
                         description="Export the project with this code.")
    exp.add_argument("code", metavar="CODE", help="the project's code")
    exp.add_argument("--format", choices=FORMATS, default="mspdi", help="file format (default: %(default)s)")
    exp.add_argument("--output", "-o", metavar="FILE", help="where to write (default: CODE.ext; '-' for stdout)")
    exp.add_argument("--organisation", metavar="NAME", help="organisation (needed when several have the code)")
    exp.set_defaults(handler=cmd_export)

    backup = sub.add_parser("backup", help="save a whole organisation to a JSON file",
                            description="Save an organisation, its people, projects, specs and plans to one JSON "
                                        "file (password hashes included: keep it safe).")
    backup.add_argument("file", metavar="FILE", help="the JSON file to write")
    backup.add_argument("--organisation", metavar="NAME", help="organisation (needed when several exist)")
    backup.set_defaults(handler=cmd_backup)

    restore = sub.add_parser("restore", help="recreate an organisation from a backup file",
                             description="Recreate the organisation saved in FILE, all or nothing. Its logins "
                                         "must not exist in this database yet.")
    restore.add_argument("file", metavar="FILE", help="a file written by `jalon backup`")
    restore.set_defaults(handler=cmd_restore)
