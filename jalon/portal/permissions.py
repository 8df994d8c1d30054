"""Who may use the client portal, the change-request inbox and the history page.

client portal (/client/…)  — client users, on the projects of their own client only
change-request inbox       — the agency's people who see the project (admin, PM, member) read it;
                             the project's manager and the organisation's admins triage
client exchanges, history  — the project's manager and the organisation's admins
A project the user may not see answers 404 (its existence is not revealed); a project they see
through another door (staff on the portal, a client on the agency's pages) answers 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jalon.projects.models import Project
from jalon.projects.permissions import AnyUser, Role, can_edit_project, get_project_for_user, role_of

STAFF_ROLES = (Role.ADMIN, Role.MANAGER, Role.MEMBER)


def is_client_of(user: AnyUser, project: Project) -> bool:
    """A client user of the project's own client (never of an internal project)."""
    return (
        role_of(user) == Role.CLIENT
        and user.organisation_id == project.organisation_id
        and project.client_id is not None
        and user.client_id == project.client_id
    )


def is_portal_user(user: AnyUser) -> bool:
    return role_of(user) == Role.CLIENT and user.client_id is not None


def can_triage(user: AnyUser, project: Project) -> bool:
    return can_edit_project(user, project)


def can_read_change_requests(user: AnyUser, project: Project) -> bool:
    """Staff who see the project; the client reads their own requests in the portal."""
    return role_of(user) in STAFF_ROLES


def get_portal_project(request: HttpRequest, pk: int) -> Project:
    """The project a portal view works on: 404 when not visible, 403 for staff (their pages
    are elsewhere)."""
    project = get_project_for_user(request, pk)
    if not is_client_of(request.user, project):
        raise PermissionDenied
    return project


def get_inbox_project(request: HttpRequest, pk: int, *, triage: bool = False) -> Project:
    """The project of a change-request page on the agency's side."""
    project = get_project_for_user(request, pk, write=triage)
    if not can_read_change_requests(request.user, project):
        raise PermissionDenied
    return project


def get_managed_project(request: HttpRequest, pk: int) -> Project:
    """The project of a page for its manager only (client exchanges, history)."""
    return get_project_for_user(request, pk, write=True)
