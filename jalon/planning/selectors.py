"""Reads for the planning pages: variance against a baseline, the Gantt chart, the milestones,
the workload. Each loads a fixed number of queries whatever the number of tasks."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, ngettext

from jalon.accounts.models import Organisation
from jalon.engine.calendar import WorkCalendar
from jalon.engine.cpm import CycleError, critical_path
from jalon.engine.model import Link, LinkType, Problem
from jalon.engine.model import Task as EngineTask
from jalon.jobs.models import JobProgress
from jalon.people.models import Absence, Person, PersonSkill
from jalon.planning.mapping import ACTIVE_STATUSES, organisation_calendar, task_duration
from jalon.planning.models import Baseline, BaselineTask, PlanRun
from jalon.projects.models import Assignment, Dependency, Phase, Project, Task, TaskSkill
from jalon.reports.gantt import GanttChart, GanttLink, GanttRow

OPTIMIZE_KIND = "plan_optimize"
WORKLOAD_WEEKS = 12


def project_calendar(project: Project) -> WorkCalendar:
    return organisation_calendar(project.organisation, project.start_date)


# --------------------------------------------------------------------------- planning page


def last_plan_run(project: Project) -> PlanRun | None:
    return PlanRun.objects.filter(project=project).prefetch_related("projects").select_related("created_by").first()


def last_optimize_job(project: Project) -> JobProgress | None:
    return JobProgress.objects.filter(project=project, kind=OPTIMIZE_KIND).order_by("-created_at", "-pk").first()


def project_baselines(project: Project) -> QuerySet[Baseline]:
    return Baseline.objects.filter(project=project).select_related("created_by").order_by("-created_at", "-pk")


def plan_run_of_job(job: JobProgress | None) -> PlanRun | None:
    run_id = (job.result or {}).get("plan_run_id") if job is not None else None
    return PlanRun.objects.filter(pk=run_id).first() if run_id else None


@dataclass
class PinRow:
    """One line of the pins table, its dates already written the French way (the table has a
    line per task: formatting here keeps a 1,000-task page fast)."""

    pk: int
    name: str
    is_milestone: bool
    start: str
    finish: str
    pinned_start: str
    people: list[tuple[str, bool]]
    needs_people: bool
    pin_url: str


def pin_rows(project: Project, *, only: int | None = None) -> list[PinRow]:
    """The project's tasks with their planned dates, pins and assignees (three queries);
    `only` keeps one task (the row an HTMX pin returns)."""
    from jalon.reports.typography import format_date

    tasks = Task.objects.filter(project=project)
    assignments = Assignment.objects.filter(task__project=project)
    needs_qs = TaskSkill.objects.filter(task__project=project)
    if only is not None:
        tasks, assignments, needs_qs = tasks.filter(pk=only), assignments.filter(task_id=only), needs_qs.filter(task_id=only)
    people: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for task_id, first, last, pinned in assignments.order_by("person__first_name", "person__last_name").values_list(
        "task_id", "person__first_name", "person__last_name", "pinned"
    ):
        people[task_id].append((f"{first} {last}".strip(), pinned))
    needs = set(needs_qs.values_list("task_id", flat=True))
    pattern = reverse("planning_task_pin", args=[project.pk, 0])[: -len("0/imposer/")]
    rows = tasks.order_by("order", "pk").values_list("pk", "name", "is_milestone", "start", "finish", "pinned_start")
    return [
        PinRow(pk, name, milestone, format_date(start) if start else "—", format_date(finish) if finish else "—",
               format_date(pinned) if pinned else "", people.get(pk, []), pk in needs, f"{pattern}{pk}/imposer/")
        for pk, name, milestone, start, finish, pinned in rows
    ]


def eligible_people(task: Task) -> list[Person]:
    """People of the organisation holding one of the task's skills at the level asked."""
    needs = list(task.skills.values_list("skill_id", "min_level"))
    held = PersonSkill.objects.filter(person__organisation_id=task.project.organisation_id, person__active=True)
    ok: set[int] = set()
    for person_id, skill_id, level in held.values_list("person_id", "skill_id", "level"):
        if any(skill_id == s and level >= m for s, m in needs):
            ok.add(person_id)
    return list(Person.objects.filter(pk__in=ok).order_by("first_name", "last_name"))


