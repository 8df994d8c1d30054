"""Server time of the planning pages on a big project: 1,000 tasks in phases with links, 30 people.

Builds the data in a throw-away test database (SQLite by default; PostgreSQL when
DATABASE_URL points at a server: a `test_…` database is created there and dropped after), plans
it with the heuristic so every bar has dates, saves a baseline, then requests each page with
Django's test client and prints, per page, the median and the spread of N requests in wall time,
the median CPU time of this process (on a loaded machine the steadier figure; with SQLite it
includes the database's work), the median time the database took by Django's own query log (it
times `execute` only: SQLite does most of its work later, while rows are fetched, so there it
reads near zero), and the number of queries. Figures only.

    python benchmarks/pages_bench.py [--tasks 1000] [--people 30] [--repeat 15] [--page gantt]
    python benchmarks/pages_bench.py --keep          # reuse the generated project from a previous --keep run
    python benchmarks/pages_bench.py --profile "Gantt (jour)"   # cProfile of one request, top 30
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python benchmarks/pages_bench.py
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import statistics
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/jalon-pages-bench.sqlite3")
TARGET_MS = 300
BENCH_CODE = "BENCH"
# A file, not SQLite's in-memory test database: the pages are timed as a server would run them.
SQLITE_TEST_FILE = "/tmp/jalon-pages-bench-test.sqlite3"

SKILLS = ["Gestion de projet", "UX design", "Design UI", "Intégration HTML/CSS", "Développement back-end",
          "Développement front-end", "Recette / tests", "Rédaction web", "SEO", "Administration système"]


def build(tasks: int, people: int):  # type: ignore[no-untyped-def]
    """An agency, a manager, `people` collaborators with 2–3 skills each, and one project of
    `tasks` tasks in 10 phases of sub-phases, chained with mixed links; then plan and baseline."""
    from jalon.accounts.models import Organisation, User
    from jalon.people.models import Absence, Person, PersonSkill, Skill
    from jalon.planning.services import baseline_save, project_plan
    from jalon.projects.models import Dependency, Phase, Project, ProjectMember, Task, TaskSkill

    org = Organisation.objects.create(name="Agence Bench")
    pm = User.objects.create_user("bench-pm", password="x", organisation=org, role=User.Role.MANAGER)
    skills = [Skill.objects.create(organisation=org, name=name) for name in SKILLS]
    staff = Person.objects.bulk_create(
        Person(organisation=org, first_name=f"Personne{k}", last_name="Bench", daily_cost=Decimal(300 + k * 5),
               capacity=Decimal("0.8") if k % 7 == 0 else Decimal("1"))
        for k in range(people)
    )
    PersonSkill.objects.bulk_create(
        PersonSkill(person=p, skill=skills[(k + j * 3) % len(skills)], level=3 + (k + j) % 3)
        for k, p in enumerate(staff) for j in range(2 + k % 2)
    )
    start = dt.date(2030, 1, 7)
    Absence.objects.bulk_create(
        Absence(person=p, start=start + dt.timedelta(weeks=4 + k % 20), end=start + dt.timedelta(weeks=4 + k % 20, days=4))
        for k, p in enumerate(staff)
    )
    project = Project.objects.create(organisation=org, name="Refonte du portail (bench)", code=BENCH_CODE, manager=pm,
                                     status=Project.Status.IN_PROGRESS, start_date=start)
    ProjectMember.objects.bulk_create(ProjectMember(project=project, person=p) for p in staff)
    phases = []
    for k in range(10):
        parent = Phase.objects.create(project=project, name=f"Lot {k + 1}", order=k * 10)
        phases += [Phase.objects.create(project=project, name=f"Lot {k + 1}.{j + 1}", order=k * 10 + j + 1, parent=parent)
                   for j in range(4)]
    rows = Task.objects.bulk_create(
        Task(project=project, phase=phases[k * len(phases) // tasks], name=f"Tâche {k + 1} — livrable {k % 17}",
             order=k, effort_days=Decimal(0 if k % 25 == 24 else 1 + k % 5), is_milestone=k % 25 == 24,
             deadline=start + dt.timedelta(days=60 + k) if k % 50 == 49 else None)
        for k in range(tasks)
    )
    TaskSkill.objects.bulk_create(
        TaskSkill(task=t, skill=skills[k % len(skills)], min_level=3) for k, t in enumerate(rows) if not t.is_milestone
    )
    links = []
    for k, task in enumerate(rows[1:], start=1):
        links.append(Dependency(predecessor=rows[k - 1], successor=task, type="FS" if k % 3 else "SS", lag_days=k % 2))
        if k >= 7 and k % 5 == 0:
            links.append(Dependency(predecessor=rows[k - 7], successor=task))
    Dependency.objects.bulk_create(links)
    began = time.perf_counter()
    outcome = project_plan(project=project, by=pm, time_limit=2.0)
    plan_seconds = time.perf_counter() - began
    if not outcome.saved:
        raise SystemExit(f"the bench project could not be planned: {outcome.reasons}")
    baseline_save(project=project, name="Référence", by=pm)
    # Life goes on: one task in ten slips by 2 to 6 days, so the variance table has rows.
    slipped = list(Task.objects.filter(project=project).order_by("order")[::10])
    for k, task in enumerate(slipped):
        shift = dt.timedelta(days=2 + k % 5)
        task.start, task.finish = task.start + shift, task.finish + shift
    Task.objects.bulk_update(slipped, ["start", "finish"])
    return project, pm, plan_seconds


def existing(tasks: int):  # type: ignore[no-untyped-def]
    """The project and manager of a kept database, when it has the size asked."""
    from jalon.projects.models import Project

    project = Project.objects.filter(code=BENCH_CODE).select_related("manager").first()
    if project is None or project.tasks.count() != tasks:
        return None
    return project, project.manager


@dataclass
class Timing:
    label: str
    wall: list[float]
    cpu: list[float]
    db: list[float]
    queries: int


def bench_pages(project, pm) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    from django.urls import NoReverseMatch, reverse

    pages = [("Gantt (semaine)", reverse("gantt", args=[project.pk])),
             ("Gantt (jour)", reverse("gantt", args=[project.pk]) + "?zoom=day"),
             ("Planification", reverse("planning", args=[project.pk])),
             ("Plan de charge", reverse("workload") + "?semaine=2030-01-07")]
    try:
        pages.append(("Découpage", reverse("breakdown", args=[project.pk])))
    except NoReverseMatch:
        pass
    return pages


def time_pages(client, pages: list[tuple[str, str]], repeat: int) -> list[Timing]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = []
    for label, url in pages:
        assert client.get(url).status_code == 200, url  # warm-up: templates, calendar tables
        timing = Timing(label, [], [], [], 0)
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                timing.cpu.append((time.process_time() - cpu) * 1000)
                timing.wall.append((time.perf_counter() - wall) * 1000)
            assert response.status_code == 200
            timing.db.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            timing.queries = len(queries)
        results.append(timing)
    return results


def profile_page(client, url: str) -> None:  # type: ignore[no-untyped-def]
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def report(vendor: str, args: argparse.Namespace, plan_seconds: float | None, results: list[Timing]) -> None:
    planned = f"; Planifier (heuristic, 2 s budget) took {plan_seconds:.1f} s" if plan_seconds is not None else " (kept database)"
    print(f"\n{vendor}: {args.tasks} tasks, {args.people} people{planned}")
    print(f"{'page':<18} {'median ms':>10} {'min':>7} {'max':>7} {'CPU ms':>7} {'DB ms':>7} {'queries':>8}  target ≤ {TARGET_MS} ms")
    for t in results:
        median = statistics.median(t.wall)
        flag = "ok" if median <= TARGET_MS else "SLOW"
        print(f"{t.label:<18} {median:>10.0f} {min(t.wall):>7.0f} {max(t.wall):>7.0f} {statistics.median(t.cpu):>7.0f} "
              f"{statistics.median(t.db):>7.1f} {t.queries:>8}  {flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--page", default="", help="time only the pages whose label contains this text")
    parser.add_argument("--keep", action="store_true", help="keep the test database, and reuse it when it is there")
    parser.add_argument("--profile", default="", help="print a cProfile of one request of this page instead")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = SQLITE_TEST_FILE
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=not args.keep, keepdb=args.keep)
    try:
        found = existing(args.tasks) if args.keep else None
        plan_seconds = None
        if found is None:
            if args.keep:  # a kept database of another size: start again from empty tables
                call_command("flush", interactive=False, verbosity=0)
            project, pm, plan_seconds = build(args.tasks, args.people)
        else:
            project, pm = found
        client = Client()
        client.force_login(pm)
        pages = [(label, url) for label, url in bench_pages(project, pm)
                 if args.page.lower() in label.lower() and (not args.profile or label == args.profile)]
        if args.profile:
            for _label, url in pages:
                profile_page(client, url)
            return
        results = time_pages(client, pages, args.repeat)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(test_name, verbosity=0)
    report(vendor, args, plan_seconds, results)


if __name__ == "__main__":
    main()
