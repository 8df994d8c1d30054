"""Reads of tracking: timesheet grids, time spent by phase and person, budget and earned value,
burn-down, what a status report shows, and the reports a client may read.

Cost basis (documented once, used everywhere): a person-day costs the person's internal daily
cost (`daily_cost`), or their daily rate (TJM) when no cost is set — a freelancer values their
own time at their TJM. A task not assigned yet costs the average rate of the people holding
the skills it needs, else the organisation's average.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Min, Q, QuerySet, Sum
from django.utils.translation import gettext

from jalon.accounts.models import Organisation
from jalon.people.models import Person, PersonSkill
from jalon.planning.mapping import Actuals, TaskActual, organisation_calendar
from jalon.planning.models import Baseline, BaselineTask
from jalon.projects.models import Assignment, Phase, Project, Task, TaskSkill
from jalon.tracking import earned_value as evm
from jalon.tracking.models import Risk, StatusReport, TimeEntry, TimesheetLock, iso_week_monday

ZERO = Decimal("0")
HUNDRED = Decimal("100")
WEEK_DAYS = 5  # the grid shows Monday to Friday
CLOSED_STATUSES = (Project.Status.DONE, Project.Status.CANCELLED)


def person_of(user: object) -> Person | None:
    """The collaborator record of a login, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


# --------------------------------------------------------------------------- locks


def week_locked(person: Person, year: int, week: int) -> bool:
    return TimesheetLock.objects.filter(organisation_id=person.organisation_id, iso_year=year, iso_week=week).filter(
        Q(person__isnull=True) | Q(person=person)).exists()


def organisation_locks(organisation: Organisation) -> QuerySet[TimesheetLock]:
    return TimesheetLock.objects.filter(organisation=organisation).select_related("person", "locked_by")[:30]


# --------------------------------------------------------------------------- timesheet


@dataclass
class GridRow:
    task: Task
    days: list[dt.date]
    cells: list[Decimal | None]
    remaining: Decimal
    logged_total: Decimal  # all weeks
    typed: dict[str, str] | None = None  # what was typed, shown again when the grid is refused

    def inputs(self) -> list[tuple[dt.date, str, str]]:
        """(day, input name, text to show) for each cell."""
        found = []
        for day, value in zip(self.days, self.cells, strict=True):
            name = f"jour-{self.task.pk}-{day.isoformat()}"
            text = self.typed[name] if self.typed and name in self.typed else _cell_text(value)
            found.append((day, name, text))
        return found

    @property
    def remaining_input(self) -> str:
        name = f"raf-{self.task.pk}"
        if self.typed and name in self.typed:
            return self.typed[name]
        return _cell_text(self.task.remaining_days)

    @property
    def week_total(self) -> Decimal:
        return sum((c for c in self.cells if c), ZERO)


@dataclass
class TimesheetGrid:
    person: Person
    year: int
    week: int
    days: list[dt.date]
    rows: list[GridRow]
    locked: bool
    holidays: dict[dt.date, str] = field(default_factory=dict)

    @property
    def day_totals(self) -> list[Decimal]:
        return [sum((r.cells[i] or ZERO for r in self.rows), ZERO) for i in range(len(self.days))]

    @property
    def total(self) -> Decimal:
        return sum(self.day_totals, ZERO)

    @property
    def label(self) -> str:
        return gettext("S%(week)02d %(year)d") % {"week": self.week, "year": self.year}

    def neighbour(self, weeks: int) -> tuple[int, int]:
        iso = (self.days[0] + dt.timedelta(weeks=weeks)).isocalendar()
        return iso.year, iso.week


def _cell_text(value: Decimal | None) -> str:
    """A cell as typed in French: `0,5`, empty for nothing."""
    if not value:
        return ""
    return format(value.normalize(), "f").replace(".", ",")