# --------------------------------------------------------------------------- baseline variance


@dataclass(frozen=True)
class TaskVariance:
    """One task against the baseline; slips in working days, positive when later than planned."""

    name: str
    task_id: int | None
    baseline_start: dt.date | None
    baseline_finish: dt.date | None
    start: dt.date | None
    finish: dt.date | None
    start_slip: int | None
    finish_slip: int | None

    @property
    def state(self) -> str:
        if self.baseline_start is None:
            return "added"
        if self.task_id is None:
            return "removed"
        if self.start is None:
            return "unplanned"
        return "late" if (self.finish_slip or 0) > 0 else "early" if (self.finish_slip or 0) < 0 else "on_time"


def baseline_variance(project: Project, baseline: Baseline) -> list[TaskVariance]:
    """Every task of the project and of the baseline, in the project's order: baseline dates,
    current dates and the slips of start and finish in working days. Two queries."""
    calendar = project_calendar(project)
    frozen = {
        task_id: (name, start, finish)
        for task_id, name, start, finish in BaselineTask.objects.filter(baseline=baseline)
        .order_by("start", "pk").values_list("task_id", "task_name", "start", "finish")
    }
    rows: list[TaskVariance] = []
    current = Task.objects.filter(project=project).order_by("order", "pk").values_list("pk", "name", "start", "finish")
    for pk, name, start, finish in current:
        rows.append(_variance(calendar, name, pk, frozen.pop(pk, None), start, finish))
    for name, start, finish in frozen.values():  # tasks deleted since the baseline
        rows.append(_variance(calendar, name, None, (name, start, finish), None, None))
    return rows


def _variance(
    calendar: WorkCalendar, name: str, task_id: int | None, entry: tuple[str, dt.date, dt.date] | None,
    start: dt.date | None, finish: dt.date | None,
) -> TaskVariance:
    def slip(before: dt.date | None, now: dt.date | None) -> int | None:
        return calendar.working_days_between(before, now) if before and now else None

    _, baseline_start, baseline_finish = entry if entry else (None, None, None)
    return TaskVariance(
        name=name,
        task_id=task_id,
        baseline_start=baseline_start,
        baseline_finish=baseline_finish,
        start=start,
        finish=finish,
        start_slip=slip(baseline_start, start),
        finish_slip=slip(baseline_finish, finish),
    )


# --------------------------------------------------------------------------- Gantt


@dataclass
class GanttData:
    chart: GanttChart
    critical: list[Task]  # in order along the path, with their planned dates
    baseline: Baseline | None
    unplanned: int
    planned_finish: dt.date | None = None
    late: list[Task] = field(default_factory=list)


GANTT_TASK_FIELDS = ("project_id", "phase_id", "name", "order", "is_milestone", "effort_days", "duration_days",
                     "start", "finish", "deadline", "progress")


def task_edit_url(project_id: int, task_id: int) -> str:
    """The breakdown editor's task page when it exists, else the admin's change page."""
    try:
        return reverse("breakdown_task", args=[project_id, task_id])
    except NoReverseMatch:
        return reverse("admin:projects_task_change", args=[task_id])


