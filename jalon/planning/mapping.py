"""ORM rows <-> engine dataclasses: the only place that knows both worlds.

Decisions, so that a plan reads the same everywhere:
  * Time unit: the organisation's working day (weekdays, public holidays of its country and
    region); index 0 is the earliest start date among the projects planned together.
  * Duration: a milestone lasts 0; a fixed duration (`duration_days`) is used as is, rounded up;
    otherwise the task is effort-driven: ceil(effort / headcount) working days, headcount being
    the number of people its required skills ask for (1 when it asks for nobody).
  * A task with no required skill needs no person: it is scheduled on its duration alone (a
    client validation, a wait for a third party...). Who does a task is decided by its skills.
  * Deadlines are "finish no later than" the given date (included); the project's deadline
    applies to its last tasks (no successor in the project) that have no deadline of their own.
  * Absences block whole days, half days included: planning cannot split a task around a
    half day off, and being conservative keeps the plan true.
  * A link to a task outside the planned set (a project on hold, done or cancelled) becomes a
    "start no earlier than" on the successor when that task has dates, and is ignored otherwise.
  * Re-planning from actuals (`Actuals`, given by tracking): a done task is left out of the
    problem and keeps its actual dates (its links become "start no earlier than" bounds, like a
    task outside the planned set); a started task lasts what its remaining work needs and starts
    today at the earliest; every other task starts today at the earliest. A pinned start in the
    past cannot be honoured any more and is dropped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from jalon.engine.calendar import WorkCalendar, absence_ranges
from jalon.engine.model import Link, LinkType, Person as EnginePerson, Problem, SkillRequirement
from jalon.engine.model import Project as EngineProject
from jalon.engine.model import Task as EngineTask
from jalon.people.models import Absence, Person, PersonSkill
from jalon.projects.models import Assignment, Dependency, Project, ProjectMember, Task, TaskSkill

# Projects whose work holds people: a draft is planned only when it is the one asked for.
ACTIVE_STATUSES = (Project.Status.PLANNED, Project.Status.IN_PROGRESS)


def task_key(pk: int) -> str:
    return f"t{pk}"


def person_key(pk: int) -> str:
    return f"p{pk}"


def project_key(pk: int) -> str:
    return f"P{pk}"


def pk_of(key: str) -> int:
    return int(key[1:])


def organisation_calendar(organisation, origin: dt.date) -> WorkCalendar:  # type: ignore[no-untyped-def]
    """The organisation's working calendar numbered from `origin`. Shared between requests:
    building one walks years of days and loads the holidays, and its answers never change
    for the same settings (the key holds them all, so editing the organisation is seen)."""
    return _calendar(
        origin,
        organisation.weekdays,
        float(organisation.hours_per_day),
        organisation.holiday_country or None,
        organisation.holiday_subdivision or None,
    )


@functools.lru_cache(maxsize=64)
def _calendar(origin: dt.date, weekdays: tuple[int, ...], hours: float, country: str | None, subdivision: str | None) -> WorkCalendar:
    return WorkCalendar(origin, weekdays=weekdays, hours_per_day=hours, country=country, subdivision=subdivision)


def task_duration(task: Task, headcount: int) -> int:
    """Working days at full capacity (see the module docstring)."""
    if task.is_milestone:
        return 0
    if task.duration_days is not None:
        return math.ceil(Decimal(task.duration_days))
    return math.ceil(Decimal(task.effort_days) / max(1, headcount))


def schedule_dates(calendar: WorkCalendar, start: int, finish: int) -> tuple[dt.date, dt.date]:
    """The dates a manager reads for a task placed on units start..finish-1: its first and last
    working day. A milestone sits at the boundary `start`, i.e. at the end of the previous
    working day ("validated when the mock-ups are done, on Friday"), except at the very start."""
    if finish == start:
        day = calendar.date_of(start - 1 if start > 0 else start)
        return day, day
    return calendar.span_dates(start, finish)


# --------------------------------------------------------------------------- which projects


def projects_planned_with(project: Project) -> list[Project]:
    """The project and every active project of its organisation linked to it, directly or in a
    chain, by a person who is staffed on, assigned to or qualified for tasks of both, or by a
    dependency between their tasks. Six queries whatever the size of the organisation."""
    candidates = {p.pk: p for p in Project.objects.filter(organisation_id=project.organisation_id, status__in=ACTIVE_STATUSES)}
    candidates[project.pk] = project
    people_of: dict[int, set[int]] = defaultdict(set)
    for project_id, person_id in ProjectMember.objects.filter(project_id__in=candidates).values_list("project_id", "person_id"):
        people_of[project_id].add(person_id)
    for project_id, person_id in Assignment.objects.filter(task__project_id__in=candidates).values_list("task__project_id", "person_id"):
        people_of[project_id].add(person_id)
    for project_id, person_id in _qualified_people(candidates, project.organisation_id):
        people_of[project_id].add(person_id)
    neighbours: dict[int, set[int]] = defaultdict(set)
    for a, b in Dependency.objects.filter(predecessor__project_id__in=candidates, successor__project_id__in=candidates).values_list(
        "predecessor__project_id", "successor__project_id"
    ):
        neighbours[a].add(b)
        neighbours[b].add(a)
    by_person: dict[int, set[int]] = defaultdict(set)
    for project_id, people in people_of.items():
        for person_id in people:
            by_person[person_id].add(project_id)
    reached, todo = {project.pk}, [project.pk]
    while todo:
        current = todo.pop()
        linked = set(neighbours[current])
        for person_id in people_of[current]:
            linked |= by_person[person_id]
        for other in linked - reached:
            reached.add(other)
            todo.append(other)
    return sorted((candidates[pk] for pk in reached), key=lambda p: (p.pk != project.pk, -p.priority, p.pk))


def _qualified_people(candidates: dict[int, Project], organisation_id: int) -> Iterable[tuple[int, int]]:
    """(project, person) pairs where the person holds a skill one of the project's tasks needs."""
    needs: dict[int, list[tuple[int, int]]] = defaultdict(list)  # skill -> [(project, min level)]
    for project_id, skill_id, level in TaskSkill.objects.filter(task__project_id__in=candidates).values_list(
        "task__project_id", "skill_id", "min_level"
    ):
        needs[skill_id].append((project_id, level))
    held = PersonSkill.objects.filter(person__organisation_id=organisation_id, person__active=True, skill_id__in=needs)
    for person_id, skill_id, level in held.values_list("person_id", "skill_id", "level"):
        for project_id, min_level in needs[skill_id]:
            if level >= min_level:
                yield project_id, person_id