def timesheet_tasks(person: Person, days: list[dt.date]) -> list[Task]:
    """The person's assigned tasks in open projects, plus any task they logged time on that week."""
    logged = TimeEntry.objects.filter(person=person, date__range=(days[0], days[-1])).values("task_id")
    return list(
        Task.objects.filter(Q(assignments__person=person, is_milestone=False) | Q(pk__in=logged))
        .exclude(Q(project__status__in=CLOSED_STATUSES) & ~Q(pk__in=logged))
        .select_related("project", "phase").distinct().order_by("project__name", "project_id", "order", "pk")
    )


def timesheet_grid(person: Person, year: int, week: int) -> TimesheetGrid:
    """The week's grid: one row per task, Monday to Friday, and the remaining work of each."""
    monday = iso_week_monday(year, week)
    days = [monday + dt.timedelta(days=k) for k in range(WEEK_DAYS)]
    tasks = timesheet_tasks(person, days)
    entries = {(e.task_id, e.date): e.days for e in TimeEntry.objects.filter(person=person, date__range=(days[0], days[-1]))}
    logged = logged_days([t.pk for t in tasks])
    rows = [GridRow(t, days, [entries.get((t.pk, d)) for d in days], task_remaining(t, logged.get(t.pk, ZERO)), logged.get(t.pk, ZERO))
            for t in tasks]
    calendar = organisation_calendar(person.organisation, monday)
    holidays = {d: name for d, name in calendar.holidays(monday.year).items() if d in days}
    if days[-1].year != monday.year:
        holidays |= {d: n for d, n in calendar.holidays(days[-1].year).items() if d in days}
    return TimesheetGrid(person, year, week, days, rows, week_locked(person, year, week), holidays)


def logged_days(task_ids: Iterable[int], until: dt.date | None = None) -> dict[int, Decimal]:
    entries = TimeEntry.objects.filter(task_id__in=list(task_ids))
    if until is not None:
        entries = entries.filter(date__lte=until)
    return {pk: total for pk, total in entries.values_list("task_id").annotate(total=Sum("days"))}


def task_remaining(task: Task, logged: Decimal) -> Decimal:
    """Reste à faire: what the team said, else the effort not consumed (or not reported done)."""
    if task.is_milestone or (task.progress is not None and task.progress >= HUNDRED):
        return ZERO
    if task.remaining_days is not None:
        return task.remaining_days
    if task.progress is not None and task.progress > 0:
        return (task.effort_days * (HUNDRED - task.progress) / HUNDRED).quantize(Decimal("0.01"))
    return max(task.effort_days - logged, ZERO)


def task_percent(task: Task, logged: Decimal) -> Decimal:
    """% complete: the progress entered, else the work logged against logged + remaining."""
    if task.progress is not None:
        return task.progress
    remaining = task_remaining(task, logged)
    if logged + remaining == 0:
        return ZERO
    return HUNDRED * logged / (logged + remaining)


# --------------------------------------------------------------------------- time by phase and person


@dataclass
class TimeTable:
    """Days logged on a project: rows (phase or person) × people, with totals."""

    people: list[str]
    rows: list[tuple[str, list[Decimal], Decimal]]
    totals: list[Decimal]
    total: Decimal


def project_time(project: Project, *, since: dt.date | None = None, until: dt.date | None = None) -> TimeTable:
    """Days logged on the project per phase (rows) and person (columns). One query."""
    entries = TimeEntry.objects.filter(task__project=project)
    if since:
        entries = entries.filter(date__gte=since)
    if until:
        entries = entries.filter(date__lte=until)
    cells: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    phases: dict[str, int] = {}
    people: set[str] = set()
    for phase, order, first, last, days in entries.values_list(
        "task__phase__name", "task__phase__order", "person__first_name", "person__last_name"
    ).annotate(days=Sum("days")):
        name, who = phase or "(sans phase)", f"{first} {last}".strip()
        phases.setdefault(name, order if order is not None else 10**6)
        people.add(who)
        cells[(name, who)] += days
    columns = sorted(people)
    rows = [(name, [cells.get((name, who), ZERO) for who in columns], sum((cells.get((name, who), ZERO) for who in columns), ZERO))
            for name in sorted(phases, key=lambda n: (phases[n], n))]
    totals = [sum((r[1][i] for r in rows), ZERO) for i in range(len(columns))]
    return TimeTable(columns, rows, totals, sum(totals, ZERO))


