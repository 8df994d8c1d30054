"""Read queries for projects: what a user may see, and the rows the pages show."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Count,
    DateField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from jalon.people.models import Person
from jalon.projects.models import Assignment, Phase, Project, ProjectMember, Task
from jalon.projects.permissions import AnyUser, Role, role_of
from jalon.specs.models import SpecVersion


def projects_visible_to(user: AnyUser) -> QuerySet[Project]:
    """Every project this user may open; empty for anonymous visitors. See permissions.py."""
    role = role_of(user)
    if role is None:
        return Project.objects.none()
    in_org = Project.objects.filter(organisation_id=user.organisation_id)
    if role == Role.ADMIN:
        return in_org
    if role == Role.CLIENT:
        return in_org.filter(client_id=user.client_id) if user.client_id else Project.objects.none()
    # Subqueries rather than joins: a person on several tasks must not repeat the project.
    member_of = ProjectMember.objects.filter(person__user=user).values("project_id")
    if role == Role.MANAGER:
        return in_org.filter(Q(manager=user) | Q(pk__in=member_of))
    assigned_on = Assignment.objects.filter(person__user=user).values("task__project_id")
    return in_org.filter(Q(pk__in=member_of) | Q(pk__in=assigned_on))


def _milestone_date() -> Coalesce:
    # A milestone's date is where the planner put it, else the deadline the manager typed.
    return Coalesce(F("finish"), F("deadline"), output_field=DateField())


def portfolio_projects(user: AnyUser, *, today: dt.date | None = None) -> QuerySet[Project]:
    """The portfolio rows: visible projects with client, manager, task count and the next
    milestone, in a fixed number of queries whatever the number of projects."""
    today = today or timezone.localdate()
    upcoming = (
        Task.objects.filter(project=OuterRef("pk"), is_milestone=True)
        .annotate(milestone_date=_milestone_date())
        .filter(milestone_date__gte=today)
        .order_by("milestone_date", "order", "pk")
    )
    return (
        projects_visible_to(user)
        .select_related("client", "manager")
        .annotate(
            task_count=Count("tasks", filter=Q(tasks__is_milestone=False), distinct=True),
            next_milestone_name=Subquery(upcoming.values("name")[:1]),
            next_milestone_date=Subquery(upcoming.values("milestone_date")[:1]),
        )
    )


def project_page_data(project: Project) -> dict[str, object]:
    """What the project page shows: phases with their tasks, tasks without a phase, the team
    and the spec versions, each list loaded in one query."""
    tasks = Task.objects.filter(project=project).select_related("phase").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("person"))
    ).order_by("order", "pk")
    phases = Phase.objects.filter(project=project).order_by("order", "pk")
    by_phase: dict[int | None, list[Task]] = {}
    for task in tasks:
        by_phase.setdefault(task.phase_id, []).append(task)
    team = Person.objects.filter(memberships__project=project).order_by("first_name", "last_name")
    versions = SpecVersion.objects.filter(spec__project=project).order_by("-number")
    return {
        "phases": [(phase, by_phase.get(phase.pk, [])) for phase in phases],
        "unphased_tasks": by_phase.get(None, []),
        "task_count": sum(1 for t in tasks if not t.is_milestone),
        "milestones": [t for t in tasks if t.is_milestone],
        "team": list(team),
        "spec_versions": list(versions),
    }

