"""Who may see and change the team (collaborators, skills, absences) of an organisation.

The team is organisation-wide: admins and managers edit it, members read it, clients never see
it. Daily rates and costs are shown to admins and managers only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jalon.projects.permissions import AnyUser, Role, role_of

STAFF = (Role.ADMIN, Role.MANAGER, Role.MEMBER)
EDITORS = (Role.ADMIN, Role.MANAGER)


def can_view_team(user: AnyUser) -> bool:
    return role_of(user) in STAFF


def can_edit_team(user: AnyUser) -> bool:
    return role_of(user) in EDITORS


def can_see_rates(user: AnyUser) -> bool:
    return role_of(user) in EDITORS


def require_team_access(request: HttpRequest, *, write: bool = False) -> None:
    """403 for clients (and members when `write`); anonymous visitors are sent to the login
    page by @login_required before this runs."""
    allowed = can_edit_team(request.user) if write else can_view_team(request.user)
    if not allowed:
        raise PermissionDenied