def projects_for_time(user: object) -> QuerySet[Project]:
    from jalon.projects.selectors import projects_visible_to

    return projects_visible_to(user).exclude(status__in=CLOSED_STATUSES)  # type: ignore[arg-type]


def time_by_project(projects: QuerySet[Project], since: dt.date, until: dt.date) -> list[tuple[Project, Decimal]]:
    """Days logged on each project in the period, busiest first."""
    totals = dict(TimeEntry.objects.filter(task__project__in=projects, date__range=(since, until))
                  .values_list("task__project_id").annotate(days=Sum("days")))
    return sorted(((p, totals.get(p.pk, ZERO)) for p in projects), key=lambda row: (-row[1], row[0].name))


# --------------------------------------------------------------------------- rates


def cost_rate(person: Person) -> Decimal:
    return person.daily_cost if person.daily_cost > 0 else person.daily_rate


@dataclass
class Rates:
    """The daily cost of each person and of each task (see the module docstring)."""

    person: dict[int, Decimal]
    task: dict[int, Decimal]
    assignees: dict[int, list[int]]


def project_rates(project: Project, tasks: list[Task]) -> Rates:
    people = {p.pk: p for p in Person.objects.filter(organisation_id=project.organisation_id)}
    person_rate = {pk: cost_rate(p) for pk, p in people.items()}
    active = [person_rate[p.pk] for p in people.values() if p.active]
    default = sum(active, ZERO) / len(active) if active else ZERO
    assignees: dict[int, list[int]] = defaultdict(list)
    for task_id, person_id in Assignment.objects.filter(task__project=project).values_list("task_id", "person_id"):
        assignees[task_id].append(person_id)
    needs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for task_id, skill_id, level in TaskSkill.objects.filter(task__project=project).values_list("task_id", "skill_id", "min_level"):
        needs[task_id].append((skill_id, level))
    holders: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for person_id, skill_id, level in PersonSkill.objects.filter(person__organisation_id=project.organisation_id,
                                                                 person__active=True).values_list("person_id", "skill_id", "level"):
        holders[skill_id].append((person_id, level))
    task_rate = {}
    for task in tasks:
        chosen = assignees.get(task.pk) or [pk for skill, level in needs.get(task.pk, []) for pk, held in holders[skill] if held >= level]
        rates = [person_rate[pk] for pk in chosen if pk in person_rate]
        task_rate[task.pk] = sum(rates, ZERO) / len(rates) if rates else default
    return Rates(person_rate, task_rate, dict(assignees))


# --------------------------------------------------------------------------- budget and earned value


@dataclass
class Budget:
    """Sold, planned, actual and forecast, in days and money, with the earned value."""

    project: Project
    status_date: dt.date
    sold_amount: Decimal | None
    sold_days: Decimal | None
    planned_days: Decimal
    planned_cost: Decimal
    consumed_days: Decimal
    actual_cost: Decimal
    remaining_days: Decimal
    remaining_cost: Decimal
    indicators: evm.Indicators
    phases: list[tuple[str, evm.Indicators]]
    items: list[evm.WorkItem]
    baseline: Baseline | None

    @property
    def forecast_days(self) -> Decimal:
        return self.consumed_days + self.remaining_days

    @property
    def forecast_cost(self) -> Decimal:
        """Estimate at completion from the team's reste à faire (bottom-up)."""
        return self.actual_cost + self.remaining_cost

    @property
    def margin(self) -> Decimal | None:
        return None if self.sold_amount is None else self.sold_amount - self.forecast_cost

    @property
    def margin_percent(self) -> Decimal | None:
        return None if not self.sold_amount or self.margin is None else HUNDRED * self.margin / self.sold_amount

    @property
    def consumed_percent(self) -> Decimal | None:
        """Days consumed against days sold (or planned when none were sold)."""
        base = self.sold_days or self.planned_days
        return HUNDRED * self.consumed_days / base if base else None


