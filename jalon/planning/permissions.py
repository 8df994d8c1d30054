"""Who may see and change plans. Built on the project rules (projects/permissions.py):

plan actions (Planifier, Optimiser, pins, baselines) — whoever may edit the project: the
    organisation's admins and the project's own manager;
planning page (reasons, costs, variance) — the agency's people who see the project, never a client;
Gantt, exports and milestones calendar — everyone who sees the project, clients included
    (no costs are drawn on them);
workload — the agency's people (admin, manager, member); it spans all the organisation's projects.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jalon.projects.models import Project
from jalon.projects.permissions import AnyUser, Role, can_edit_project, get_project_for_user, role_of

STAFF_ROLES = (Role.ADMIN, Role.MANAGER, Role.MEMBER)


def can_plan(user: AnyUser, project: Project) -> bool:
    return can_edit_project(user, project)


def is_agency_staff(user: AnyUser) -> bool:
    return role_of(user) in STAFF_ROLES


def get_project_for_planning(request: HttpRequest, pk: int, *, write: bool = False) -> Project:
    """Like `get_project_for_user` (404 when invisible), and 403 for clients, or for anyone
    without edit rights when `write`."""
    project = get_project_for_user(request, pk, write=write)
    if not is_agency_staff(request.user):
        raise PermissionDenied
    return project