def gantt_data(
    project: Project, *, zoom: str = "week", baseline: Baseline | None = None, with_urls: bool = False,
    today: dt.date | None = None,
) -> GanttData:
    """The project's Gantt: phases (with sub-phases), tasks and milestones, links, the critical
    path of the planned network, baseline bars and assignees. Seven queries."""
    calendar = project_calendar(project)
    tasks = list(Task.objects.filter(project=project).order_by("order", "pk").only(*GANTT_TASK_FIELDS))
    phases = list(Phase.objects.filter(project=project).order_by("order", "pk"))
    links = list(Dependency.objects.filter(predecessor__project=project, successor__project=project)
                 .values_list("predecessor_id", "successor_id", "type", "lag_days"))
    names: dict[int, list[str]] = defaultdict(list)
    for task_id, first, last in Assignment.objects.filter(task__project=project).order_by(
        "person__first_name", "person__last_name"
    ).values_list("task_id", "person__first_name", "person__last_name"):
        names[task_id].append(f"{first} {last}".strip())
    headcount = dict(TaskSkill.objects.filter(task__project=project).values_list("task_id").annotate(n=Count("pk")))
    frozen: dict[int, tuple[dt.date, dt.date]] = {}
    if baseline is not None:
        frozen = {task_id: (start, finish) for task_id, start, finish in BaselineTask.objects.filter(
            baseline=baseline, task__isnull=False).order_by().values_list("task_id", "start", "finish")}
    critical_ids = _critical_tasks(calendar, tasks, links, headcount)
    # One reverse() for the whole chart: the task's pk goes where the 0 is.
    edit_url = task_edit_url(project.pk, 0) if with_urls else None
    critical_set = set(critical_ids)
    task_rows = {t.pk: _task_row(t, names, frozen, critical_set, edit_url) for t in tasks}
    rows = _ordered_rows(phases, tasks, task_rows)
    by_pk = {t.pk: t for t in tasks}
    chart = GanttChart(
        rows=rows,
        links=[GanttLink(f"t{a}", f"t{b}", kind) for a, b, kind, _lag in links],
        today=today,
        zoom=zoom,
        title=project.name,
        non_working=lambda d: not calendar.is_working(d),
        dom_id=f"gantt-{project.pk}",
    )
    finishes = [t.finish for t in tasks if t.finish]
    return GanttData(
        chart=chart,
        critical=[by_pk[pk] for pk in critical_ids if pk in by_pk],
        baseline=baseline,
        unplanned=sum(1 for t in tasks if t.start is None),
        planned_finish=max(finishes) if finishes else None,
        late=[t for t in tasks if t.deadline and t.finish and t.finish > t.deadline],
    )


def _critical_tasks(calendar: WorkCalendar, tasks: list[Task], links: list[tuple], headcount: dict[int, int]) -> list[int]:
    """Critical tasks (no total float) of the network, each task lasting its planned span in
    working days when planned, its computed duration otherwise; in topological order."""
    engine_tasks = []
    for task in tasks:
        if task.start and task.finish and not task.is_milestone:
            duration = calendar.working_days_between(task.start, task.finish) + 1
        else:
            duration = task_duration(task, headcount.get(task.pk, 0))
        start = calendar.index_of(task.start) if task.start else None
        engine_tasks.append(EngineTask(id=str(task.pk), name=task.name, duration=duration, earliest_start=start))
    problem = Problem(
        tasks=engine_tasks,
        links=[Link(str(a), str(b), LinkType(kind), lag) for a, b, kind, lag in links],
    )
    try:
        return [int(pk) for pk in critical_path(problem).critical]
    except CycleError:
        return []


def _task_row(task: Task, names: dict[int, list[str]], frozen: dict[int, tuple[dt.date, dt.date]], critical: set[int],
              edit_url: str | None) -> GanttRow:
    baseline_start, baseline_finish = frozen.get(task.pk, (None, None))
    return GanttRow(
        id=f"t{task.pk}",
        label=task.name,
        kind="milestone" if task.is_milestone else "task",
        start=task.start,
        finish=task.finish,
        critical=task.pk in critical,
        progress=float(task.progress) if task.progress is not None else None,
        assignees=names.get(task.pk, []),
        baseline_start=baseline_start,
        baseline_finish=baseline_finish,
        late=bool(task.deadline and task.finish and task.finish > task.deadline),
        url=edit_url.replace("/0/", f"/{task.pk}/") if edit_url else None,
    )


def _ordered_rows(phases: list[Phase], tasks: list[Task], task_rows: dict[int, GanttRow]) -> list[GanttRow]:
    """Phases in tree order, each followed by its sub-phases and its tasks; tasks without a
    phase last. A phase bar spans the dates of everything under it."""
    children: dict[int | None, list[Phase]] = defaultdict(list)
    known = {p.pk for p in phases}
    for phase in phases:
        children[phase.parent_id if phase.parent_id in known else None].append(phase)
    by_phase: dict[int | None, list[Task]] = defaultdict(list)
    for task in tasks:
        by_phase[task.phase_id if task.phase_id in known else None].append(task)
    rows: list[GanttRow] = []

    def add(phase: Phase, level: int) -> list[GanttRow]:
        head = GanttRow(id=f"ph{phase.pk}", label=phase.name, kind="phase", level=level)
        rows.append(head)
        under: list[GanttRow] = []
        for child in children[phase.pk]:
            under += add(child, level + 1)
        for task in by_phase[phase.pk]:
            row = task_rows[task.pk]
            row.level = level + 1
            rows.append(row)
            under.append(row)
        dated = [r for r in under if r.start and r.finish]
        if dated:
            head.start, head.finish = min(r.start for r in dated), max(r.finish for r in dated)  # type: ignore[type-var]
            head.critical = any(r.critical for r in dated)
        return [head, *under]

    for phase in children[None]:
        add(phase, 0)
    rows += [task_rows[t.pk] for t in by_phase[None]]
    return rows