# --------------------------------------------------------------------------- actuals


@dataclass(frozen=True)
class TaskActual:
    """What tracking knows of a task under way or finished. `finish` is set for a done task
    (its last worked day); `remaining_days` is the work left of a started task (person-days,
    or working days for a fixed-duration task)."""

    start: dt.date
    finish: dt.date | None = None
    remaining_days: Decimal = Decimal("0")

    @property
    def done(self) -> bool:
        return self.finish is not None


@dataclass(frozen=True)
class Actuals:
    """Re-plan from `today`: the tasks absent from `tasks` have not started yet."""

    today: dt.date
    tasks: dict[int, TaskActual] = field(default_factory=dict)  # task pk -> actual

    def done_ids(self) -> set[int]:
        return {pk for pk, actual in self.tasks.items() if actual.done}


def remaining_duration(task: Task, remaining_days: Decimal, headcount: int) -> int:
    """Working days a started task still needs: its remaining work shared by its people (a
    fixed-duration task counts its remaining days as working days), at least one day."""
    if task.is_milestone:
        return 0
    share = remaining_days if task.duration_days is not None else remaining_days / max(1, headcount)
    return max(1, math.ceil(share))


# --------------------------------------------------------------------------- the problem


@dataclass
class MappedProblem:
    """An engine problem with what is needed to read its answer back into the database."""

    problem: Problem
    calendar: WorkCalendar
    projects: list[Project]
    tasks: dict[str, Task]  # engine id -> ORM task (with `.headcount`)
    people: dict[str, Person]
    skill_names: dict[int, str]
    pinned: dict[str, set[str]]  # engine task id -> pinned person keys
    deadline_dates: dict[str, tuple[dt.date, bool]]  # engine task id -> (date, from the project)
    external_bounds: dict[str, tuple[Task, dt.date]] = field(default_factory=dict)
    versions: dict[int, int] = field(default_factory=dict)  # task pk -> version when loaded

    def task_name(self, key: str) -> str:
        task = self.tasks.get(key)
        return task.name if task is not None else key

    def person_name(self, key: str) -> str:
        person = self.people.get(key)
        return person.full_name if person is not None else key


