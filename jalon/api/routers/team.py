"""The team (people and skills) and the clients.

People and skills are the agency's: admins, managers and members read them, clients get a 403.
Daily rates and costs are for admins and managers only, as on the team pages. Clients: the
agency's people see all of the organisation's; a client user sees only their own."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router

from jalon.api.pagination import Page, PageQuery, paginate
from jalon.api.permissions import get_visible, require_team, user_of
from jalon.api.routers.common import READ_ERRORS, responses
from jalon.api.schemas import (
    ClientOut,
    Error,
    Id,
    PeopleFilters,
    PersonOut,
    PersonWithRatesOut,
    SkillOut,
)
from jalon.api.selectors import clients_visible_to, people_of
from jalon.people.models import Person, Skill
from jalon.people.permissions import can_see_rates
from jalon.projects.models import Client

router = Router(tags=["équipe et clients"])

PersonView = PersonWithRatesOut | PersonOut
TEAM_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: Error}


def person_out(person: Person, *, with_rates: bool) -> PersonOut:
    data: dict[str, Any] = {
        name: getattr(person, name)
        for name in ("id", "first_name", "last_name", "full_name", "job_title", "email", "capacity", "active")
    }
    data["skills"] = [{"skill_id": h.skill_id, "name": h.skill.name, "level": h.level} for h in person.skills.all()]
    if with_rates:
        return PersonWithRatesOut(**data, daily_rate=person.daily_rate, daily_cost=person.daily_cost)
    return PersonOut(**data)


@router.get("/people", response=responses(200, Page[PersonView], TEAM_ERRORS))
def person_list(request: HttpRequest, filters: Query[PeopleFilters], page: Query[PageQuery]) -> dict[str, Any]:
    """The organisation's people with their skills; rates only for admins and managers."""
    user = require_team(request)
    people = people_of(user)
    if filters.skill is not None:
        people = people.filter(skills__skill_id=filters.skill)
    if filters.active is not None:
        people = people.filter(active=filters.active)
    if filters.q:
        people = people.filter(Q(first_name__icontains=filters.q) | Q(last_name__icontains=filters.q)
                               | Q(job_title__icontains=filters.q))
    with_rates = can_see_rates(user)
    ordered = people.distinct().order_by("first_name", "last_name", "pk")
    return paginate(ordered, page, lambda p: person_out(p, with_rates=with_rates))  # type: ignore[arg-type]


@router.get("/people/{person_id}", response=responses(200, PersonView, TEAM_ERRORS))
def person_detail(request: HttpRequest, person_id: Id) -> PersonOut:
    user = require_team(request)
    return person_out(get_visible(people_of(user), person_id), with_rates=can_see_rates(user))


@router.get("/skills", response=responses(200, Page[SkillOut], TEAM_ERRORS))
def skill_list(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    user = require_team(request)
    return paginate(Skill.objects.filter(organisation_id=user.organisation_id).order_by("category", "name", "pk"), page)


@router.get("/clients", response=responses(200, Page[ClientOut]))
def client_list(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    return paginate(clients_visible_to(user_of(request)).order_by("name", "pk"), page)


@router.get("/clients/{client_id}", response=responses(200, ClientOut))
def client_detail(request: HttpRequest, client_id: Id) -> Client:
    return get_visible(clients_visible_to(user_of(request)), client_id)
