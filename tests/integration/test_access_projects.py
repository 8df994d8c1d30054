"""The access rules themselves (jalon/projects/permissions.py and selectors.py), role by role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from jalon.accounts.models import User
from jalon.projects.permissions import can_create_project, can_edit_project, can_see_costs, can_view_project
from jalon.projects.selectors import projects_visible_to
from tests.factories import make_assignment, make_member, make_person, make_project, make_task, make_user

pytestmark = pytest.mark.django_db


def names(user) -> list[str]:
    return sorted(projects_visible_to(user).values_list("name", flat=True))


def test_an_admin_sees_every_project_of_the_organisation_and_only_those(world):
    assert names(world.user("admin")) == ["Boutique cave", "Refonte boulangerie"]


def test_a_manager_sees_the_projects_they_manage(world):
    assert names(world.user("pm")) == ["Refonte boulangerie"]


def test_a_manager_also_sees_a_project_they_are_a_member_of(world):
    make_member(world.project_b, make_person(world.project_b.organisation, user=world.user("pm")))
    assert names(world.user("pm")) == ["Boutique cave", "Refonte boulangerie"]
    assert not can_edit_project(world.user("pm"), world.project_b)


def test_a_member_sees_the_projects_they_are_staffed_on(world):
    assert names(world.user("member")) == ["Refonte boulangerie"]


def test_a_member_sees_a_project_where_they_are_only_assigned_to_a_task(world):
    person = world.user("member").person
    make_assignment(make_task(world.project_b, "Fiches produits"), person)
    assert names(world.user("member")) == ["Boutique cave", "Refonte boulangerie"]


def test_a_member_on_several_tasks_sees_the_project_once(world):
    person = world.user("member").person
    for n in range(3):
        make_assignment(make_task(world.project_a, f"Tâche {n}"), person)
    assert names(world.user("member")) == ["Refonte boulangerie"]


def test_a_member_without_a_collaborator_record_sees_nothing(world):
    loner = make_user(User.Role.MEMBER, world.project_a.organisation)
    assert names(loner) == []


def test_a_client_sees_only_their_client_projects(world):
    assert names(world.user("client_a")) == ["Refonte boulangerie"]
    assert names(world.user("client_b")) == ["Boutique cave"]


def test_an_outsider_sees_only_their_own_organisation(world):
    assert names(world.user("outsider")) == ["Projet rival"]
    assert not can_view_project(world.user("outsider"), world.project_a)


def test_an_anonymous_visitor_sees_nothing(world):
    assert names(AnonymousUser()) == []
    assert not can_view_project(AnonymousUser(), world.project_a)
    assert not can_edit_project(AnonymousUser(), world.project_a)


def test_a_project_of_another_client_stays_hidden_even_when_the_manager_is_the_same(world):
    other = make_project(world.project_a.organisation, manager=world.user("pm"), name="Interne")
    assert can_view_project(world.user("pm"), other)
    assert not can_view_project(world.user("client_a"), other)


@pytest.mark.parametrize(("role", "expected"), [
    ("admin", True), ("pm", True), ("member", False), ("client_a", False), ("client_b", False), ("outsider", False),
])
def test_who_may_edit_project_a(world, role, expected):
    assert can_edit_project(world.user(role), world.project_a) is expected


@pytest.mark.parametrize(("role", "create", "costs"), [
    ("admin", True, True), ("pm", True, True), ("member", False, True),
    ("client_a", False, False), ("outsider", True, True),
])
def test_who_may_create_projects_and_see_costs(world, role, create, costs):
    assert can_create_project(world.user(role)) is create
    assert can_see_costs(world.user(role)) is costs
