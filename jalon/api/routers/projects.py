"""/api/projects: the portfolio a user sees, one project, creation and versioned updates."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from jalon.accounts.models import User
from jalon.api.pagination import Page, PageQuery, paginate
from jalon.api.permissions import project_for, require_project_creation, user_of
from jalon.api.routers.common import WRITE_ERRORS, rename_ids, resolve_id, responses
from jalon.api.schemas import Id, MeOut, ProjectCreate, ProjectFilters, ProjectOut, ProjectUpdate, ProjectWithCostsOut
from jalon.api.selectors import filtered_projects
from jalon.api.services import project_update
from jalon.projects.models import Project
from jalon.projects.permissions import Role, can_see_costs, role_of
from jalon.projects.services import project_create

router = Router(tags=["projets"])

ProjectView = ProjectWithCostsOut | ProjectOut


def shape_project(user: User, project: Project) -> ProjectOut:
    """Clients get the project without its budget and sold days, as on the project page."""
    return (ProjectWithCostsOut if can_see_costs(user) else ProjectOut).from_orm(project)


@router.get("/me", response=responses(200, MeOut), tags=["compte"])
def me(request: HttpRequest) -> dict[str, Any]:
    """Who the token (or session) acts as, and what their role lets them see."""
    user = user_of(request)
    return {
        "id": user.pk, "username": user.username, "full_name": user.get_full_name() or user.username,
        "role": user.role, "organisation_id": user.organisation_id, "client_id": user.client_id,
        "can_see_costs": can_see_costs(user),
    }


@router.get("/projects", response=responses(200, Page[ProjectView]))
def project_list(request: HttpRequest, filters: Query[ProjectFilters], page: Query[PageQuery]) -> dict[str, Any]:
    """The projects you may open, most urgent first, filtered by status, type, client or text."""
    user = user_of(request)
    return paginate(filtered_projects(user, filters), page, lambda p: shape_project(user, p))


@router.get("/projects/{project_id}", response=responses(200, ProjectView))
def project_detail(request: HttpRequest, project_id: Id) -> ProjectOut:
    return shape_project(user_of(request), project_for(request, project_id))


def _manager_choices(user: User) -> QuerySet[User]:
    return User.objects.filter(organisation_id=user.organisation_id, role__in=[Role.ADMIN, Role.MANAGER],
                               is_active=True)


@router.post("/projects", response=responses(201, ProjectView, WRITE_ERRORS))
def project_create_view(request: HttpRequest, payload: ProjectCreate) -> Status[ProjectOut]:
    """Create a project (admins and managers) with its spec and, by default, the starting
    breakdown of its type. A manager creating a project manages it."""
    user = require_project_creation(request)
    data = payload.dict()
    with_template = data.pop("with_template")
    client = resolve_id(user.organisation.clients.all(), data.pop("client_id"), "client", "Client")
    manager_id = data.pop("manager_id")
    if manager_id is None and role_of(user) == Role.MANAGER:
        manager_id = user.pk
    manager = resolve_id(_manager_choices(user), manager_id, "manager", "Chef de projet")
    project = project_create(organisation=user.organisation, client=client, manager=manager,  # type: ignore[arg-type]
                             with_template=with_template, **data)
    return Status(201, shape_project(user, project))


@router.patch("/projects/{project_id}", response=responses(200, ProjectView, WRITE_ERRORS))
def project_update_view(request: HttpRequest, project_id: Id, payload: ProjectUpdate) -> ProjectOut:
    """Change the fields sent. `version` must be the one you read: if someone saved the project
    since, nothing is changed and the answer is 409."""
    user = user_of(request)
    project = project_for(request, project_id, write=True)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    resolved = {
        "client": resolve_id(user.organisation.clients.all(), data.get("client_id"), "client", "Client"),
        "manager": resolve_id(_manager_choices(user), data.get("manager_id"), "manager", "Chef de projet"),
    }
    project = project_update(project=project, version=version, changes=rename_ids(data, resolved))
    return shape_project(user, project)
