"""The team (people, their absences, skills) and the clients.

People, absences and skills are the agency's: admins, managers and members read them, clients
get a 403; admins and managers record absences, which the planner then works around.
Daily rates and costs are for admins and managers only, as on the team pages. Clients: the
agency's people see all of the organisation's; a client user sees only their own."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from jalon.api.pagination import Page, PageQuery, paginate
from jalon.api.permissions import get_visible, require_team, user_of
from jalon.api.routers.common import READ_ERRORS, WRITE_ERRORS, responses
from jalon.api.schemas import (
    AbsenceCreate,
    AbsenceOut,
    AbsenceUpdate,
    ClientOut,
    Error,
    Id,
    PeopleFilters,
    PersonOut,
    PersonWithRatesOut,
    SkillOut,
)
from jalon.api.selectors import clients_visible_to, people_of
from jalon.people import services as people_services
from jalon.people.models import Absence, Person, Skill
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


# --- absences ----------------------------------------------------------------------------------


def _absences_of(request: HttpRequest, *, write: bool = False) -> QuerySet[Absence]:
    user = require_team(request, write=write)
    return Absence.objects.filter(person__organisation_id=user.organisation_id).select_related("person")


@router.get("/people/{person_id}/absences", response=responses(200, Page[AbsenceOut], TEAM_ERRORS))
def absence_list(request: HttpRequest, person_id: Id, page: Query[PageQuery]) -> dict[str, Any]:
    """A person's absences, oldest first."""
    person = get_visible(people_of(require_team(request)), person_id)
    return paginate(person.absences.order_by("start", "pk"), page)


@router.post("/people/{person_id}/absences", response=responses(201, AbsenceOut, WRITE_ERRORS))
def absence_create(request: HttpRequest, person_id: Id, payload: AbsenceCreate) -> Status[Absence]:
    """Record an absence (leave, RTT, training…); the next planning works around it."""
    person = get_visible(people_of(require_team(request, write=True)), person_id)
    absence = Absence(person=person, **payload.dict())
    return Status(201, people_services.absence_save(absence=absence))


@router.get("/absences/{absence_id}", response=responses(200, AbsenceOut, TEAM_ERRORS))
def absence_detail(request: HttpRequest, absence_id: Id) -> Absence:
    return get_visible(_absences_of(request), absence_id)


@router.patch("/absences/{absence_id}", response=responses(200, AbsenceOut, WRITE_ERRORS))
def absence_update(request: HttpRequest, absence_id: Id, payload: AbsenceUpdate) -> Absence:
    """Change some fields of an absence; the dates are checked together (the end may not
    precede the start)."""
    absence = get_visible(_absences_of(request, write=True), absence_id)
    for name, value in payload.dict(exclude_unset=True).items():
        setattr(absence, name, value)  # a null is refused by the model's checks, naming the field
    return people_services.absence_save(absence=absence)


@router.delete("/absences/{absence_id}", response=responses(204, None, WRITE_ERRORS))
def absence_delete(request: HttpRequest, absence_id: Id) -> Status[None]:
    people_services.absence_delete(absence=get_visible(_absences_of(request, write=True), absence_id))
    return Status(204, None)


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