def build_problem(projects: list[Project], *, actuals: Actuals | None = None) -> MappedProblem:
    """Load the projects' tasks, skills, links, pins, people and absences (seven queries) and
    turn them into one engine Problem; with `actuals`, re-plan the work left from their day."""
    organisation = projects[0].organisation
    calendar = organisation_calendar(organisation, min(p.start_date for p in projects))
    project_ids = [p.pk for p in projects]
    every_task = list(Task.objects.filter(project_id__in=project_ids).order_by("project_id", "order", "pk"))
    done = actuals.done_ids() if actuals else set()
    tasks = [t for t in every_task if t.pk not in done]
    requirements: dict[int, list[TaskSkill]] = defaultdict(list)
    skill_names: dict[int, str] = {}
    for row in TaskSkill.objects.filter(task__project_id__in=project_ids).select_related("skill").order_by("pk"):
        requirements[row.task_id].append(row)
        skill_names[row.skill_id] = row.skill.name
    pinned: dict[str, set[str]] = defaultdict(set)
    for task_id, person_id in Assignment.objects.filter(task__project_id__in=project_ids, pinned=True).values_list("task_id", "person_id"):
        pinned[task_key(task_id)].add(person_key(person_id))
    people, person_rows = _people(organisation.pk, calendar, skill_names, pinned)
    links, bounds = _links(project_ids, calendar, actuals)
    deadlines = _deadlines(projects, tasks, links)
    engine_tasks = []
    for task in tasks:
        needs = requirements.get(task.pk, [])
        task.headcount = sum(r.headcount for r in needs)  # type: ignore[attr-defined]
        engine_task = _engine_task(task, needs, calendar, deadlines, bounds, pinned, people)
        engine_tasks.append(_from_actuals(engine_task, task, calendar, actuals) if actuals else engine_task)
    problem = Problem(
        tasks=engine_tasks,
        links=[link for link, _ in links],
        people=list(people.values()),
        projects=[EngineProject(project_key(p.pk), p.name, p.priority, calendar.index_of(p.start_date)) for p in projects],
        name=", ".join(p.code or p.name for p in projects),
    )
    return MappedProblem(
        problem=problem,
        calendar=calendar,
        projects=projects,
        tasks={task_key(t.pk): t for t in tasks},
        people=person_rows,
        skill_names=skill_names,
        pinned=dict(pinned),
        deadline_dates=deadlines,
        external_bounds={task_key(pk): bound for pk, bound in bounds.items()},
        versions={t.pk: t.version for t in every_task},
    )


def _from_actuals(engine_task: EngineTask, task: Task, calendar: WorkCalendar, actuals: Actuals) -> EngineTask:
    """The task re-planned from `actuals.today` (see the module docstring)."""
    today = calendar.index_of(actuals.today)
    earliest = max(today, engine_task.earliest_start if engine_task.earliest_start is not None else today)
    pinned = engine_task.pinned_start if engine_task.pinned_start is not None and engine_task.pinned_start >= today else None
    actual = actuals.tasks.get(task.pk)
    duration = engine_task.duration
    if actual is not None:
        duration = remaining_duration(task, actual.remaining_days, getattr(task, "headcount", 0))
        pinned = None  # a started task goes on from today
    return dataclasses.replace(engine_task, earliest_start=earliest, pinned_start=pinned, duration=duration)


def _people(
    organisation_id: int, calendar: WorkCalendar, skill_names: dict[int, str], pinned: dict[str, set[str]]
) -> tuple[dict[str, EnginePerson], dict[str, Person]]:
    """Active people of the organisation, plus inactive ones a manager pinned on a task."""
    pinned_pks = {pk_of(k) for keys in pinned.values() for k in keys}
    rows = Person.objects.filter(organisation_id=organisation_id).order_by("first_name", "last_name", "pk")
    rows = [p for p in rows if p.active or p.pk in pinned_pks]
    skills: dict[int, dict[str, int]] = defaultdict(dict)
    for person_id, skill_id, name, level in PersonSkill.objects.filter(person__in=rows).values_list(
        "person_id", "skill_id", "skill__name", "level"
    ):
        if skill_id in skill_names:  # skills no planned task asks for do not matter here
            skills[person_id][name] = level
    absences: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for person_id, start, end in Absence.objects.filter(person__in=rows).values_list("person_id", "start", "end"):
        absences[person_id].append((start, end))
    engine_people = {
        person_key(p.pk): EnginePerson(
            id=person_key(p.pk),
            name=p.full_name,
            skills=skills[p.pk],
            capacity=float(p.capacity),
            unavailable=absence_ranges(calendar, absences[p.pk]),
            daily_cost=float(p.daily_cost),
        )
        for p in rows
    }
    return engine_people, {person_key(p.pk): p for p in rows}


