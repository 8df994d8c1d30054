"""The breakdown: phases, tasks and milestones, the dependencies between tasks, and the
deliverables (livrables) the tasks produce.

Reading follows the project (whoever sees it); writing needs the right to edit it (its manager,
the organisation's admins). The model rules apply as in the editor: a link that would close a
cycle is refused with the tasks of the cycle named in order."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from jalon.api.pagination import Page, PageQuery, paginate
from jalon.api.permissions import (
    deliverable_for,
    dependency_for,
    forbidden,
    phase_for,
    project_for,
    task_for,
    user_of,
    visible_tasks,
)
from jalon.api.routers.common import WRITE_ERRORS, rename_ids, resolve_id, responses
from jalon.api.schemas import (
    DeliverableCreate,
    DeliverableOut,
    DeliverableUpdate,
    DependencyCreate,
    DependencyOut,
    Id,
    PhaseCreate,
    PhaseOut,
    PhaseUpdate,
    TaskCreate,
    TaskFilters,
    TaskOut,
    TaskUpdate,
)
from jalon.api.services import task_create, task_update
from jalon.projects import breakdown
from jalon.portal.services import deliverable_mark_delivered
from jalon.projects.models import Assignment, Deliverable, Dependency, Phase, Project, Task
from jalon.projects.permissions import can_edit_project

router = Router(tags=["découpage"])


def _project_phases(project: Project) -> QuerySet[Phase]:
    return Phase.objects.filter(project=project)


# --- phases ----------------------------------------------------------------------------------


@router.get("/projects/{project_id}/phases", response=responses(200, Page[PhaseOut]))
def phase_list(request: HttpRequest, project_id: Id, page: Query[PageQuery]) -> dict[str, Any]:
    project = project_for(request, project_id)
    return paginate(_project_phases(project).order_by("order", "pk"), page)


@router.post("/projects/{project_id}/phases", response=responses(201, PhaseOut, WRITE_ERRORS))
def phase_create(request: HttpRequest, project_id: Id, payload: PhaseCreate) -> Status[Phase]:
    project = project_for(request, project_id, write=True)
    parent = resolve_id(_project_phases(project), payload.parent_id, "parent", "Phase")
    return Status(201, breakdown.phase_add(project=project, name=payload.name, parent=parent))  # type: ignore[arg-type]


@router.get("/phases/{phase_id}", response=responses(200, PhaseOut))
def phase_detail(request: HttpRequest, phase_id: Id) -> Phase:
    return phase_for(request, phase_id)


@router.patch("/phases/{phase_id}", response=responses(200, PhaseOut, WRITE_ERRORS))
def phase_update(request: HttpRequest, phase_id: Id, payload: PhaseUpdate) -> Phase:
    """Rename a phase or move it under another phase (null: to the top level)."""
    phase = phase_for(request, phase_id, write=True)
    data = payload.dict(exclude_unset=True)
    parent = resolve_id(_project_phases(phase.project).exclude(pk=phase.pk), data.get("parent_id"), "parent", "Phase")
    for name, value in rename_ids(data, {"parent": parent}).items():
        setattr(phase, name, value.strip() if name == "name" and value else value)
    return breakdown.phase_save(phase=phase)


@router.delete("/phases/{phase_id}", response=responses(204, None, WRITE_ERRORS))
def phase_delete(request: HttpRequest, phase_id: Id) -> Status[None]:
    """Delete a phase; its tasks and sub-phases move up to its parent."""
    breakdown.phase_delete(phase=phase_for(request, phase_id, write=True))
    return Status(204, None)


# --- tasks -----------------------------------------------------------------------------------


def _with_assignees(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return tasks.prefetch_related(Prefetch("assignments", queryset=Assignment.objects.only("task_id", "person_id")))


def task_out(task: Task) -> dict[str, Any]:
    fields = TaskOut.model_fields.keys() - {"assignee_ids"}
    return {**{name: getattr(task, name) for name in fields},
            "assignee_ids": sorted(a.person_id for a in task.assignments.all())}


@router.get("/projects/{project_id}/tasks", response=responses(200, Page[TaskOut]))
def task_list(request: HttpRequest, project_id: Id, filters: Query[TaskFilters], page: Query[PageQuery]) -> dict[str, Any]:
    """The project's tasks and milestones in breakdown order, optionally of one phase."""
    project = project_for(request, project_id)
    tasks = Task.objects.filter(project=project)
    if filters.phase is not None:
        tasks = tasks.filter(phase_id=filters.phase)
    if filters.milestone is not None:
        tasks = tasks.filter(is_milestone=filters.milestone)
    return paginate(_with_assignees(tasks).order_by("order", "pk"), page, task_out)


