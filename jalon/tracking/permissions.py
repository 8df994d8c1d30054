"""Who may do what in tracking. Built on the project rules (projects/permissions.py):

timesheet — every agency person logs their own time; admins and managers may open and fill the
    timesheet of any person of their organisation (a manager catching up for the team);
    a member never sees anyone else's; clients have none;
week locks, portfolio report — admins and managers;
time spent, budget, earned value, re-planning page, risks — the agency's people who see the
    project (members see days and costs, like the project page; clients never);
re-plan, risks and quotes edits, status report writing and publishing — whoever may edit the
    project (its manager, the admins);
quotes — admins and managers who see the project (commercial documents);
status reports — the agency's people who see the project read them all; a client reads only
    the published reports of their projects, without any money figure.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from jalon.people.models import Person
from jalon.planning.permissions import get_project_for_planning, is_agency_staff
from jalon.projects.models import Project
from jalon.projects.permissions import AnyUser, Role, can_edit_project, can_see_costs, get_project_for_user, role_of
from jalon.tracking.models import StatusReport
from jalon.tracking.selectors import person_of

__all__ = ["can_edit_project", "can_see_costs", "get_project_for_planning", "get_project_for_user", "is_agency_staff"]


def is_lead(user: AnyUser) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER)


def timesheet_person(request: HttpRequest, person_pk: int | None) -> Person:
    """The person whose timesheet is shown: one's own by default; another only for leads of the
    same organisation (404 otherwise: their existence is not revealed)."""
    if not is_agency_staff(request.user):
        raise PermissionDenied
    own = person_of(request.user)
    if person_pk is None or (own is not None and own.pk == person_pk):
        if own is None:
            raise Http404("no collaborator record for this login")
        return own
    if not is_lead(request.user):
        raise Http404
    person = Person.objects.filter(pk=person_pk, organisation_id=request.user.organisation_id).first()
    if person is None:
        raise Http404
    return person


def require_lead(request: HttpRequest) -> None:
    if not is_lead(request.user):
        raise PermissionDenied


def get_project_for_quotes(request: HttpRequest, pk: int, *, write: bool = False) -> Project:
    project = get_project_for_user(request, pk, write=write)
    if not is_lead(request.user):
        raise PermissionDenied
    return project


def report_visible(user: AnyUser, report: StatusReport) -> bool:
    return is_agency_staff(user) or report.is_published
