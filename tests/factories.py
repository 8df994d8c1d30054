"""Small factory functions for tests: each builds one saved, valid object with sensible
defaults, and creates whatever parent it needs when none is given."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from jalon.accounts.models import Organisation, User
from jalon.people.models import Absence, Person, PersonSkill, Skill
from jalon.projects.models import (
    Assignment,
    Client,
    Dependency,
    Phase,
    Project,
    ProjectMember,
    Task,
    TaskSkill,
)

PASSWORD = "jalon-test-pass"
_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def make_org(name: str | None = None, **fields: Any) -> Organisation:
    return Organisation.objects.create(name=name or f"Agence {_n()}", **fields)


def make_client(org: Organisation | None = None, name: str | None = None, **fields: Any) -> Client:
    return Client.objects.create(organisation=org or make_org(), name=name or f"Client {_n()}", **fields)


def make_user(
    role: str = User.Role.MEMBER,
    org: Organisation | None = None,
    client: Client | None = None,
    username: str | None = None,
    password: str = PASSWORD,
    **fields: Any,
) -> User:
    """A login of the given role. A client user gets a client of the organisation if none is given."""
    if client is not None and org is None:
        org = client.organisation
    org = org or make_org()
    if role == User.Role.CLIENT and client is None:
        client = make_client(org)
    user = User(
        username=username or f"{role}{_n()}",
        organisation=org,
        role=role,
        client=client,
        is_staff=fields.pop("is_staff", role == User.Role.ADMIN),
        **fields,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def make_project(
    org: Organisation | None = None,
    client: Client | None = None,
    manager: User | None = None,
    name: str | None = None,
    start_date: dt.date | None = None,
    **fields: Any,
) -> Project:
    org = org or (client.organisation if client else manager.organisation if manager else make_org())
    n = _n()
    return Project.objects.create(
        organisation=org,
        client=client,
        manager=manager,
        name=name or f"Projet {n}",
        code=fields.pop("code", f"P{n}"),
        start_date=start_date or dt.date(2030, 1, 7),  # a Monday
        **fields,
    )


def make_person(
    org: Organisation | None = None,
    first_name: str | None = None,
    user: User | None = None,
    skills: dict[Skill | str, int] | None = None,
    **fields: Any,
) -> Person:
    """A collaborator; `skills` maps a Skill (or a skill name, created if missing) to a level."""
    org = org or (user.organisation if user else make_org())
    person = Person.objects.create(
        organisation=org,
        user=user,
        first_name=first_name or f"Personne {_n()}",
        last_name=fields.pop("last_name", "Test"),
        daily_rate=fields.pop("daily_rate", Decimal("500")),
        **fields,
    )
    for skill, level in (skills or {}).items():
        PersonSkill.objects.create(person=person, skill=make_skill(org, skill), level=level)
    return person


def make_skill(org: Organisation, skill: Skill | str, category: str = "") -> Skill:
    if isinstance(skill, Skill):
        return skill
    return Skill.objects.get_or_create(organisation=org, name=skill, defaults={"category": category})[0]


def make_phase(project: Project, name: str | None = None, **fields: Any) -> Phase:
    return Phase.objects.create(project=project, name=name or f"Phase {_n()}", **fields)


def make_task(
    project: Project | None = None,
    name: str | None = None,
    effort_days: Decimal | int | str = 1,
    skills: dict[Skill | str, int] | None = None,
    **fields: Any,
) -> Task:
    """A task; `skills` maps a Skill (or name) to the minimum level, one person each."""
    project = project or make_project()
    task = Task.objects.create(
        project=project, name=name or f"Tâche {_n()}", effort_days=Decimal(str(effort_days)), **fields
    )
    for skill, level in (skills or {}).items():
        TaskSkill.objects.create(task=task, skill=make_skill(project.organisation, skill), min_level=level)
    return task


def make_dependency(
    predecessor: Task, successor: Task, type: str = Dependency.Type.FS, lag_days: int = 0
) -> Dependency:
    """A validated dependency: raises ValidationError on a cycle, like the forms do."""
    dependency = Dependency(predecessor=predecessor, successor=successor, type=type, lag_days=lag_days)
    dependency.full_clean()
    dependency.save()
    return dependency


def make_member(project: Project, person: Person) -> ProjectMember:
    return ProjectMember.objects.create(project=project, person=person)


def make_assignment(task: Task, person: Person, pinned: bool = False) -> Assignment:
    return Assignment.objects.create(task=task, person=person, pinned=pinned)


def make_absence(person: Person, start: dt.date, end: dt.date | None = None, **fields: Any) -> Absence:
    return Absence.objects.create(person=person, start=start, end=end or start, **fields)