# --------------------------------------------------------------------------- milestones


def project_milestones(project: Project) -> list[Task]:
    """Milestones with their planned date (or deadline when not planned yet)."""
    return list(Task.objects.filter(project=project, is_milestone=True).order_by("finish", "deadline", "order", "pk"))


def milestone_status(task: Task, today: dt.date) -> str:
    day = task.finish or task.deadline
    if task.progress is not None and task.progress >= 100:
        return "done"
    if task.deadline and task.finish and task.finish > task.deadline:
        return "late"
    return "late" if day and day < today else "planned"


def milestone_month(milestones: list[Task], wanted: str | None, today: dt.date) -> dt.date:
    """The month asked (`YYYY-MM`), else the month of the next milestone, else of the last one."""
    if wanted:
        try:
            return dt.date.fromisoformat(f"{wanted}-01")
        except ValueError:
            pass
    days = sorted(d for d in (m.finish or m.deadline for m in milestones) if d)
    upcoming = [d for d in days if d >= today]
    return (upcoming[0] if upcoming else days[-1] if days else today).replace(day=1)


def milestone_calendar(project: Project, *, month: str | None, today: dt.date, with_urls: bool) -> dict[str, object]:
    """The context of the month calendar of the project's milestones, with the organisation's
    public holidays (its region's)."""
    from jalon.reports.calendar_view import month_calendar

    items = project_milestones(project)
    first = milestone_month(items, month, today)
    calendar = organisation_calendar(project.organisation, first)
    holidays = {**calendar.holidays(first.year - 1), **calendar.holidays(first.year), **calendar.holidays(first.year + 1)}
    entries = [
        (m.finish or m.deadline, m.name, task_edit_url(project.pk, m.pk) if with_urls else None, milestone_status(m, today))
        for m in items if m.finish or m.deadline
    ]
    return {"milestones": items, **month_calendar(entries, first, holidays=holidays, today=today)}


# --------------------------------------------------------------------------- workload


@dataclass
class WeekCell:
    planned: Decimal
    capacity: Decimal

    @property
    def over(self) -> bool:
        return self.planned > self.capacity + Decimal("0.05")

    @property
    def ratio(self) -> int:
        return int(100 * self.planned / self.capacity) if self.capacity else (100 if self.planned else 0)


@dataclass
class WorkloadRow:
    label: str
    detail: str
    cells: list[WeekCell]

    @property
    def over_weeks(self) -> int:
        return sum(1 for c in self.cells if c.over)


@dataclass
class Workload:
    weeks: list[dt.date]  # Mondays
    people: list[WorkloadRow]
    skills: list[WorkloadRow]
    unplanned_tasks: int

    @property
    def week_labels(self) -> list[tuple[dt.date, str]]:
        """(Monday, "S07") for the column heads: ISO week numbers on two digits."""
        return [(monday, gettext("S%(week)02d") % {"week": monday.isocalendar().week}) for monday in self.weeks]