def latest_baseline(project: Project) -> Baseline | None:
    return Baseline.objects.filter(project=project).order_by("-created_at", "-pk").first()


def project_budget(project: Project, status_date: dt.date) -> Budget:
    """The budget and earned value of the project at the end of `status_date`. Planned value
    follows the latest baseline when there is one (what was promised), else the current plan."""
    tasks = list(Task.objects.filter(project=project).select_related("phase").order_by("order", "pk"))
    rates = project_rates(project, tasks)
    baseline = latest_baseline(project)
    frozen = {b.task_id: (b.start, b.finish, b.effort_days) for b in BaselineTask.objects.filter(baseline=baseline)} if baseline else {}
    costs: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    logged: dict[int, Decimal] = defaultdict(Decimal)
    for task_id, person_id, day, days in TimeEntry.objects.filter(task__project=project).values_list("task_id", "person_id", "date", "days"):
        costs[task_id].append((day, days * rates.person.get(person_id, ZERO)))
        logged[task_id] += days
    calendar = organisation_calendar(project.organisation, project.start_date)

    def working_days(first: dt.date, last: dt.date) -> int:
        return max(0, calendar.working_days_between(first, last + dt.timedelta(days=1)))

    items, remaining_days, remaining_cost = [], ZERO, ZERO
    for task in tasks:
        start, finish, effort = frozen.get(task.pk, (task.start, task.finish, task.effort_days))
        rate = rates.task[task.pk]
        remaining = task_remaining(task, logged[task.pk])
        remaining_days += remaining
        remaining_cost += remaining * rate
        items.append(evm.WorkItem(
            key=str(task.pk), budget=effort * rate, planned_start=start, planned_finish=finish,
            percent_complete=min(HUNDRED, task_percent(task, logged[task.pk])), costs=tuple(costs[task.pk]),
            group=task.phase.name if task.phase else "",
        ))
    indicators = evm.measure(items, status_date, working_days)
    phases = list(evm.measure_by_group(items, status_date, working_days).items())
    return Budget(
        project=project, status_date=status_date, sold_amount=project.budget_amount, sold_days=project.sold_days,
        planned_days=sum((t.effort_days for t in tasks), ZERO), planned_cost=indicators.bac,
        consumed_days=sum(logged.values(), ZERO), actual_cost=indicators.ac,
        remaining_days=remaining_days, remaining_cost=remaining_cost, indicators=indicators, phases=phases,
        items=items, baseline=baseline,
    )


def budget_working_days(project: Project):  # type: ignore[no-untyped-def]
    calendar = organisation_calendar(project.organisation, project.start_date)
    return lambda first, last: max(0, calendar.working_days_between(first, last + dt.timedelta(days=1)))


def s_curve_points(budget: Budget) -> list[evm.CurvePoint]:
    """One point a week (Fridays) from the first planned or worked day to the last, plus the
    first day and the status date, so that EV and AC draw a line from the start to today."""
    dates = [d for i in budget.items for d in (i.planned_start, i.planned_finish) if d]
    dates += [day for i in budget.items for day, _ in i.costs]
    if not dates:
        return []
    first, last = min(dates), max(max(dates), budget.status_date)
    days = sorted({first, *evm.week_ends(first, last)} | ({budget.status_date} if budget.status_date >= first else set()))
    return evm.s_curve(budget.items, days, budget.status_date, budget_working_days(budget.project))


@dataclass(frozen=True)
class BurnPoint:
    day: dt.date
    ideal: Decimal | None
    actual: Decimal | None
    forecast: Decimal | None


