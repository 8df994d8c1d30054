"""The pages' access rules (jalon.projects / people / planning permissions), applied to API
requests. Same answers as the pages: 404 when the user may not see a record (its existence is
not revealed), 403 when they see it but may not do this, 401 (ninja) when nobody is logged in."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja.errors import HttpError

from jalon.accounts.models import User
from jalon.people.permissions import can_edit_team, can_view_team
from jalon.planning.permissions import can_plan
from jalon.projects.models import Deliverable, Dependency, Phase, Project, Task
from jalon.projects.permissions import can_create_project, can_edit_project
from jalon.projects.selectors import projects_visible_to

NOT_FOUND = "Introuvable, ou vous n'y avez pas accès."
FORBIDDEN = "Votre rôle ne permet pas cette action."

M = TypeVar("M", bound=Model)


def user_of(request: HttpRequest) -> User:
    """The authenticated user (token or session): every operation requires authentication."""
    return request.auth  # type: ignore[attr-defined, no-any-return]


def not_found() -> HttpError:
    return HttpError(404, NOT_FOUND)


def forbidden() -> HttpError:
    return HttpError(403, FORBIDDEN)


def get_visible(queryset: QuerySet[M], pk: int) -> M:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise not_found()
    return found


def project_for(request: HttpRequest, pk: int, *, write: bool = False) -> Project:
    """The project, if visible; with `write`, only for whoever may edit it (403 otherwise)."""
    user = user_of(request)
    project = get_visible(projects_visible_to(user).select_related("client", "manager", "organisation"), pk)
    if write and not can_edit_project(user, project):
        raise forbidden()
    return project


def require_project_creation(request: HttpRequest) -> User:
    user = user_of(request)
    if not can_create_project(user):
        raise forbidden()
    return user


def require_plan(request: HttpRequest, project: Project) -> None:
    if not can_plan(user_of(request), project):
        raise forbidden()


def visible_tasks(request: HttpRequest) -> QuerySet[Task]:
    return Task.objects.filter(project__in=projects_visible_to(user_of(request)))


def task_for(request: HttpRequest, pk: int, *, write: bool = False) -> Task:
    task = get_visible(visible_tasks(request).select_related("project__organisation", "phase"), pk)
    if write and not can_edit_project(user_of(request), task.project):
        raise forbidden()
    return task


def _of_visible_project(
    request: HttpRequest, queryset: QuerySet[M], pk: int, *, write: bool, via: str = "project"
) -> M:
    """A record seen through its project (reached by the lookup `via`): 404 when the project is
    hidden from the user; with `write`, 403 unless they may edit that project."""
    user = user_of(request)
    visible = queryset.filter(**{f"{via}__in": projects_visible_to(user)}).select_related(via)
    record = get_visible(visible, pk)
    project: Any = record
    for step in via.split("__"):
        project = getattr(project, step)
    if write and not can_edit_project(user, project):
        raise forbidden()
    return record


def phase_for(request: HttpRequest, pk: int, *, write: bool = False) -> Phase:
    return _of_visible_project(request, Phase.objects.all(), pk, write=write)


def deliverable_for(request: HttpRequest, pk: int, *, write: bool = False) -> Deliverable:
    return _of_visible_project(request, Deliverable.objects.all(), pk, write=write)


def dependency_for(request: HttpRequest, pk: int, *, write: bool = False) -> Dependency:
    """A link is seen through its successor's project, the one whose editor owns it."""
    return _of_visible_project(request, Dependency.objects.all(), pk, write=write, via="successor__project")


def require_team(request: HttpRequest, *, write: bool = False) -> User:
    """The team (people, skills) is the agency's: clients get a 403, like on the pages."""
    user = user_of(request)
    if not (can_edit_team(user) if write else can_view_team(user)):
        raise forbidden()
    return user