def workload(organisation: Organisation, *, start: dt.date, weeks: int = WORKLOAD_WEEKS) -> Workload:
    """Plan de charge: per person per ISO week, the days planned on every active project of the
    organisation against their capacity (capacity × working days, less absences and public
    holidays); per skill, the people-days its holders can give against what planned tasks
    need. Seven queries, whatever the number of tasks."""
    monday = start - dt.timedelta(days=start.weekday())
    mondays = [monday + dt.timedelta(weeks=k) for k in range(weeks)]
    end = mondays[-1] + dt.timedelta(days=6)
    calendar = organisation_calendar(organisation, monday)
    day_week = _week_of_days(calendar, monday, end)
    people = list(Person.objects.filter(organisation=organisation, active=True).order_by("first_name", "last_name"))
    capacity = _capacities(calendar, people, day_week, weeks, monday, end)
    live = Task.objects.filter(
        project__organisation=organisation, project__status__in=(*ACTIVE_STATUSES, Project.Status.DRAFT),
    )
    in_window = live.filter(start__lte=end, finish__gte=monday)
    planned = _planned_days(calendar, day_week, weeks, in_window)
    demand = _skill_demand(calendar, day_week, weeks, in_window)
    holders: dict[str, list[int]] = defaultdict(list)
    for person_id, skill in PersonSkill.objects.filter(person__in=people).values_list("person_id", "skill__name"):
        holders[skill].append(person_id)
    zero = [Decimal("0")] * weeks
    person_rows = [
        WorkloadRow(p.full_name, p.job_title,
                    [WeekCell(a, b) for a, b in zip(planned.get(p.pk, zero), capacity[p.pk], strict=True)])
        for p in people
    ]
    skill_rows = []
    for skill in sorted(set(holders) | set(demand)):
        supply = [sum((capacity[pk][w] for pk in holders.get(skill, [])), Decimal("0")) for w in range(weeks)]
        count = len(holders.get(skill, []))
        detail = ngettext("%(n)d personne", "%(n)d personnes", count) % {"n": count}
        skill_rows.append(WorkloadRow(skill, detail, [WeekCell(d, s) for d, s in zip(demand.get(skill, zero), supply, strict=True)]))
    return Workload(mondays, person_rows, skill_rows, live.filter(start__isnull=True).count())


