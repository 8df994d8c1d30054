"""Read queries of the API: what a user sees of projects, people and clients, filtered."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from jalon.accounts.models import User
from jalon.api.schemas import ProjectFilters
from jalon.people.models import Person, PersonSkill
from jalon.projects.models import Client, Project
from jalon.projects.permissions import Role, role_of
from jalon.projects.selectors import projects_visible_to


def filtered_projects(user: User, filters: ProjectFilters) -> QuerySet[Project]:
    """The projects the user may open, filtered, most urgent first, in a stable order for paging."""
    projects = projects_visible_to(user)
    if filters.status:
        projects = projects.filter(status=filters.status)
    if filters.type:
        projects = projects.filter(project_type=filters.type)
    if filters.client:
        projects = projects.filter(client_id=filters.client)
    if filters.q:
        projects = projects.filter(Q(name__icontains=filters.q) | Q(code__icontains=filters.q))
    return projects.order_by("-priority", "start_date", "name", "pk")


def people_of(user: User) -> QuerySet[Person]:
    held = PersonSkill.objects.select_related("skill").order_by("skill__name")
    return Person.objects.filter(organisation_id=user.organisation_id).prefetch_related(Prefetch("skills", queryset=held))


def clients_visible_to(user: User) -> QuerySet[Client]:
    """Staff see the organisation's clients; a client user only their own."""
    role = role_of(user)
    if role is None:
        return Client.objects.none()
    clients = Client.objects.filter(organisation_id=user.organisation_id)
    return clients.filter(pk=user.client_id) if role == Role.CLIENT else clients