def burn_down(project: Project, status_date: dt.date) -> list[BurnPoint]:
    """Remaining work (j/h) week by week: the ideal line from the planned effort at the planned
    start to zero at the planned end (the baseline's when there is one), the actual remaining
    (today's estimate at completion minus the days logged by then) and the forecast from
    today's reste à faire to zero at the forecast end date."""
    tasks = list(Task.objects.filter(project=project))
    if not tasks:
        return []
    logged_total = logged_days([t.pk for t in tasks])
    remaining = sum((task_remaining(t, logged_total.get(t.pk, ZERO)) for t in tasks), ZERO)
    at_completion = sum(logged_total.values(), ZERO) + remaining
    baseline = latest_baseline(project)
    frozen = list(BaselineTask.objects.filter(baseline=baseline).values_list("start", "finish")) if baseline else []
    current = [(t.start, t.finish) for t in tasks if t.start and t.finish]
    spans = frozen or current
    if not spans:
        return []
    planned_start, planned_end = min(a for a, _ in spans), max(b for _, b in spans)
    forecast_end = max((b for _, b in current), default=planned_end)
    by_day = dict(TimeEntry.objects.filter(task__project=project).values_list("date").annotate(d=Sum("days")))
    first = min([planned_start, *by_day]) if by_day else planned_start
    last = max(planned_end, forecast_end, status_date)
    days = sorted({first, planned_start, planned_end, forecast_end, *evm.week_ends(first, last)} | ({status_date} if status_date >= first else set()))
    total = sum((t.effort_days for t in tasks), ZERO)
    span = max((planned_end - planned_start).days, 1)
    left = max((forecast_end - status_date).days, 1)
    points = []
    for day in days:
        ideal = None
        if planned_start <= day <= planned_end:
            ideal = max(ZERO, total * (1 - Decimal((day - planned_start).days) / span))
        actual = at_completion - sum((v for d, v in by_day.items() if d <= day), ZERO) if day <= status_date else None
        forecast = None
        if status_date <= day <= forecast_end:
            forecast = max(ZERO, remaining * (1 - Decimal((day - status_date).days) / left))
        points.append(BurnPoint(day, ideal, actual, forecast))
    return points


# --------------------------------------------------------------------------- re-planning


def task_actuals(projects: list[Project], today: dt.date) -> Actuals:
    """What is done and what is under way in these projects, from the time logged and the
    progress entered. Done: progress 100 %, or reste à faire 0 on a task with work logged or
    progress entered (a milestone is done only at 100 %). Started: some time logged or some
    progress. Actual start: the first day logged, else the planned start (not after today)."""
    tasks = list(Task.objects.filter(project__in=projects))
    spans = {pk: (first, last) for pk, first, last in TimeEntry.objects.filter(task__in=tasks).values("task_id")
             .annotate(first=Min("date"), last=Max("date")).values_list("task_id", "first", "last")}
    logged = logged_days([t.pk for t in tasks])
    found: dict[int, TaskActual] = {}
    for task in tasks:
        span = spans.get(task.pk)
        progressed = task.progress is not None and task.progress > 0
        if span is None and not progressed:
            continue
        start = span[0] if span else min(task.start or today, today)
        done = (task.progress is not None and task.progress >= HUNDRED) or (
            not task.is_milestone and task.remaining_days is not None and task.remaining_days == 0)
        if done:
            finish = span[1] if span else min(task.finish or today, today)
            found[task.pk] = TaskActual(start=start, finish=max(finish, start))
        else:
            found[task.pk] = TaskActual(start=start, remaining_days=task_remaining(task, logged.get(task.pk, ZERO)))
    return Actuals(today=today, tasks=found)


# --------------------------------------------------------------------------- status reports


def project_reports(project: Project) -> QuerySet[StatusReport]:
    return StatusReport.objects.filter(project=project).select_related("created_by", "published_by").order_by("-period_end", "-pk")


def published_reports_for(project: Project) -> QuerySet[StatusReport]:
    """The reports a client may read: published ones, newest first (for the client portal)."""
    return project_reports(project).filter(status=StatusReport.Status.PUBLISHED)


def project_risks(project: Project, *, open_only: bool = False) -> list[Risk]:
    risks = Risk.objects.filter(project=project).select_related("owner")
    if open_only:
        risks = risks.exclude(status=Risk.Status.CLOSED)
    return sorted(risks, key=lambda r: (r.status == Risk.Status.CLOSED, -r.score, r.pk))


def phases_of(project: Project) -> list[Phase]:
    return list(Phase.objects.filter(project=project).order_by("order", "pk"))
