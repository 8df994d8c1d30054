"""Server time of the planning pages on a big project: 1,000 tasks in phases with links, 30 people.

Builds the data in a throw-away test database (SQLite by default; PostgreSQL when
DATABASE_URL points at a server: a `test_…` database is created there and dropped after), plans
it with the heuristic so every bar has dates, saves a baseline, then requests each page with
Django's test client and prints the median and the spread of N requests. Figures only.

    python benchmarks/pages_bench.py [--tasks 1000] [--people 30] [--repeat 15]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python benchmarks/pages_bench.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/jalon-pages-bench.sqlite3")
TARGET_MS = 300

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
    project = Project.objects.create(organisation=org, name="Refonte du portail (bench)", code="BENCH", manager=pm,
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


def time_pages(project, pm, repeat: int) -> list[tuple[str, list[float], int]]:  # type: ignore[no-untyped-def]
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    client = Client()
    client.force_login(pm)
    pages = [("Gantt (semaine)", reverse("gantt", args=[project.pk])),
             ("Gantt (jour)", reverse("gantt", args=[project.pk]) + "?zoom=day"),
             ("Planification", reverse("planning", args=[project.pk])),
             ("Plan de charge", reverse("workload") + "?semaine=2030-01-07")]
    try:
        pages.append(("Découpage", reverse("breakdown", args=[project.pk])))
    except NoReverseMatch:
        pass
    results = []
    for label, url in pages:
        assert client.get(url).status_code == 200, url  # warm-up: templates, calendar tables
        samples = []
        for _ in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
        results.append((label, samples, len(queries)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--people", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    vendor = connection.vendor
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        project, pm, plan_seconds = build(args.tasks, args.people)
        results = time_pages(project, pm, args.repeat)
    finally:
        connection.creation.destroy_test_db(test_name, verbosity=0)
    print(f"\n{vendor}: {args.tasks} tasks, {args.people} people; Planifier (heuristic, 2 s budget) took {plan_seconds:.1f} s")
    print(f"{'page':<18} {'median ms':>10} {'min':>8} {'max':>8} {'queries':>8}  target ≤ {TARGET_MS} ms")
    for label, samples, queries in results:
        median = statistics.median(samples)
        flag = "ok" if median <= TARGET_MS else "SLOW"
        print(f"{label:<18} {median:>10.0f} {min(samples):>8.0f} {max(samples):>8.0f} {queries:>8}  {flag}")


if __name__ == "__main__":
    main()