@router.post("/projects/{project_id}/tasks", response=responses(201, TaskOut, WRITE_ERRORS))
def task_create_view(request: HttpRequest, project_id: Id, payload: TaskCreate) -> Status[dict[str, Any]]:
    project = project_for(request, project_id, write=True)
    data = {k: v for k, v in payload.dict().items() if v is not None}
    phase = resolve_id(_project_phases(project), data.get("phase_id"), "phase", "Phase")
    task = task_create(project=project, fields=rename_ids(data, {"phase": phase}))
    return Status(201, task_out(_with_assignees(Task.objects.filter(pk=task.pk)).get()))


@router.get("/tasks/{task_id}", response=responses(200, TaskOut))
def task_detail(request: HttpRequest, task_id: Id) -> dict[str, Any]:
    return task_out(_with_assignees(visible_tasks(request)).filter(pk=task_for(request, task_id).pk).get())


@router.patch("/tasks/{task_id}", response=responses(200, TaskOut, WRITE_ERRORS))
def task_update_view(request: HttpRequest, task_id: Id, payload: TaskUpdate) -> dict[str, Any]:
    """Change the fields sent. `version` must be the one you read (else 409, nothing changed);
    the planner's own dates (`start`, `finish`) are not editable."""
    task = task_for(request, task_id, write=True)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    phase = resolve_id(_project_phases(task.project), data.get("phase_id"), "phase", "Phase")
    task = task_update(task=task, version=version, changes=rename_ids(data, {"phase": phase}))
    return task_out(_with_assignees(Task.objects.filter(pk=task.pk)).get())


@router.delete("/tasks/{task_id}", response=responses(204, None, WRITE_ERRORS))
def task_delete(request: HttpRequest, task_id: Id) -> Status[None]:
    breakdown.task_delete(task=task_for(request, task_id, write=True))
    return Status(204, None)


# --- dependencies ----------------------------------------------------------------------------


@router.get("/projects/{project_id}/dependencies", response=responses(200, Page[DependencyOut]))
def dependency_list(request: HttpRequest, project_id: Id, page: Query[PageQuery]) -> dict[str, Any]:
    """Links whose successor is in the project (their predecessor may be in another project)."""
    project = project_for(request, project_id)
    return paginate(Dependency.objects.filter(successor__project=project).order_by("pk"), page)


@router.post("/dependencies", response=responses(201, DependencyOut, WRITE_ERRORS))
def dependency_create(request: HttpRequest, payload: DependencyCreate) -> Status[Dependency]:
    """Link two tasks; you must be able to edit the successor's project and see the predecessor.
    A link closing a cycle is refused (422) with the cycle named, e.g. « A → B → C → A »."""
    tasks = visible_tasks(request).select_related("project__organisation")
    successor: Task = resolve_id(tasks, payload.successor_id, "successor", "Tâche")  # type: ignore[assignment]
    predecessor = resolve_id(tasks, payload.predecessor_id, "predecessor", "Tâche")
    if not can_edit_project(user_of(request), successor.project):
        raise forbidden()
    dependency = Dependency(predecessor=predecessor, successor=successor, type=payload.type, lag_days=payload.lag_days)
    return Status(201, breakdown.dependency_add(dependency=dependency))