def _links(
    project_ids: list[int], calendar: WorkCalendar, actuals: Actuals | None = None
) -> tuple[list[tuple[Link, Dependency]], dict[int, tuple[Task, dt.date]]]:
    """Links inside the planned set, and for links from a task outside it (or done, with
    `actuals`), the date before which the successor may not start (the successor's pk ->
    (outside task, date)). A link into a done task no longer constrains anything."""
    inside: list[tuple[Link, Dependency]] = []
    bounds: dict[int, tuple[Task, dt.date]] = {}
    touching = Dependency.objects.filter(successor__project_id__in=project_ids).select_related("predecessor").order_by("pk")
    planned = set(project_ids)
    done = actuals.done_ids() if actuals else set()
    for dependency in touching:
        predecessor = dependency.predecessor
        if dependency.successor_id in done:
            continue
        if predecessor.pk in done:
            actual = actuals.tasks[predecessor.pk]  # type: ignore[union-attr]
            predecessor.start, predecessor.finish = actual.start, actual.finish
        elif predecessor.project_id in planned:
            link = Link(task_key(dependency.predecessor_id), task_key(dependency.successor_id), LinkType(dependency.type), dependency.lag_days)
            inside.append((link, dependency))
            continue
        anchor = predecessor.finish if dependency.type in (Dependency.Type.FS, Dependency.Type.FF) else predecessor.start
        if anchor is None:
            continue
        if dependency.type in (Dependency.Type.FS, Dependency.Type.FF):
            anchor = calendar.add_working_days(anchor, 1)  # `finish` is the last working day
        earliest = calendar.add_working_days(anchor, dependency.lag_days)
        known = bounds.get(dependency.successor_id)
        if known is None or earliest > known[1]:
            bounds[dependency.successor_id] = (predecessor, earliest)
    return inside, bounds


def _deadlines(projects: list[Project], tasks: list[Task], links: list[tuple[Link, Dependency]]) -> dict[str, tuple[dt.date, bool]]:
    """Each task's deadline date and whether it comes from its project (see module docstring)."""
    project_of = {t.pk: t.project_id for t in tasks}
    with_successor = {dependency.predecessor_id for _, dependency in links
                      if project_of.get(dependency.successor_id) == project_of.get(dependency.predecessor_id)}
    project_deadline = {p.pk: p.deadline for p in projects}
    found: dict[str, tuple[dt.date, bool]] = {}
    for task in tasks:
        if task.deadline is not None:
            found[task_key(task.pk)] = (task.deadline, False)
        elif project_deadline.get(task.project_id) and task.pk not in with_successor:
            found[task_key(task.pk)] = (project_deadline[task.project_id], True)  # type: ignore[assignment]
    return found


def _engine_task(
    task: Task,
    needs: list[TaskSkill],
    calendar: WorkCalendar,
    deadlines: dict[str, tuple[dt.date, bool]],
    bounds: dict[int, tuple[Task, dt.date]],
    pinned: dict[str, set[str]],
    people: dict[str, EnginePerson],
) -> EngineTask:
    key = task_key(task.pk)
    earliest = [calendar.index_of(d) for d in (task.start_no_earlier_than, bounds.get(task.pk, (None, None))[1]) if d]
    deadline = deadlines.get(key)
    return EngineTask(
        id=key,
        name=task.name,
        project=project_key(task.project_id),
        duration=task_duration(task, sum(r.headcount for r in needs)),
        skills=tuple(SkillRequirement(r.skill.name, r.min_level, r.headcount) for r in needs),
        earliest_start=max(earliest) if earliest else None,
        # The deadline date is the last day allowed: the exclusive finish is the next working day.
        deadline=calendar.index_of(deadline[0] + dt.timedelta(days=1)) if deadline else None,
        weight=task.priority,
        pinned_start=calendar.index_of(task.pinned_start) if task.pinned_start else None,
        # A task that needs no skill needs nobody: a person pinned on it changes nothing.
        pinned_people=tuple(sorted(k for k in pinned.get(key, ()) if k in people)) if needs else (),
    )
