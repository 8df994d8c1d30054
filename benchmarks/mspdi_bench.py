"""MS Project XML at scale: generate a 5,000-task plan, then time

  * writing it as MSPDI (`write_mspdi`) and reading it back (`read_mspdi`, defusedxml parser);
  * the whole import into a database (`project_import`: read, phases, tasks, links, people,
    assignments, one transaction) and the whole export (`project_export`: queries, dates,
    calendar, XML) — target 5 s each.

The database is a fresh SQLite file in a temporary folder (migrated before timing), unless
DATABASE_URL says otherwise. Usage: python benchmarks/mspdi_bench.py [--tasks 5000]
Figures only; nothing here asserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from jalon.engine.model import LinkType  # noqa: E402
from jalon.formats.mspdi import read_mspdi, write_mspdi  # noqa: E402
from jalon.formats.plan import PlanAssignment, PlanCalendar, PlanDocument, PlanLink, PlanResource, PlanTask  # noqa: E402

console = Console()
TASKS_PER_PHASE = 100
PEOPLE = 40


def generate(task_count: int) -> PlanDocument:
    """Phases of 100 tasks (every 10th a milestone), each task after the previous one of its
    phase, every 7th also after a task of the previous phase; one person per task."""
    day = dt.timedelta(days=1)
    start = dt.datetime(2030, 1, 7, 9)
    doc = PlanDocument(name="Plan de 5 000 tâches", minutes_per_day=420, default_calendar="1", start=start,
                       calendars=[PlanCalendar("1", "Standard")])
    doc.resources = [PlanResource(str(n), f"Personne {n:02d}") for n in range(1, PEOPLE + 1)]
    uid = 0
    previous_phase: list[str] = []
    for phase in range(task_count // TASKS_PER_PHASE + (1 if task_count % TASKS_PER_PHASE else 0)):
        uid += 1
        doc.tasks.append(PlanTask(str(uid), f"Lot {phase + 1}", 1, str(phase + 1), summary=True, start=start, finish=start))
        members: list[str] = []
        for n in range(min(TASKS_PER_PHASE, task_count - phase * TASKS_PER_PHASE)):
            uid += 1
            milestone = n % 10 == 9
            first = start + day * (phase * 3 + n // 5)
            task = PlanTask(str(uid), f"Tâche {phase + 1}.{n + 1}", 2, f"{phase + 1}.{n + 1}", milestone=milestone,
                            start=first, finish=first if milestone else first + dt.timedelta(hours=9),
                            duration_days=0 if milestone else 1, work_days=0 if milestone else 1)
            doc.tasks.append(task)
            if members:
                doc.links.append(PlanLink(members[-1], task.uid, LinkType.FS, 0))
            if n % 7 == 3 and previous_phase:
                doc.links.append(PlanLink(previous_phase[n % len(previous_phase)], task.uid, LinkType.SS, 1))
            if not milestone:
                doc.assignments.append(PlanAssignment(task.uid, str(uid % PEOPLE + 1), 1.0, 1.0))
            members.append(task.uid)
        previous_phase = members
    return doc


def timed(action):  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    value = action()
    return value, time.perf_counter() - began


def setup_database(folder: str) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=5000, help="tasks in the generated plan (default: %(default)s)")
    args = parser.parse_args()

    document = generate(args.tasks)
    data, write_seconds = timed(lambda: write_mspdi(document))
    parsed, read_seconds = timed(lambda: read_mspdi(data, name="bench.xml"))
    with tempfile.TemporaryDirectory(prefix="jalon-bench-") as folder:
        console.print("Preparing the database (migrations, not timed)…")
        setup_database(folder)
        from jalon.accounts.models import Organisation
        from jalon.interop.services import project_export, project_import

        organisation = Organisation.objects.create(name="Agence Bench")
        report, import_seconds = timed(lambda: project_import(organisation=organisation, file=data, name="bench.xml", by=None))
        exported, export_seconds = timed(lambda: project_export(project=report.project, fmt="mspdi"))

    leaves = sum(1 for t in parsed.tasks if not t.summary)
    table = Table(title=f"MSPDI, {leaves:,} tasks, {len(parsed.links):,} links, {len(parsed.assignments):,} assignments".replace(",", " "))
    for column in ("step", "seconds", "target", "size"):
        table.add_column(column, justify="right" if column != "step" else "left")
    table.add_row("write_mspdi (plan -> XML)", f"{write_seconds:.2f}", "", f"{len(data) / 2**20:.1f} MB")
    table.add_row("read_mspdi (XML -> plan)", f"{read_seconds:.2f}", "", "")
    table.add_row("project_import (file -> database)", f"{import_seconds:.2f}", "≤ 5", f"{report.tasks} tasks")
    table.add_row("project_export (database -> file)", f"{export_seconds:.2f}", "≤ 5", f"{len(exported) / 2**20:.1f} MB")
    console.print(table)


if __name__ == "__main__":
    main()
