"""The tracking tests' project: the conftest world's "Refonte boulangerie", staffed and linked.

Maquettes (5 j/h, Mona, skill Design UI) → Validation des maquettes (milestone) → Intégration
(3 j/h, Hugo, skill Intégration). The project starts on Monday 7 January 2030; planned once and
saved as a baseline, it runs: Maquettes 07–11/01, milestone on 11/01, Intégration 14–16/01.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from jalon.people.models import Person
from jalon.planning.services import baseline_save, project_plan
from jalon.projects.models import Task, TaskSkill
from tests.factories import make_dependency, make_member, make_person, make_skill

MONDAY = dt.date(2030, 1, 7)


def day(offset: int) -> dt.date:
    """Working day `offset` of the project (0 = Monday 7 January 2030; no holiday until May)."""
    weeks, rest = divmod(offset, 5)
    return MONDAY + dt.timedelta(weeks=weeks, days=rest)


@dataclass
class Staffed:
    project: object
    mona: Person
    hugo: Person
    mockups: Task
    review: Task
    build: Task


def staff_project_a(world, *, plan: bool = True) -> Staffed:  # type: ignore[no-untyped-def]
    project = world.project_a
    org = project.organisation
    mona = Person.objects.get(user=world.user("member"))
    mona.daily_cost = Decimal("300")
    mona.save()
    design = make_skill(org, "Design UI")
    mona.skills.create(skill=design, level=4)
    hugo = make_person(org, "Hugo", last_name="Lefèvre", job_title="Intégrateur", daily_rate=Decimal("450"),
                       daily_cost=Decimal("250"), skills={"Intégration": 4})
    make_member(project, hugo)
    mockups = project.tasks.get(name="Maquettes")
    review = project.tasks.get(name="Validation des maquettes")
    TaskSkill.objects.create(task=mockups, skill=design, min_level=3)
    build = Task.objects.create(project=project, phase=mockups.phase, name="Intégration", effort_days=Decimal("3"), order=3)
    TaskSkill.objects.create(task=build, skill=make_skill(org, "Intégration"), min_level=3)
    make_dependency(mockups, review)
    make_dependency(review, build)
    if plan:
        outcome = project_plan(project=project, by=world.user("pm"), max_iterations=20)
        assert outcome.saved, outcome.reasons
        baseline_save(project=project, name="Référence initiale", by=world.user("pm"))
    for task in (mockups, review, build):
        task.refresh_from_db()
    return Staffed(project, mona, hugo, mockups, review, build)
