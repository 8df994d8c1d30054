"""A project as a `PlanDocument`, for the MSPDI, CSV, XLSX and JSON writers.

Decisions:
  * Phases become summary tasks in the breakdown's display order (projects/breakdown.py): a
    phase, its sub-phases, then its own tasks; tasks without a phase come last. Ids are numbers in that order, as MSPDI wants.
  * Dates are the plan's (`start`/`finish`); tasks not planned yet get the critical-path dates
    (no resources), so every exported task has dates. A task runs from the start of its first
    day to the end of its last; a milestone sits at the end of its day (Jalon's convention).
  * The day's hours come from the organisation (9:00–12:00, 14:00–18:00 by default) and add
    up to its hours per day, so MS Project, ProjectLibre and MPXJ count the same durations.
  * The calendar lists the organisation's weekdays and, as exceptions, the public holidays of
    the years the project spans.
  * An assignment carries the task's effort shared among its assignees; its units are that
    work over the task's duration.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from jalon.engine.calendar import WorkCalendar
from jalon.engine.model import LinkType
from jalon.formats.plan import CalendarException, PlanAssignment, PlanCalendar, PlanDocument, PlanLink, PlanResource, PlanTask
from jalon.planning.mapping import organisation_calendar
from jalon.projects.models import Assignment, Dependency, Phase, Project, Task, TaskSkill

CALENDAR_UID = "1"


def day_periods(organisation) -> tuple[tuple[dt.time, dt.time], ...]:  # type: ignore[no-untyped-def]
    """Morning and afternoon whose lengths add up to the organisation's hours per day."""
    hours = float(organisation.hours_per_day)
    start, lunch_start, lunch_end = organisation.day_start, organisation.lunch_start, organisation.lunch_end
    morning = (dt.datetime.combine(dt.date.min, lunch_start) - dt.datetime.combine(dt.date.min, start)).seconds / 3600
    if morning >= hours or lunch_end <= lunch_start:
        end = (dt.datetime.combine(dt.date.min, start) + dt.timedelta(hours=hours)).time()
        return ((start, end),)
    end = (dt.datetime.combine(dt.date.min, lunch_end) + dt.timedelta(hours=hours - morning)).time()
    return ((start, lunch_start), (lunch_end, end))