def _week_of_days(calendar: WorkCalendar, monday: dt.date, end: dt.date) -> dict[int, int]:
    """Working-day index -> week number in the window (0 = first week)."""
    first, last = calendar.index_of(monday), calendar.index_of(end + dt.timedelta(days=1))
    return {i: (d - monday).days // 7 for i, d in zip(range(first, last), calendar.dates_of(list(range(first, last))), strict=True)}


def _capacities(
    calendar: WorkCalendar, people: list[Person], day_week: dict[int, int], weeks: int, monday: dt.date, end: dt.date
) -> dict[int, list[Decimal]]:
    open_days = [0] * weeks
    for week in day_week.values():
        open_days[week] += 1
    off: dict[int, list[int]] = {p.pk: [0] * weeks for p in people}
    rows = Absence.objects.filter(person__in=people, start__lte=end, end__gte=monday)
    for person_id, first, last, afternoon, morning in rows.values_list("person_id", "start", "end", "start_afternoon", "end_morning"):
        days = _indices(calendar, max(first, monday), min(last, end))
        for i in days:
            off[person_id][day_week[i]] += 2
        # Half days count half here: the workload is an estimate, unlike the planner's blocks.
        if afternoon and first >= monday and calendar.is_working(first):
            off[person_id][day_week[calendar.index_of(first)]] -= 1
        if morning and last <= end and calendar.is_working(last):
            off[person_id][day_week[calendar.index_of(last)]] -= 1
    return {
        p.pk: [Decimal(p.capacity) * (open_days[w] - Decimal(off[p.pk][w]) / 2) for w in range(weeks)]
        for p in people
    }


def _indices(calendar: WorkCalendar, first: dt.date, last: dt.date) -> range:
    return range(calendar.index_of(first), calendar.index_of(last + dt.timedelta(days=1)))


def _spread(calendar: WorkCalendar, day_week: dict[int, int], weeks: int, start: dt.date, finish: dt.date, amount: Decimal) -> list[Decimal]:
    """`amount` spread evenly over the working days of [start, finish], summed per week."""
    days = _indices(calendar, start, finish)
    out = [Decimal("0")] * weeks
    if not days:
        return out
    share = amount / len(days)
    for i in days:
        week = day_week.get(i)
        if week is not None:
            out[week] += share
    return out


def _planned_days(calendar: WorkCalendar, day_week: dict[int, int], weeks: int, tasks: QuerySet[Task]) -> dict[int, list[Decimal]]:
    rows = Assignment.objects.filter(task__in=tasks).values(
        "person_id", "task_id", "task__start", "task__finish", "task__effort_days", "task__duration_days"
    )
    team = dict(Assignment.objects.filter(task__in=tasks).values_list("task_id").annotate(n=Count("pk")))
    load: dict[int, list[Decimal]] = {}
    for row in rows:
        start, finish = row["task__start"], row["task__finish"]
        # Each assignee gives the effort shared by the team; a fixed-duration task with no
        # effort keeps them busy its whole span.
        amount = Decimal(row["task__effort_days"] or 0) / max(team.get(row["task_id"], 1), 1)
        if not amount and row["task__duration_days"]:
            amount = Decimal(len(_indices(calendar, start, finish)))
        spread = _spread(calendar, day_week, weeks, start, finish, amount)
        current = load.setdefault(row["person_id"], [Decimal("0")] * weeks)
        for w in range(weeks):
            current[w] += spread[w]
    return load


def _skill_demand(calendar: WorkCalendar, day_week: dict[int, int], weeks: int, tasks: QuerySet[Task]) -> dict[str, list[Decimal]]:
    """Per skill, the person-days planned tasks need: the effort split between the task's
    requirements by the number of people each asks for."""
    rows = list(TaskSkill.objects.filter(task__in=tasks).values_list(
        "task_id", "skill__name", "headcount", "task__start", "task__finish", "task__effort_days"))
    seats: dict[int, int] = defaultdict(int)
    for task_id, _skill, count, *_ in rows:
        seats[task_id] += count
    demand: dict[str, list[Decimal]] = {}
    for task_id, skill, count, start, finish, effort in rows:
        amount = Decimal(effort or 0) * count / seats[task_id]
        spread = _spread(calendar, day_week, weeks, start, finish, amount)
        current = demand.setdefault(skill, [Decimal("0")] * weeks)
        for w in range(weeks):
            current[w] += spread[w]
    return demand


def workload_default_start(organisation: Organisation, today: dt.date) -> dt.date:
    """The week of the first work still to come (this week when work is under way), else the
    week of the last planned task."""
    live = Task.objects.filter(project__organisation=organisation, project__status__in=(*ACTIVE_STATUSES, Project.Status.DRAFT))
    coming = live.filter(finish__gte=today).order_by("start").values_list("start", flat=True).first()
    if coming is not None:
        return max(coming, today)
    last = live.filter(start__isnull=False).order_by("-start").values_list("start", flat=True).first()
    return last or today


# --------------------------------------------------------------------------- what optimising gained


@dataclass(frozen=True)
class Gain:
    """One figure before (heuristic) and after (optimiser); `delta` < 0 is an improvement."""

    label: str
    before: str
    after: str
    delta: str
    better: bool
    worse: bool


def optimize_gains(run: PlanRun | None) -> list[Gain]:
    """End date, lateness and cost of the heuristic's plan against the optimised one."""
    from django.utils.translation import gettext as _

    from jalon.reports.typography import format_date, format_money

    before = (run.comparison or {}).get("heuristic") if run is not None else None
    if not before or run is None or run.finish_date is None:
        return []
    first = dt.date.fromisoformat(before["finish_date"]) if before.get("finish_date") else None
    gains = []
    if first is not None:
        days = (before.get("makespan_days") or 0) - (run.makespan_days or 0)
        gains.append(Gain(_("Fin du planning"), format_date(first), format_date(run.finish_date),
                          _("%(n)+d j. ouvrés") % {"n": -days}, days > 0, days < 0))
    late_before, late_after = int(before.get("lateness_days") or 0), int(run.lateness_days or 0)
    gains.append(Gain(_("Retard cumulé"), _("%(n)d j. ouvrés") % {"n": late_before}, _("%(n)d j. ouvrés") % {"n": late_after},
                      _("%(n)+d j. ouvrés") % {"n": late_after - late_before}, late_after < late_before, late_after > late_before))
    cost_before, cost_after = Decimal(before.get("cost") or "0"), run.cost or Decimal("0")
    diff = cost_after - cost_before
    gains.append(Gain(_("Coût interne"), format_money(cost_before), format_money(cost_after),
                      ("+" if diff > 0 else "") + format_money(diff), diff < 0, diff > 0))
    return gains
