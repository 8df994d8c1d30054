"""`jalon import`, `jalon export`, `jalon backup`, `jalon restore`: the file exchanges of the
command line. Each prints one sentence on error and exits non-zero; long work shows a progress
bar (rich) on a terminal. Django is set up only when a command runs.

`export --format ics` writes the project's calendar with the very function behind the page
/projets/<pk>/calendrier.ics, so the file and the page give the same events.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jalon.cli_common import check_writable, find_project, write_output

FORMATS = ("mspdi", "csv", "xlsx", "ics", "json")


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


def project_calendar_ics(project: Any) -> bytes:
    """The project's milestones, meetings and assignments as iCalendar: the feed of
    /projets/<pk>/calendrier.ics as an administrator of the project's organisation sees it,
    since whoever runs `jalon` has the whole database anyway."""
    from django.conf import settings
    from django.utils import timezone

    from jalon.accounts.models import User
    from jalon.formats.ical import calendar_feed
    from jalon.meetings.selectors import project_calendar_events

    operator = User(role=User.Role.ADMIN, organisation=project.organisation)  # never saved
    # The page names events after the host it is served from; the site's address stands for it
    # here, so that a calendar which imported both sees the same UIDs.
    domain = urlsplit(settings.JALON_BASE_URL).hostname or "localhost"
    events = project_calendar_events(project, operator, domain=domain, fallback_email=settings.DEFAULT_FROM_EMAIL)
    return calendar_feed(events, stamp=timezone.now(), name=str(project), zone=settings.TIME_ZONE)


def _export_content(project: Any, fmt: str) -> bytes:
    from jalon.interop.services import project_export

    return project_calendar_ics(project) if fmt == "ics" else project_export(project=project, fmt=fmt)


def _default_output(project: Any, fmt: str) -> str:
    from jalon.interop.services import export_filename

    if fmt == "ics":  # not a plan format of the interop services: same stem, calendar suffix
        return str(Path(export_filename(project, "json")).with_suffix(".ics"))
    return export_filename(project, fmt)


def cmd_export(args: argparse.Namespace) -> int:
    _setup()
    try:
        project = find_project(args.code, args.organisation)
        output = args.output or _default_output(project, args.format)
        check_writable(output)
        done = write_output(_export_content(project, args.format), output)
    except LookupError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"cannot write {output}: {error.strerror}")
    if done:
        print(done)
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
        "import", help="import a plan file (MSPDI, CSV, XLSX, .mpp) into a project",
        description="Import a plan file into the project with this code (created if it does not exist). "
                    "All or nothing: on any error nothing is written.")
    imp.add_argument("file", metavar="FILE", help="the plan file: .xml, .csv, .xlsx, .mpp, .gan")
    imp.add_argument("--project", required=True, metavar="CODE", help="code of the project to import into")
    imp.add_argument("--organisation", metavar="NAME", help="organisation (needed when several exist)")
    imp.set_defaults(handler=cmd_import)

    exp = sub.add_parser("export", help="export a project's plan (MSPDI, CSV, XLSX, JSON) or calendar",
                         description="Export the plan of the project with this code as MS Project XML (mspdi), "
                                     "CSV, XLSX or JSON, or its milestones, meetings and assignments as "
                                     "iCalendar (ics).")
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
