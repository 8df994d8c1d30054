"""Read queries for the team: people, the skills matrix, and who can do a task and when."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from jalon.accounts.models import Organisation
from jalon.engine.calendar import WorkCalendar
from jalon.people.models import Absence, Person, PersonSkill, Skill
from jalon.projects.models import Assignment, Task, TaskSkill

HORIZON_WORKING_DAYS = 260  # about a year: beyond, "not free" is the honest answer
FREE_DAYS_SHOWN = 10


def team_people(organisation: Organisation) -> QuerySet[Person]:
    """The organisation's people with their skills, in two queries."""
    return organisation.people.prefetch_related(
        Prefetch("skills", queryset=PersonSkill.objects.select_related("skill").order_by("skill__name"))
    ).order_by("-active", "first_name", "last_name")


def person_absences(person: Person) -> QuerySet[Absence]:
    return person.absences.order_by("-start")


@dataclass(frozen=True)
class MatrixRow:
    person: Person
    levels: list[tuple[Skill, int | None]]


def skills_matrix(organisation: Organisation) -> tuple[list[Skill], list[MatrixRow]]:
    """People × skills with levels (None where the person lacks the skill), in three queries."""
    skills = list(organisation.skills.order_by("category", "name"))
    people = list(organisation.people.filter(active=True).order_by("first_name", "last_name"))
    held = {
        (person_id, skill_id): level
        for person_id, skill_id, level in PersonSkill.objects.filter(person__organisation=organisation)
        .values_list("person_id", "skill_id", "level")
    }
    return skills, [MatrixRow(p, [(s, held.get((p.pk, s.pk))) for s in skills]) for p in people]


def organisation_calendar(organisation: Organisation, origin: dt.date) -> WorkCalendar:
    """The organisation's working days (weekdays, public holidays of its region)."""
    return WorkCalendar(
        origin,
        weekdays=organisation.weekdays,
        hours_per_day=float(organisation.hours_per_day),
        country=organisation.holiday_country or None,
        subdivision=organisation.holiday_subdivision or None,
    )


@dataclass
class Candidate:
    """A person who holds at least one skill the task needs, and when they are free."""

    person: Person
    covers: list[tuple[TaskSkill, int]]  # (required skill, the person's level)
    covers_all: bool
    needed_days: int  # working days the task would take them
    free_days: list[dt.date] = field(default_factory=list)  # the next free working days
    available_from: dt.date | None = None  # first day of `needed_days` free days in a row


def _task_days(task: Task, capacity: float) -> int:
    if task.is_milestone:
        return 0
    if task.duration_days is not None:
        return math.ceil(task.duration_days)
    return max(1, math.ceil(float(task.effort_days) / capacity))


def _busy_dates(person_ids: list[int], task: Task, start: dt.date) -> dict[int, set[dt.date]]:
    """Days off (absences) and days taken by planned assignments on other tasks, per person."""
    busy: dict[int, set[dt.date]] = {pk: set() for pk in person_ids}
    spans = [
        (a.person_id, a.start, a.end)
        for a in Absence.objects.filter(person_id__in=person_ids, end__gte=start)
    ] + [
        (a.person_id, a.task.start, a.task.finish)
        for a in Assignment.objects.filter(person_id__in=person_ids, task__finish__gte=start, task__start__isnull=False)
        .exclude(task=task).select_related("task")
    ]
    for person_id, first, last in spans:
        day = max(first, start)
        while day <= last:
            busy[person_id].add(day)
            day += dt.timedelta(days=1)
    return busy


def _availability(calendar: WorkCalendar, busy: set[dt.date], needed: int, start: dt.date) -> tuple[list[dt.date], dt.date | None]:
    free: list[dt.date] = []
    run_start: dt.date | None = None
    run = 0
    available_from = None
    first = calendar.index_of(start)
    for day in calendar.dates_of(range(first, first + HORIZON_WORKING_DAYS)):
        if day in busy:
            run, run_start = 0, None
            continue
        if len(free) < FREE_DAYS_SHOWN:
            free.append(day)
        run_start = run_start or day
        run += 1
        if available_from is None and run >= max(needed, 1):
            available_from = run_start
        if available_from is not None and len(free) >= FREE_DAYS_SHOWN:
            break
    return free, available_from


def task_candidates(task: Task, *, today: dt.date | None = None) -> list[Candidate]:
    """Who can do the task (people holding its required skills at the minimum level; everyone
    active when it needs none) and their next free working days: not absent, not a public
    holiday, not on another planned task. Best first: those covering every skill, soonest free."""
    organisation = task.project.organisation
    start = max(d for d in (today or timezone.localdate(), task.start_no_earlier_than, task.project.start_date) if d)
    needs = list(task.skills.select_related("skill"))
    people = organisation.people.filter(active=True)
    if needs:
        qualifies = Q()
        for need in needs:
            qualifies |= Q(skills__skill_id=need.skill_id, skills__level__gte=need.min_level)
        people = people.filter(qualifies).distinct()
    people = list(people.prefetch_related("skills").order_by("first_name", "last_name"))
    calendar = organisation_calendar(organisation, start)
    busy = _busy_dates([p.pk for p in people], task, start)
    candidates = []
    for person in people:
        levels = {held.skill_id: held.level for held in person.skills.all()}
        covers = [(need, levels[need.skill_id]) for need in needs if levels.get(need.skill_id, 0) >= need.min_level]
        needed = _task_days(task, float(person.capacity))
        free, available_from = _availability(calendar, busy[person.pk], needed, start)
        candidates.append(Candidate(person, covers, len(covers) == len(needs), needed, free, available_from))
    return sorted(candidates, key=lambda c: (not c.covers_all, c.available_from or dt.date.max, c.person.first_name))
