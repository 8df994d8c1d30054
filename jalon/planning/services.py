"""Planning use cases: plan a project (with the projects sharing its people), optimise it in the
background, pin a date or a person, save a baseline.

A plan is written only when the engine's independent validator accepts it, in one transaction,
and only if no task changed while the engine was computing (optimistic check on versions)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jalon.accounts.models import User
from jalon.engine.calendar import CalendarError
from jalon.engine.model import Objective, Problem, ProblemError, Result, Status
from jalon.engine.validate import SOFT_KINDS, validate
from jalon.jobs.models import JobProgress
from jalon.jobs.services import job_report_progress
from jalon.people.models import Person
from jalon.planning import explain
from jalon.planning.mapping import Actuals, MappedProblem, build_problem, pk_of, projects_planned_with, schedule_dates
from jalon.planning.models import Baseline, BaselineTask, PlanRun
from jalon.planning.selectors import OPTIMIZE_KIND
from jalon.planning.selectors import baseline_variance  # noqa: F401  (a read, re-exported for callers)
from jalon.projects.models import Assignment, Project, Task

Progress = Callable[[float, float], None]  # (seconds elapsed, time limit)

HEURISTIC_SECONDS = 1.0  # Planifier answers at once: the heuristic's improvement search is bounded
OPTIMIZE_LIMITS = (10, 30, 60, 120)  # seconds offered by the Optimiser form
MAX_OPTIMIZE_SECONDS = 600


@dataclass
class PlanFigures:
    """What a manager compares between two plans: end date, lateness and internal cost."""

    makespan_days: int | None
    finish_date: dt.date | None
    lateness_days: int
    cost: Decimal

    def as_json(self) -> dict[str, Any]:
        return {
            "makespan_days": self.makespan_days,
            "finish_date": self.finish_date.isoformat() if self.finish_date else None,
            "lateness_days": self.lateness_days,
            "cost": str(self.cost),
        }


@dataclass
class PlanOutcome:
    run: PlanRun
    projects: list[Project]
    reasons: list[str] = field(default_factory=list)
    result: Result | None = None

    @property
    def saved(self) -> bool:
        return self.run.outcome == PlanRun.Outcome.SAVED


# --------------------------------------------------------------------------- plan


def project_plan(
    *,
    project: Project,
    by: User | None,
    method: str = "heuristic",
    time_limit: float | None = None,
    objective: Objective = Objective.MAKESPAN,
    seed: int = 0,
    max_iterations: int | None = None,
    progress: Progress | None = None,
    actuals: Actuals | None = None,
) -> PlanOutcome:
    """Plan `project` and every active project sharing people or links with it.

    `actuals` (from tracking) re-plans from their day: done tasks stay, started ones go on
    with their remaining work (see planning/mapping.py).

    `method`: "heuristic" (instant) or "optimize" (CP-SAT within `time_limit` seconds, started
    from the heuristic's plan, whose figures are kept for comparison). Nothing is saved when the
    data hold a cycle, a skill nobody has, or when the validator refuses the schedule; the
    outcome's reasons then say why, in French."""
    if method not in PlanRun.Method.values:
        raise ValueError(f"unknown planning method {method!r}: choose among {', '.join(PlanRun.Method.values)}")
    projects = projects_planned_with(project)
    run = PlanRun(project=project, method=method, objective=str(objective), created_by=by)
    try:
        mapped = build_problem(projects, actuals=actuals)
    except (CalendarError, ProblemError) as error:
        return _refuse(run, projects, PlanRun.Outcome.INFEASIBLE, [_("Données impossibles à planifier : %(error)s") % {"error": error}])
    run.task_count = len(mapped.problem.tasks)
    blocking = [r for r in [explain.cycle_reason(mapped)] if r] or explain.precheck_reasons(mapped)
    if blocking:
        return _refuse(run, projects, PlanRun.Outcome.INFEASIBLE, blocking)
    began = time.perf_counter()
    if method == PlanRun.Method.OPTIMIZE:
        result, heuristic = _optimize(mapped.problem, time_limit, objective, seed, progress)
        run.comparison = {"heuristic": plan_figures(mapped, heuristic).as_json()}
    else:
        result = _heuristic(mapped.problem, time_limit, objective, seed, max_iterations)
    run.seconds = time.perf_counter() - began
    return _conclude(run, mapped, result)


def _heuristic(problem: Problem, time_limit: float | None, objective: Objective, seed: int, max_iterations: int | None) -> Result:
    from jalon.engine.heuristic import schedule_heuristic

    budget = None if max_iterations is not None and time_limit is None else (time_limit or HEURISTIC_SECONDS)
    return schedule_heuristic(problem, seed=seed, time_budget=budget, max_iterations=max_iterations, objective=objective)


def _optimize(
    problem: Problem, time_limit: float | None, objective: Objective, seed: int, progress: Progress | None
) -> tuple[Result, Result]:
    """The heuristic's plan, then CP-SAT started from it. The solver runs in a thread so this
    thread can report progress (the solver releases the GIL while it searches)."""
    from jalon.engine.cpsat import optimize

    limit = float(time_limit or OPTIMIZE_LIMITS[0])
    heuristic = _heuristic(problem, min(HEURISTIC_SECONDS, limit / 10), objective, seed, None)
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cpsat") as pool:
        future = pool.submit(optimize, problem, time_limit=limit, objective=objective, initial=heuristic, seed=seed)
        while True:
            try:
                return future.result(timeout=1.0), heuristic
            except FutureTimeout:
                if progress is not None:
                    progress(time.perf_counter() - began, limit)


def _conclude(run: PlanRun, mapped: MappedProblem, result: Result) -> PlanOutcome:
    run.engine_status = str(result.status)
    run.lower_bound_days = result.lower_bound
    projects = mapped.projects
    if result.status == Status.INFEASIBLE or len(result.tasks) != len(mapped.problem.tasks):
        reasons = explain.pin_reasons(mapped) or explain.engine_reasons(result.reasons)
        return _refuse(run, projects, PlanRun.Outcome.INFEASIBLE, reasons, result)
    broken = [v for v in validate(mapped.problem, result) if v.kind not in SOFT_KINDS]
    if broken:
        return _refuse(run, projects, PlanRun.Outcome.INVALID, explain.violation_reasons(mapped, broken), result)
    figures = plan_figures(mapped, result)
    run.makespan_days, run.finish_date = figures.makespan_days, figures.finish_date
    run.lateness_days, run.cost = figures.lateness_days, figures.cost
    reasons = explain.deadline_reasons(mapped, result)
    with transaction.atomic():
        if not _unchanged(mapped):
            stale = [_("Des tâches ont été modifiées pendant le calcul : rien n'a été enregistré. Planifiez à nouveau.")]
            return _refuse(run, projects, PlanRun.Outcome.STALE, stale, result)
        _write_schedule(mapped, result, by=run.created_by)
        run.outcome, run.reasons = PlanRun.Outcome.SAVED, reasons
        _save_run(run, projects)
    return PlanOutcome(run, projects, reasons, result)


def _refuse(
    run: PlanRun, projects: list[Project], outcome: str, reasons: list[str], result: Result | None = None
) -> PlanOutcome:
    run.outcome, run.reasons = outcome, reasons
    _save_run(run, projects)
    return PlanOutcome(run, projects, reasons, result)


def _save_run(run: PlanRun, projects: list[Project]) -> None:
    run.save()
    run.projects.set(projects)


def _unchanged(mapped: MappedProblem) -> bool:
    """No task added, removed or saved since the problem was loaded (rows locked on PostgreSQL)."""
    project_ids = [p.pk for p in mapped.projects]
    current = Task.objects.select_for_update().filter(project_id__in=project_ids).values_list("pk", "version")
    return dict(current) == mapped.versions


def _write_schedule(mapped: MappedProblem, result: Result, *, by: User | None) -> None:
    """Dates on every task (first and last working day), and the planner's assignments in place
    of the previous ones; pinned assignments stay. Bulk statements, whatever the task count.

    A bulk update sends no signal, so django-simple-history sees nothing: the history rows of
    the tasks whose dates moved are written here, in one more bulk insert, signed by `by`.
    (`bulk_update_with_history` would log every task, moved or not, on every plan: rows that
    the « Historique » page would read and then hide as changes of nothing.)"""
    calendar, now = mapped.calendar, timezone.now()
    tasks, moved = [], []
    for key, placed in result.tasks.items():
        task = mapped.tasks[key]
        dates = schedule_dates(calendar, placed.start, placed.finish)
        if (task.start, task.finish) != dates:
            moved.append(task)
        task.start, task.finish = dates
        task.version = F("version") + 1  # forms holding the old version now get a stale-edit message
        task.updated_at = now
        tasks.append(task)
    Task.objects.bulk_update(tasks, ["start", "finish", "version", "updated_at"], batch_size=500)
    if moved:
        Task.history.bulk_history_create(moved, batch_size=500, update=True, default_user=by, default_date=now)
    for task in tasks:
        task.version = mapped.versions[task.pk] + 1
    task_pks = [t.pk for t in tasks]
    Assignment.objects.filter(task_id__in=task_pks, pinned=False).delete()
    Assignment.objects.bulk_create(
        [
            Assignment(task_id=pk_of(key), person_id=pk_of(person))
            for key, placed in result.tasks.items()
            for person in placed.assignees
            if person not in mapped.pinned.get(key, ())
        ],
        batch_size=500,
    )


def plan_figures(mapped: MappedProblem, result: Result) -> PlanFigures:
    """End date, working days late summed over tasks with a deadline, and internal cost
    (each assignee's daily cost × the task's working days)."""
    tasks = {t.id: t for t in mapped.problem.tasks}
    cost = {p.id: Decimal(str(p.daily_cost)) for p in mapped.problem.people}
    late = 0
    spent = Decimal("0")
    for key, placed in result.tasks.items():
        deadline = tasks[key].deadline
        if deadline is not None and placed.finish > deadline:
            late += placed.finish - deadline
        spent += sum((cost[p] for p in placed.assignees), Decimal("0")) * (placed.finish - placed.start)
    makespan = max((p.finish for p in result.tasks.values()), default=None)
    finish = None
    if result.tasks:
        last = max(result.tasks.values(), key=lambda p: p.finish)
        finish = schedule_dates(mapped.calendar, last.start, last.finish)[1]
    return PlanFigures(makespan, finish, late, spent.quantize(Decimal("0.01")))


# --------------------------------------------------------------------------- optimise in the background


def plan_optimize_enqueue(*, project: Project, by: User, time_limit: int, objective: str = Objective.MAKESPAN) -> JobProgress:
    """Queue an optimisation for a worker; its progress row exists before a worker can pick it."""
    from jalon.planning.tasks import plan_optimize

    if not 1 <= time_limit <= MAX_OPTIMIZE_SECONDS:
        raise ValidationError(_("La durée d'optimisation va de 1 à %(max)d s (demandé : %(limit)s s).") % {
            "max": MAX_OPTIMIZE_SECONDS, "limit": time_limit})
    Objective(objective)  # raises ValueError naming the bad value
    with transaction.atomic():
        job = JobProgress.objects.create(
            kind=OPTIMIZE_KIND,
            project=project,
            requested_by=by,
            message=gettext_noop("En attente d'un processus de calcul…"),
            result={"time_limit": time_limit, "objective": objective},
        )
        task_result = plan_optimize.enqueue(job_id=job.pk)
        job.task_result_id = str(task_result.id)
        job.save(update_fields=["task_result_id"])
    return job


def plan_optimize_run(*, job_id: int) -> dict[str, Any]:
    """The worker's side: plan with the optimizer, report progress every second, and store in
    the job what it gained against the heuristic's plan."""
    job = JobProgress.objects.select_related("project", "requested_by").get(pk=job_id)
    settings = dict(job.result)
    limit = int(settings.get("time_limit", OPTIMIZE_LIMITS[0]))

    def report(elapsed: float, total: float) -> None:
        percent = max(5, min(95, int(100 * elapsed / total)))
        job_report_progress(job_id=job_id, percent=percent,
                            message=_("Optimisation en cours… %(done)d s / %(total)d s") % {"done": elapsed, "total": total})

    try:
        report(0, limit)
        outcome = project_plan(
            project=job.project, by=job.requested_by, method=PlanRun.Method.OPTIMIZE, time_limit=limit,
            objective=Objective(settings.get("objective", Objective.MAKESPAN)), progress=report,
        )
    except Exception as exc:
        job_report_progress(job_id=job_id, percent=100, status=JobProgress.Status.FAILED,
                            message=_("Échec : %(error)s") % {"error": exc})
        raise
    summary = {**settings, "plan_run_id": outcome.run.pk, "saved": outcome.saved}
    message = _("Optimisation terminée.") if outcome.saved else _("Optimisation terminée sans enregistrer de planning.")
    job_report_progress(job_id=job_id, percent=100, status=JobProgress.Status.SUCCEEDED, message=message, result=summary)
    return summary


# --------------------------------------------------------------------------- pins


def task_pin(*, task: Task, by: User, start: dt.date | None, person: Person | None) -> Task:
    """Pin (or, with None, unpin) the task's start date and add a pinned person.

    A person can only be pinned on a task that needs people, who holds one of its skills at the
    level asked, and within its headcount."""
    with transaction.atomic():
        if person is not None:
            _check_pinnable(task, person)
            Assignment.objects.update_or_create(task=task, person=person, defaults={"pinned": True})
        if start != task.pinned_start:
            task.pinned_start = start
            task.version = F("version") + 1
            task.save(update_fields=["pinned_start", "version", "updated_at"])
            task.refresh_from_db(fields=["version"])
    return task


def task_unpin_person(*, task: Task, person: Person) -> None:
    """The person stays on the task until the next plan, which may choose someone else."""
    Assignment.objects.filter(task=task, person=person).update(pinned=False)


def _check_pinnable(task: Task, person: Person) -> None:
    needs = list(task.skills.select_related("skill"))
    if not needs:
        raise ValidationError(
            _("%(task)s ne demande aucune compétence : elle n'a besoin de personne, rien à imposer.") % {"task": explain.quoted(task.name)}
        )
    if person.organisation_id != task.project.organisation_id:
        raise ValidationError(_("%(person)s appartient à une autre organisation.") % {"person": person.full_name})
    levels = dict(person.skills.values_list("skill_id", "level"))
    if not any(levels.get(n.skill_id, 0) >= n.min_level for n in needs):
        raise ValidationError(
            _("%(person)s n'a aucune des compétences demandées par %(task)s (%(needs)s).") % {
                "person": person.full_name, "task": explain.quoted(task.name),
                "needs": explain.name_list([f"{n.skill.name} ≥ {n.min_level}" for n in needs]),
            }
        )
    seats = sum(n.headcount for n in needs)
    others = task.assignments.filter(pinned=True).exclude(person=person).count()
    if others >= seats:
        raise ValidationError(
            _("%(task)s a déjà %(count)d personne(s) imposée(s) pour %(seats)d place(s) : retirez-en une d'abord.") % {
                "task": explain.quoted(task.name), "count": others, "seats": seats,
            }
        )


# --------------------------------------------------------------------------- baselines


def baseline_save(*, project: Project, name: str, by: User | None) -> Baseline:
    """Freeze the project's planned dates as a reference (référence) to measure slips against."""
    tasks = list(project.tasks.filter(start__isnull=False, finish__isnull=False).order_by("order", "pk"))
    if not tasks:
        raise ValidationError(_("Planifiez le projet avant d'enregistrer une référence : aucune tâche n'a de dates."))
    name = name.strip() or _("Référence du %(date)s") % {"date": explain.fr_date(timezone.localdate())}
    with transaction.atomic():
        baseline = Baseline.objects.create(project=project, name=name[:200], created_by=by)
        BaselineTask.objects.bulk_create(
            [BaselineTask(baseline=baseline, task=t, task_name=t.name, start=t.start, finish=t.finish,
                          effort_days=t.effort_days) for t in tasks],
            batch_size=500,
        )
    return baseline
