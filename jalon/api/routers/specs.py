"""The cahier des charges, read-only: versions, one version's sections, its requirements.
Everyone who sees the project reads its spec, clients included (they validate it), but a client
never reads a draft: drafts are left out of their lists and are a 404 for them, by the rule of
jalon.specs.selectors.readable_spec_versions."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Path, Query, Router

from jalon.api.pagination import Page, PageQuery, paginate
from jalon.api.permissions import not_found, project_for, user_of
from jalon.api.routers.common import responses
from jalon.api.schemas import Id, RequirementOut, SpecVersionDetailOut, SpecVersionOut
from jalon.projects.models import Project, Task
from jalon.specs.models import Requirement, SpecVersion
from jalon.specs.selectors import readable_spec_versions

router = Router(tags=["cahier des charges"])

VersionNumber = Annotated[int, Path(ge=1, le=2**31 - 1)]

def _versions(request: HttpRequest, project: Project) -> QuerySet[SpecVersion]:
    """The project's versions that the caller may read."""
    return readable_spec_versions(user_of(request), SpecVersion.objects.filter(spec__project=project))

def _version(request: HttpRequest, project: Project, number: int) -> SpecVersion:
    version = _versions(request, project).filter(number=number).first()
    if version is None:
        raise not_found()
    return version

@router.get("/projects/{project_id}/spec/versions", response=responses(200, Page[SpecVersionOut]))
def spec_version_list(request: HttpRequest, project_id: Id, page: Query[PageQuery]) -> dict[str, Any]:
    """The spec's versions, latest first."""
    return paginate(_versions(request, project_for(request, project_id)).order_by("-number"), page)

@router.get("/projects/{project_id}/spec/versions/{number}", response=responses(200, SpecVersionDetailOut))
def spec_version_detail(request: HttpRequest, project_id: Id, number: VersionNumber) -> SpecVersion:
    return _version(request, project_for(request, project_id), number)

def requirement_out(requirement: Requirement) -> dict[str, Any]:
    fields = RequirementOut.model_fields.keys() - {"task_ids"}
    return {**{name: getattr(requirement, name) for name in fields},
            "task_ids": [task.pk for task in requirement.tasks.all()]}

@router.get("/projects/{project_id}/spec/versions/{number}/requirements", response=responses(200, Page[RequirementOut]))
def requirement_list(request: HttpRequest, project_id: Id, number: VersionNumber, page: Query[PageQuery]) -> dict[str, Any]:
    """The version's requirements in order, each with the tasks that cover it."""
    version = _version(request, project_for(request, project_id), number)
    requirements = version.requirements.prefetch_related(
        Prefetch("tasks", queryset=Task.objects.only("pk").order_by("order", "pk"))
    ).order_by("order", "code", "pk")
    return paginate(requirements, page, requirement_out)