@router.get("/dependencies/{dependency_id}", response=responses(200, DependencyOut))
def dependency_detail(request: HttpRequest, dependency_id: Id) -> Dependency:
    return dependency_for(request, dependency_id)


@router.delete("/dependencies/{dependency_id}", response=responses(204, None, WRITE_ERRORS))
def dependency_delete(request: HttpRequest, dependency_id: Id) -> Status[None]:
    breakdown.task_link_remove(item=dependency_for(request, dependency_id, write=True))
    return Status(204, None)


# --- deliverables ----------------------------------------------------------------------------


def deliverable_out(deliverable: Deliverable) -> dict[str, Any]:
    fields = DeliverableOut.model_fields.keys() - {"requirement_ids"}
    return {**{name: getattr(deliverable, name) for name in fields},
            "requirement_ids": sorted(r.pk for r in deliverable.requirements.all())}


def _with_requirements(deliverables: QuerySet[Deliverable]) -> QuerySet[Deliverable]:
    return deliverables.prefetch_related("requirements")


@router.get("/projects/{project_id}/deliverables", response=responses(200, Page[DeliverableOut]))
def deliverable_list(request: HttpRequest, project_id: Id, page: Query[PageQuery]) -> dict[str, Any]:
    """The project's deliverables by due date, with their acceptance status and the
    requirements they cover."""
    project = project_for(request, project_id)
    deliverables = _with_requirements(Deliverable.objects.filter(project=project))
    return paginate(deliverables.order_by("due_date", "name", "pk"), page, deliverable_out)


@router.post("/projects/{project_id}/deliverables", response=responses(201, DeliverableOut, WRITE_ERRORS))
def deliverable_create(request: HttpRequest, project_id: Id, payload: DeliverableCreate) -> Status[dict[str, Any]]:
    project = project_for(request, project_id, write=True)
    task = resolve_id(Task.objects.filter(project=project), payload.task_id, "task", "Tâche")
    fields = rename_ids(payload.dict(), {"task": task})
    deliverable = breakdown.deliverable_save(deliverable=Deliverable(project=project, **fields))
    return Status(201, deliverable_out(deliverable))


@router.get("/deliverables/{deliverable_id}", response=responses(200, DeliverableOut))
def deliverable_detail(request: HttpRequest, deliverable_id: Id) -> dict[str, Any]:
    return deliverable_out(deliverable_for(request, deliverable_id))


@router.patch("/deliverables/{deliverable_id}", response=responses(200, DeliverableOut, WRITE_ERRORS))
def deliverable_update(request: HttpRequest, deliverable_id: Id, payload: DeliverableUpdate) -> dict[str, Any]:
    """Change the fields sent (`task_id: null` detaches it from its task). The status moves on
    through `deliver` and the client's acceptance in the portal, not here."""
    deliverable = deliverable_for(request, deliverable_id, write=True)
    data = payload.dict(exclude_unset=True)
    task = resolve_id(Task.objects.filter(project=deliverable.project), data.get("task_id"), "task", "Tâche")
    for name, value in rename_ids(data, {"task": task}).items():
        setattr(deliverable, name, value)
    return deliverable_out(breakdown.deliverable_save(deliverable=deliverable))


@router.post("/deliverables/{deliverable_id}/deliver", response=responses(200, DeliverableOut, WRITE_ERRORS))
def deliverable_deliver(request: HttpRequest, deliverable_id: Id) -> dict[str, Any]:
    """Hand the deliverable over for the client's acceptance (recette), again after a rejection."""
    deliverable = deliverable_for(request, deliverable_id, write=True)
    return deliverable_out(deliverable_mark_delivered(deliverable=deliverable))


@router.delete("/deliverables/{deliverable_id}", response=responses(204, None, WRITE_ERRORS))
def deliverable_delete(request: HttpRequest, deliverable_id: Id) -> Status[None]:
    breakdown.task_link_remove(item=deliverable_for(request, deliverable_id, write=True))
    return Status(204, None)
