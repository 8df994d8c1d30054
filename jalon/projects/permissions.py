"""Who may see and change a project: the rules live here and nowhere else.

admin   — every project of their organisation, may edit them all
manager — projects they manage or are a member of; may edit the ones they manage; may create
member  — projects where their collaborator record is a member or is assigned to a task
client  — the projects of their client, read-only, without rates or costs
Anyone from another organisation, and anonymous visitors, see nothing.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from jalon.accounts.models import User
from jalon.projects.models import Project

Role = User.Role
AnyUser = User | AnonymousUser


def role_of(user: AnyUser) -> str | None:
    """The user's role, or None for anonymous visitors and logins without an organisation."""
    if not user.is_authenticated or user.organisation_id is None:
        return None
    return user.role


def can_view_project(user: AnyUser, project: Project) -> bool:
    from jalon.projects.selectors import projects_visible_to

    return projects_visible_to(user).filter(pk=project.pk).exists()


def can_edit_project(user: AnyUser, project: Project) -> bool:
    """Admins of the project's organisation and the project's own manager."""
    role = role_of(user)
    if role is None or user.organisation_id != project.organisation_id:
        return False
    return role == Role.ADMIN or (role == Role.MANAGER and project.manager_id == user.pk)


def can_create_project(user: AnyUser) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER)


def can_see_costs(user: AnyUser) -> bool:
    """Daily rates, costs and budgets are the agency's business, not the client's."""
    return role_of(user) in (Role.ADMIN, Role.MANAGER, Role.MEMBER)


def get_project_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Project:
    """The project a view works on. 404 when the user may not see it (its existence is not
    revealed), 403 when they may see it but `write` access is needed and they lack it."""
    from jalon.projects.selectors import projects_visible_to

    project = get_object_or_404(projects_visible_to(request.user).select_related("client", "manager"), pk=pk)
    if write and not can_edit_project(request.user, project):
        raise PermissionDenied
    return project