class PlanExporter:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.organisation = project.organisation
        self.calendar: WorkCalendar = organisation_calendar(self.organisation, project.start_date)
        self.periods = day_periods(self.organisation)
        self.tasks = list(Task.objects.filter(project=project).order_by("order", "pk"))
        self.dates = self.task_dates()

    def document(self) -> PlanDocument:
        doc = PlanDocument(
            name=self.project.name,
            minutes_per_day=round(float(self.organisation.hours_per_day) * 60),
            default_calendar=CALENDAR_UID,
        )
        doc.minutes_per_week = doc.minutes_per_day * len(self.organisation.weekdays)
        uid_of = self.outline(doc)
        self.add_links(doc, uid_of)
        self.add_people(doc, uid_of)
        self.add_skills(doc, uid_of)
        leaves = [t for t in doc.tasks if not t.summary and t.start and t.finish]
        doc.start = min((t.start for t in leaves), default=self.at(self.project.start_date, 0))  # type: ignore[type-var]
        doc.finish = max((t.finish for t in leaves), default=doc.start)  # type: ignore[type-var]
        doc.calendars.append(self.plan_calendar(doc.start.date(), doc.finish.date()))  # type: ignore[union-attr]
        return doc

    # --- dates

    def task_dates(self) -> dict[int, tuple[dt.date, dt.date]]:
        dates = {t.pk: (t.start, t.finish) for t in self.tasks if t.start and t.finish}
        if len(dates) < len(self.tasks):
            dates = {**self.critical_path_dates(), **dates}
        return dates  # type: ignore[return-value]

    def critical_path_dates(self) -> dict[int, tuple[dt.date, dt.date]]:
        from jalon.engine.cpm import critical_path
        from jalon.planning.mapping import build_problem, pk_of, schedule_dates

        mapped = build_problem([self.project])
        result = critical_path(mapped.problem)
        return {pk_of(key): schedule_dates(mapped.calendar, start, result.early_finish[key])
                for key, start in result.early_start.items()}

    def at(self, day: dt.date, period_end: int) -> dt.datetime:
        """The start of the working day (0) or its end (1)."""
        return dt.datetime.combine(day, self.periods[0][0] if period_end == 0 else self.periods[-1][1])

    def working_days(self, first: dt.date, last: dt.date) -> int:
        return self.calendar.index_of(last + dt.timedelta(days=1)) - self.calendar.index_of(first)

    def span_days(self, start: dt.datetime, finish: dt.datetime) -> int:
        """Working days between two instants: a start at the end of a day (after a milestone)
        counts from the next day, a finish at the start of a day stops the day before."""
        first = start.date() + dt.timedelta(days=1) if start.time() >= self.periods[-1][1] else start.date()
        last = finish.date() - dt.timedelta(days=1) if finish.time() <= self.periods[0][0] else finish.date()
        return max(0, self.working_days(first, last)) if last >= first else 0

    # --- outline

    def outline(self, doc: PlanDocument) -> dict[int, str]:
        """Summary tasks and tasks in outline order; returns task pk -> uid."""
        phases = list(Phase.objects.filter(project=self.project).order_by("order", "pk"))
        children: dict[int | None, list[Phase]] = defaultdict(list)
        for phase in phases:
            children[phase.parent_id].append(phase)
        tasks_of: dict[int | None, list[Task]] = defaultdict(list)
        for task in self.tasks:
            tasks_of[task.phase_id].append(task)
        uid_of: dict[int, str] = {}
        numbers: list[int] = []

        def emit_task(task: Task, level: int) -> None:
            numbers[level - 1:] = [numbers[level - 1] + 1 if len(numbers) >= level else 1]
            uid = str(len(doc.tasks) + 1)
            uid_of[task.pk] = uid
            doc.tasks.append(self.plan_task(task, uid, level, ".".join(map(str, numbers))))

        def emit_phase(phase: Phase, level: int) -> None:
            numbers[level - 1:] = [numbers[level - 1] + 1 if len(numbers) >= level else 1]
            summary = PlanTask(uid=str(len(doc.tasks) + 1), name=phase.name, outline_level=level,
                               outline_number=".".join(map(str, numbers)), summary=True)
            doc.tasks.append(summary)
            first = len(doc.tasks)
            for child in children[phase.pk]:
                emit_phase(child, level + 1)
            for task in tasks_of[phase.pk]:
                emit_task(task, level + 1)
            del numbers[level:]
            self.roll_up(summary, doc.tasks[first:])

        for phase in children[None]:
            emit_phase(phase, 1)
        for task in tasks_of[None]:
            emit_task(task, 1)
        return uid_of

    def plan_task(self, task: Task, uid: str, level: int, number: str) -> PlanTask:
        first, last = self.dates.get(task.pk, (self.project.start_date, self.project.start_date))
        if task.is_milestone:
            start = finish = self.at(last, 1)
            duration = 0
        else:
            start, finish = self.at(first, 0), self.at(last, 1)
            duration = max(0, self.working_days(first, last))
        return PlanTask(
            uid=uid, name=task.name, outline_level=level, outline_number=number, milestone=task.is_milestone,
            start=start, finish=finish, duration_days=float(duration), work_days=float(task.effort_days),
            fixed_duration=task.duration_days is not None, start_no_earlier_than=task.start_no_earlier_than,
            pinned_start=task.pinned_start, deadline=task.deadline, priority=task.priority, notes=task.description,
        )

    def roll_up(self, summary: PlanTask, descendants: list[PlanTask]) -> None:
        leaves = [t for t in descendants if not t.summary and t.start and t.finish]
        if not leaves:
            summary.start = summary.finish = self.at(self.project.start_date, 0)
            return
        summary.start = min(t.start for t in leaves)  # type: ignore[type-var]
        summary.finish = max(t.finish for t in leaves)  # type: ignore[type-var]
        summary.work_days = sum(t.work_days or 0 for t in leaves)
        summary.duration_days = float(self.span_days(summary.start, summary.finish))  # type: ignore[arg-type]

    # --- links, people, skills

    def add_links(self, doc: PlanDocument, uid_of: dict[int, str]) -> None:
        for dependency in Dependency.objects.filter(successor__project=self.project).order_by("pk"):
            if dependency.predecessor_id in uid_of:  # links from another project's task stay out
                doc.links.append(PlanLink(uid_of[dependency.predecessor_id], uid_of[dependency.successor_id],
                                          LinkType(dependency.type), float(dependency.lag_days)))

    def add_people(self, doc: PlanDocument, uid_of: dict[int, str]) -> None:
        rows = list(Assignment.objects.filter(task__project=self.project).select_related("person").order_by("task__order", "task_id", "pk"))
        people = sorted({a.person for a in rows}, key=lambda p: (p.full_name.casefold(), p.pk))
        resource_uid = {p.pk: str(n) for n, p in enumerate(people, start=1)}
        doc.resources = [PlanResource(uid=resource_uid[p.pk], name=p.full_name, max_units=float(p.capacity), email=p.email)
                         for p in people]
        count: dict[int, int] = defaultdict(int)
        for row in rows:
            count[row.task_id] += 1
        plan = {t.uid: t for t in doc.tasks}
        for row in rows:
            task = plan[uid_of[row.task_id]]
            work = (task.work_days or 0.0) / count[row.task_id]
            units = work / task.duration_days if task.duration_days else 1.0
            doc.assignments.append(PlanAssignment(uid_of[row.task_id], resource_uid[row.person_id], round(units, 4), work))

    def add_skills(self, doc: PlanDocument, uid_of: dict[int, str]) -> None:
        plan = {t.uid: t for t in doc.tasks}
        for row in TaskSkill.objects.filter(task__project=self.project).select_related("skill").order_by("task_id", "skill__name"):
            plan[uid_of[row.task_id]].skills.append((row.skill.name, row.min_level))

    def plan_calendar(self, first: dt.date, last: dt.date) -> PlanCalendar:
        holidays = []
        for year in range(first.year, last.year + 1):
            for day, name in sorted(self.calendar.holidays(year).items()):
                if day.weekday() in self.organisation.weekdays:
                    holidays.append(CalendarException(day, day, False, name))
        return PlanCalendar(uid=CALENDAR_UID, name=str(self.organisation.name)[:100] or "Standard",
                            weekdays=tuple(self.organisation.weekdays), exceptions=holidays, periods=self.periods)


def plan_document_of(project: Project) -> PlanDocument:
    return PlanExporter(project).document()
