"""Planning through the API: plan a project now (heuristic), or queue an optimisation and
follow its progress; see who works on a task and impose a person on it. Planning needs the
right to edit the project, as the Planifier button."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Status

from jalon.api.permissions import get_visible, project_for, require_plan, task_for, user_of
from jalon.api.routers.common import WRITE_ERRORS, responses
from jalon.api.schemas import AssignmentOut, Id, JobOut, PlanOut, PlanQuery
from jalon.jobs.models import JobProgress
from jalon.planning.models import PlanRun
from jalon.people.models import Person
from jalon.planning.services import PlanOutcome, plan_optimize_enqueue, project_plan, task_pin, task_unpin_person
from jalon.projects.models import Assignment, Project, Task
from jalon.projects.selectors import projects_visible_to

router = Router(tags=["planification"])


def plan_out(project: Project, outcome: PlanOutcome) -> dict[str, Any]:
    run = outcome.run
    tasks = project.tasks.prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.only("task_id", "person_id"))
    ).order_by("order", "pk")
    return {
        "run_id": run.pk, "method": run.method, "outcome": run.outcome, "saved": outcome.saved,
        "reasons": [str(reason) for reason in run.reasons], "makespan_days": run.makespan_days,
        "finish_date": run.finish_date, "lateness_days": run.lateness_days, "seconds": run.seconds,
        "project_ids": [p.pk for p in outcome.projects],
        "tasks": [
            {"id": t.pk, "name": t.name, "start": t.start, "finish": t.finish,
             "assignee_ids": sorted(a.person_id for a in t.assignments.all())}
            for t in tasks
        ],
    }


def job_out(job: JobProgress) -> dict[str, Any]:
    return {
        "id": job.pk, "kind": job.kind, "project_id": job.project_id, "status": job.status,
        "percent": job.percent, "message": job.message, "result": job.result,
        "progress_url": reverse("api:job_detail", args=[job.pk]),
        "created_at": job.created_at, "updated_at": job.updated_at,
    }


@router.post("/projects/{project_id}/plan", response={**responses(200, PlanOut, WRITE_ERRORS), 202: JobOut})
def plan(request: HttpRequest, project_id: Id, query: Query[PlanQuery]) -> Status[dict[str, Any]]:
    """`method=heuristic` (default): plan now, with the projects sharing people, and answer the
    dates (200; `saved` is false, with `reasons`, when nothing could be saved).
    `method=optimize`: queue CP-SAT for `time_limit` seconds on a worker and answer the job
    (202) whose `progress_url` tells how far it has gone."""
    project = project_for(request, project_id)
    require_plan(request, project)
    user = user_of(request)
    if query.method == PlanRun.Method.OPTIMIZE:
        job = plan_optimize_enqueue(project=project, by=user, time_limit=query.time_limit)
        return Status(202, job_out(job))
    return Status(200, plan_out(project, project_plan(project=project, by=user)))


@router.get("/jobs/{job_id}", response=responses(200, JobOut), url_name="job_detail")
def job_detail(request: HttpRequest, job_id: Id) -> dict[str, Any]:
    """A background job's state; a project's jobs are seen by whoever sees the project, other
    jobs only by whoever asked for them."""
    user = user_of(request)
    jobs = JobProgress.objects.filter(project__in=projects_visible_to(user)) | JobProgress.objects.filter(
        project__isnull=True, requested_by=user
    )
    return job_out(get_visible(jobs, job_id))


# --- who works on a task ------------------------------------------------------------------------


def _assignments(task: Task) -> list[dict[str, Any]]:
    rows = Assignment.objects.filter(task=task).select_related("person").order_by("person__first_name", "person__pk")
    return [{"person_id": a.person_id, "full_name": a.person.full_name, "pinned": a.pinned} for a in rows]


def _person_for(task: Task, person_id: int) -> Person:
    """A person of the task's organisation (404 otherwise)."""
    return get_visible(Person.objects.filter(organisation_id=task.project.organisation_id), person_id)


@router.get("/tasks/{task_id}/assignments", response=responses(200, list[AssignmentOut]))
def assignment_list(request: HttpRequest, task_id: Id) -> list[dict[str, Any]]:
    """The people on the task: chosen by the last plan, or imposed (`pinned`)."""
    return _assignments(task_for(request, task_id))


@router.put("/tasks/{task_id}/assignments/{person_id}", response=responses(200, list[AssignmentOut], WRITE_ERRORS))
def assignment_pin(request: HttpRequest, task_id: Id, person_id: Id) -> list[dict[str, Any]]:
    """Impose a person on the task; the next plans keep them. Refused (422, with the reason) when
    the task needs no skill, the person holds none of its skills at the level asked, or its
    head count is already imposed."""
    task = task_for(request, task_id, write=True)
    person = _person_for(task, person_id)
    task_pin(task=task, by=user_of(request), start=task.pinned_start, person=person)
    return _assignments(task)


@router.delete("/tasks/{task_id}/assignments/{person_id}", response=responses(200, list[AssignmentOut], WRITE_ERRORS))
def assignment_unpin(request: HttpRequest, task_id: Id, person_id: Id) -> list[dict[str, Any]]:
    """No longer impose the person: they stay on the task until the next plan chooses."""
    task = task_for(request, task_id, write=True)
    person = _person_for(task, person_id)
    task_unpin_person(task=task, person=person)
    return _assignments(task)
