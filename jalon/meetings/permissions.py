"""Who may see and change a meeting: the rules live here and in `selectors.meetings_visible_to`.

view — admins of the organisation; the organiser; the participants; for a project meeting,
       the staff who see the project (its manager, its members), and the project's client
       users only when the meeting is flagged client-visible (never the internal ones)
edit — admins, the organiser, and the manager of the meeting's project
plan — admins and managers (a project meeting also needs edit rights on the project)
Anyone from another organisation, and anonymous visitors, see nothing.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from jalon.meetings.models import Meeting
from jalon.projects.models import Project
from jalon.projects.permissions import AnyUser, Role, can_edit_project, role_of


def can_plan_meetings(user: AnyUser) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER)


def can_plan_for_project(user: AnyUser, project: Project | None) -> bool:
    if not can_plan_meetings(user):
        return False
    return project is None or can_edit_project(user, project)


def can_edit_meeting(user: AnyUser, meeting: Meeting) -> bool:
    role = role_of(user)
    if role is None or role == Role.CLIENT or user.organisation_id != meeting.organisation_id:
        return False
    if role == Role.ADMIN or meeting.organiser_id == user.pk:
        return True
    return meeting.project_id is not None and meeting.project.manager_id == user.pk


def get_meeting_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Meeting:
    """The meeting a view works on: 404 when the user may not see it (its existence is not
    revealed), 403 when they may see it but `write` access is needed and they lack it."""
    from jalon.meetings.selectors import meetings_visible_to

    meeting = get_object_or_404(
        meetings_visible_to(request.user).select_related("project", "project__client", "organiser"), pk=pk
    )
    if write and not can_edit_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting
