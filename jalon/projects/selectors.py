"""Read queries for projects: what a user may see, and the rows the pages show."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

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
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jalon.accounts.models import Organisation
from jalon.engine.calendar import WorkCalendar
from jalon.people.models import Absence, Person
from jalon.planning.mapping import organisation_calendar
from jalon.projects.models import Assignment, Phase, Project, ProjectMember, Task
from jalon.projects.permissions import AnyUser, Role, role_of
from jalon.projects.templates_data import template_for
from jalon.specs.models import SpecVersion
from jalon.specs.selectors import readable_spec_versions

# The portfolio's load looks this far ahead: far enough to see a crunch coming, near enough
# for the plan to still be trusted.
LOAD_WINDOW_DAYS = 28
CLOSED_STATUSES = (Project.Status.DONE, Project.Status.CANCELLED)


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


def late_tasks_filter(today: dt.date) -> Q:
    """A task of an open project is late when it is not done (progress below 100 %) and its
    planned finish falls after its own deadline, after the project's, or already in the past."""
    not_done = Q(tasks__progress__isnull=True) | Q(tasks__progress__lt=100)
    overdue = (
        Q(tasks__finish__gt=F("tasks__deadline"))
        | Q(tasks__finish__gt=F("deadline"))
        | Q(tasks__finish__lt=today)
    )
    return Q(tasks__finish__isnull=False) & not_done & overdue & ~Q(status__in=CLOSED_STATUSES)


def portfolio_projects(user: AnyUser, *, today: dt.date | None = None) -> QuerySet[Project]:
    """The portfolio rows: visible projects with client, manager, task count, late tasks and
    the next milestone, in a fixed number of queries whatever the number of projects."""
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
            late_task_count=Count("tasks", filter=late_tasks_filter(today), distinct=True),
            next_milestone_name=Subquery(upcoming.values("name")[:1]),
            next_milestone_date=Subquery(upcoming.values("milestone_date")[:1]),
        )
    )


@dataclass(frozen=True)
class ProjectLoad:
    """Planned effort of the coming weeks against what the project's people can give then."""

    planned_days: Decimal
    capacity_days: Decimal
    people: int

    @property
    def percent(self) -> int | None:
        """None when nobody is staffed: a load without capacity means nothing."""
        if not self.capacity_days:
            return None
        return round(100 * self.planned_days / self.capacity_days)

    @property
    def over(self) -> bool:
        return self.percent is not None and self.percent > 100


@dataclass(frozen=True)
class PortfolioRow:
    project: Project
    load: ProjectLoad


def portfolio_rows(user: AnyUser, *, today: dt.date | None = None) -> list[PortfolioRow]:
    """The portfolio with each project's load over the next four weeks. Five queries more than
    `portfolio_projects`, whatever the number of projects, tasks and people."""
    today = today or timezone.localdate()
    projects = list(portfolio_projects(user, today=today))
    if not projects:
        return []
    loads = project_loads(user.organisation, [p.pk for p in projects], start=today)
    return [PortfolioRow(p, loads[p.pk]) for p in projects]


def project_loads(organisation: Organisation, project_ids: list[int], *, start: dt.date) -> dict[int, ProjectLoad]:
    """Per project, the effort its planned tasks put in [start, start + 4 weeks) — each task's
    effort spread evenly over its working days — against the capacity of its people (members
    and assignees) over the same working days, less their absences."""
    end = start + dt.timedelta(days=LOAD_WINDOW_DAYS - 1)
    calendar = organisation_calendar(organisation, start)
    window = _working_days(calendar, start, end)
    planned: dict[int, Decimal] = defaultdict(Decimal)
    tasks = Task.objects.filter(project_id__in=project_ids, is_milestone=False, start__lte=end, finish__gte=start)
    for project_id, first, last, effort in tasks.values_list("project_id", "start", "finish", "effort_days"):
        days = _working_days(calendar, first, last)
        if days and effort:
            planned[project_id] += Decimal(effort) * len(_overlap(days, window)) / len(days)
    people, capacities = _project_people(project_ids)
    capacity = _capacity_days(calendar, window, capacities, start, end)
    return {
        pk: ProjectLoad(
            planned_days=planned[pk].quantize(Decimal("0.1")),
            capacity_days=sum((capacity[person] for person in people[pk]), Decimal("0")),
            people=len(people[pk]),
        )
        for pk in project_ids
    }


def _working_days(calendar: WorkCalendar, first: dt.date, last: dt.date) -> range:
    """Indices of the working days of [first, last]."""
    return range(calendar.index_of(first), calendar.index_of(last + dt.timedelta(days=1)))


def _overlap(a: range, b: range) -> range:
    return range(max(a.start, b.start), min(a.stop, b.stop))


def _project_people(project_ids: list[int]) -> tuple[dict[int, set[int]], dict[int, Decimal]]:
    """Active people per project (members and assignees), and each one's capacity (1 = full time)."""
    people: dict[int, set[int]] = defaultdict(set)
    capacities: dict[int, Decimal] = {}
    members = ProjectMember.objects.filter(project_id__in=project_ids, person__active=True).values_list(
        "project_id", "person_id", "person__capacity"
    )
    assignees = Assignment.objects.filter(task__project_id__in=project_ids, person__active=True).values_list(
        "task__project_id", "person_id", "person__capacity"
    )
    for project_id, person_id, capacity in [*members, *assignees]:
        people[project_id].add(person_id)
        capacities[person_id] = Decimal(capacity)
    return people, capacities


def _capacity_days(
    calendar: WorkCalendar, window: range, capacities: dict[int, Decimal], start: dt.date, end: dt.date
) -> dict[int, Decimal]:
    """Person-days each person can give over the window: capacity × working days not absent
    (a half day off counts half)."""
    off: dict[int, Decimal] = defaultdict(Decimal)
    absences = Absence.objects.filter(person_id__in=list(capacities), start__lte=end, end__gte=start)
    for person_id, first, last, afternoon, morning in absences.values_list(
        "person_id", "start", "end", "start_afternoon", "end_morning"
    ):
        off[person_id] += len(_overlap(_working_days(calendar, first, last), window))
        if afternoon and first >= start and calendar.is_working(first):
            off[person_id] -= Decimal("0.5")
        if morning and last <= end and calendar.is_working(last):
            off[person_id] -= Decimal("0.5")
    return {pk: capacity * (len(window) - off[pk]) for pk, capacity in capacities.items()}


def project_page_data(project: Project, reader: AnyUser) -> dict[str, object]:
    """What the project page shows: phases with their tasks, tasks without a phase, the team
    and the spec versions the reader may read (a client: no draft), each list in one query."""
    tasks = Task.objects.filter(project=project).select_related("phase").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("person"))
    ).order_by("order", "pk")
    phases = Phase.objects.filter(project=project).order_by("order", "pk")
    by_phase: dict[int | None, list[Task]] = {}
    for task in tasks:
        by_phase.setdefault(task.phase_id, []).append(task)
    team = Person.objects.filter(memberships__project=project).order_by("first_name", "last_name")
    versions = readable_spec_versions(reader, SpecVersion.objects.filter(spec__project=project).order_by("-number"))
    return {
        "phases": [(phase, by_phase.get(phase.pk, [])) for phase in phases],
        "unphased_tasks": by_phase.get(None, []),
        "task_count": sum(1 for t in tasks if not t.is_milestone),
        "milestones": [t for t in tasks if t.is_milestone],
        "team": list(team),
        "spec_versions": list(versions),
    }



@dataclass(frozen=True)
class ProjectTypeOption:
    value: str
    label: str
    summary: str  # what the type's template brings, in one line


def project_type_options() -> list[ProjectTypeOption]:
    """The project types offered at creation, each with what its starting template brings."""
    return [
        ProjectTypeOption(value, str(label), template_summary(value)) for value, label in Project.Type.choices
    ]


def template_summary(project_type: str) -> str:
    """One line such as: Cadrage → Design UI → … · 14 tâches, 4 jalons, 25,5 j/h · cahier des charges en 11 sections."""
    template = template_for(project_type)
    tasks = [t for t in template.tasks if not t.milestone]
    milestones = len(template.tasks) - len(tasks)
    effort = sum((t.effort_days for t in tasks), Decimal("0"))
    counts = ", ".join([
        ngettext("%(n)d tâche", "%(n)d tâches", len(tasks)) % {"n": len(tasks)},
        ngettext("%(n)d jalon", "%(n)d jalons", milestones) % {"n": milestones},
        _("%(effort)s j/h") % {"effort": number_format(effort.normalize(), use_l10n=True)},
    ])
    sections = ngettext(
        "cahier des charges en %(n)d section", "cahier des charges en %(n)d sections", len(template.spec_sections)
    ) % {"n": len(template.spec_sections)}
    phases = " → ".join(phase.name for phase in template.phases)
    return f"{phases} · {counts} · {sections}"
