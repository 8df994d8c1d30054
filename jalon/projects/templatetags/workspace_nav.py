"""`{% load workspace_nav %}`: what the top bar and a project's tab bar may offer this user.

The rules themselves stay in each app's permissions module; these tags only gather their
answers for the templates (`base.html`, `_project_tabs.html`). They read the user's role, their
collaborator record and the project's manager, all already loaded (the login backend joins the
record to the user), so they add no database query to any page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser

from jalon.people.permissions import can_view_team
from jalon.planning.permissions import is_agency_staff
from jalon.projects.models import Project
from jalon.projects.permissions import AnyUser, Role, can_edit_project, can_see_costs, role_of

register = template.Library()


@dataclass(frozen=True)
class MainNav:
    """Links of the top bar. A client only gets their portfolio and their portal."""

    team: bool
    meetings: bool
    workload: bool
    own_calendar: bool
    own_timesheet: bool
    portfolio_report: bool
    client_portal: bool


@dataclass(frozen=True)
class ProjectTabs:
    """Tabs of a project's workspace. `staff` pages (breakdown, planning, tracking, files) are
    the agency's; `edit` pages (history) belong to the project's manager and the admins."""

    staff: bool
    edit: bool
    costs: bool
    client: bool


def _has_person(user: AnyUser) -> bool:
    """Whether the login has a collaborator record: only those have a timesheet. A missing
    record raises RelatedObjectDoesNotExist, an AttributeError that getattr turns into None."""
    return getattr(user, "person", None) is not None


def _user(context: dict[str, Any]) -> AnyUser:
    # Pages rendered without the auth context processor (error pages) count as anonymous.
    return context.get("user") or AnonymousUser()


@register.simple_tag(takes_context=True)
def main_nav(context: dict[str, Any]) -> MainNav:
    user = _user(context)
    staff = is_agency_staff(user)
    return MainNav(
        team=can_view_team(user),
        meetings=staff,
        workload=staff,
        own_calendar=staff,
        own_timesheet=staff and _has_person(user),
        portfolio_report=role_of(user) in (Role.ADMIN, Role.MANAGER),
        client_portal=role_of(user) == Role.CLIENT,
    )


@register.simple_tag(takes_context=True)
def project_tabs(context: dict[str, Any], project: Project) -> ProjectTabs:
    user = _user(context)
    return ProjectTabs(
        staff=is_agency_staff(user),
        edit=can_edit_project(user, project),
        costs=can_see_costs(user),
        client=role_of(user) == Role.CLIENT,
    )
