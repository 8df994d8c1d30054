"""Background jobs: enqueue them, report their progress, and the work of each kind."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jalon.accounts.models import User
from jalon.engine.cpm import CycleError, critical_path
from jalon.engine.model import Link, LinkType, Problem
from jalon.engine.model import Task as EngineTask
from jalon.jobs.models import JobProgress
from jalon.projects.models import Dependency, Project, Task

Status = JobProgress.Status


def job_report_progress(
    *,
    job_id: int,
    percent: int,
    message: str = "",
    status: str = Status.RUNNING,
    result: dict[str, Any] | None = None,
) -> None:
    """Record how far a job has gone. One UPDATE, outside any caller transaction's logic,
    so pages polling the job see it at once."""
    if not 0 <= percent <= 100:
        raise ValueError(f"job {job_id}: percent must be 0..100, got {percent}")
    fields: dict[str, Any] = {"percent": percent, "message": message[:300], "status": status,
                              "updated_at": timezone.now()}
    if result is not None:
        fields["result"] = result
    if not JobProgress.objects.filter(pk=job_id).update(**fields):
        raise JobProgress.DoesNotExist(f"job {job_id} does not exist (deleted while running?)")


def job_enqueue_plan_check(*, project: Project, requested_by: User) -> JobProgress:
    """Queue a check of the project's plan (cycles, critical path) for a worker."""
    from jalon.jobs.tasks import plan_check

    with transaction.atomic():
        job = JobProgress.objects.create(
            kind=JobProgress.Kind.PLAN_CHECK,
            project=project,
            requested_by=requested_by,
            message=gettext_noop("En attente d'un processus de calcul…"),
        )
        # Same transaction: a worker cannot pick the task before its progress row exists.
        task_result = plan_check.enqueue(job_id=job.pk)
        job.task_result_id = str(task_result.id)
        job.save(update_fields=["task_result_id"])
    return job


def plan_check_run(*, job_id: int) -> dict[str, Any]:
    """Load the project's tasks and links, look for a cycle, compute the critical path and
    store a summary. Any failure is written to the job before it propagates."""
    job = JobProgress.objects.select_related("project").get(pk=job_id)
    try:
        # Step messages are stored untranslated and translated by the page that shows them:
        # the worker does not know the reader's language.
        job_report_progress(job_id=job_id, percent=10, message=gettext_noop("Chargement des tâches et des dépendances…"))
        tasks = list(_project_tasks(job.project))
        links, external = _project_links(job.project)
        job_report_progress(job_id=job_id, percent=40, message=gettext_noop("Calcul du chemin critique…"))
        summary = _plan_summary(tasks, links, external)
    except Exception as exc:
        job_report_progress(job_id=job_id, percent=100, status=Status.FAILED,
                            message=_("Échec : %(error)s") % {"error": exc})
        raise
    message = (
        _("Cycle de dépendances : %(cycle)s") % {"cycle": " → ".join(summary["cycle"])}
        if summary["cycle"]
        else _("Planning cohérent : %(days)s jours ouvrés.") % {"days": summary["makespan_days"]}
    )
    job_report_progress(job_id=job_id, percent=100, status=Status.SUCCEEDED, message=message, result=summary)
    return summary


def _project_tasks(project: Project) -> Any:
    return (
        Task.objects.filter(project=project)
        .annotate(headcount=Sum("skills__headcount"))
        .order_by("order", "pk")
    )


def _project_links(project: Project) -> tuple[list[Dependency], int]:
    """Links between two tasks of this project, and the number of links to other projects
    (they matter for the portfolio plan, not for this project's own critical path)."""
    touching = Dependency.objects.filter(Q(predecessor__project=project) | Q(successor__project=project))
    links = list(touching.filter(predecessor__project=project, successor__project=project))
    return links, touching.count() - len(links)


def _duration_days(task: Task) -> int:
    """Working days at full capacity: the fixed duration, else the effort shared by the
    people the task needs (CPM ignores who they are). Part days round up."""
    if task.is_milestone:
        return 0
    if task.duration_days is not None:
        return math.ceil(task.duration_days)
    people = max(1, int(getattr(task, "headcount", None) or 1))
    return math.ceil(Decimal(task.effort_days) / people)


def _engine_link(dependency: Dependency, names: dict[str, str]) -> Link:
    pred, succ = str(dependency.predecessor_id), str(dependency.successor_id)
    try:
        link_type = LinkType(dependency.type)
    except ValueError:
        raise ValueError(
            _("la dépendance « %(pred)s » → « %(succ)s » a un type inconnu : « %(type)s ».")
            % {"pred": names[pred], "succ": names[succ], "type": dependency.type}
        ) from None
    return Link(pred, succ, link_type, dependency.lag_days)


def _plan_summary(tasks: list[Task], links: list[Dependency], external: int) -> dict[str, Any]:
    names = {str(t.pk): t.name for t in tasks}
    summary: dict[str, Any] = {
        "task_count": sum(1 for t in tasks if not t.is_milestone),
        "milestone_count": sum(1 for t in tasks if t.is_milestone),
        "dependency_count": len(links),
        "external_dependency_count": external,
        "cycle": [],
        "makespan_days": None,
        "critical_tasks": [],
        "reasons": [],
    }
    problem = Problem(
        tasks=[EngineTask(id=str(t.pk), name=t.name, duration=_duration_days(t)) for t in tasks],
        links=[_engine_link(d, names) for d in links],
    )
    try:
        cpm = critical_path(problem)
    except CycleError as cycle:
        summary["cycle"] = [names[task_id] for task_id in cycle.cycle]
        return summary
    summary["makespan_days"] = cpm.makespan
    summary["critical_tasks"] = [names[task_id] for task_id in cpm.critical]
    summary["reasons"] = list(cpm.reasons)
    return summary
