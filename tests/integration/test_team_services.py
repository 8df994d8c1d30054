"""The team's services and reads: skill levels, the skills matrix, and who can do a task and when
(skills at the minimum level, absences, public holidays, planned assignments)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jalon.people import services
from jalon.people.models import PersonSkill
from jalon.people.selectors import skills_matrix, task_candidates
from tests.factories import make_absence, make_assignment, make_org, make_person, make_project, make_skill, make_task

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2030, 4, 29)  # the week of 1 May and 8 May 2030 (Wednesdays)


@pytest.fixture
def org():  # type: ignore[no-untyped-def]
    return make_org("Agence Durand")


def test_person_skill_set_adds_changes_and_removes_a_level(org):
    person = make_person(org, "Léa")
    skill = make_skill(org, "Design UI")
    services.person_skill_set(person=person, skill=skill, level=2)
    services.person_skill_set(person=person, skill=skill, level=4)
    assert PersonSkill.objects.get(person=person).level == 4
    services.person_skill_set(person=person, skill=skill, level=None)
    assert not PersonSkill.objects.filter(person=person).exists()


def test_a_level_out_of_range_is_refused(org):
    with pytest.raises(ValidationError, match="Le niveau va de 1 à 5"):
        services.person_skill_set(person=make_person(org), skill=make_skill(org, "SEO"), level=7)


def test_a_skill_of_another_organisation_is_refused(org):
    with pytest.raises(ValidationError, match="appartient à une autre organisation"):
        services.person_skill_set(person=make_person(org), skill=make_skill(make_org(), "SEO"), level=3)


def test_a_stale_person_edit_is_refused(org):
    person = make_person(org, "Léa")
    fields = ("first_name", "capacity")
    seen = services.row_fingerprint(person, fields)
    type(person).objects.filter(pk=person.pk).update(capacity=Decimal("0.8"))
    person.first_name = "Léane"
    with pytest.raises(ValidationError, match="Rechargez la page"):
        services.person_save(person=person, fields=fields, expected=seen)


def test_the_matrix_gives_each_person_a_level_per_skill(org):
    design, seo = make_skill(org, "Design UI", "Design"), make_skill(org, "SEO", "Marketing")
    lea = make_person(org, "Léa", skills={design: 4})
    make_person(org, "Zoé", skills={seo: 2, design: 1})
    make_person(org, "Inactive", active=False)
    skills, rows = skills_matrix(org)
    assert [s.name for s in skills] == ["Design UI", "SEO"]
    assert [(r.person.first_name, [level for _s, level in r.levels]) for r in rows] == [
        ("Léa", [4, None]), ("Zoé", [1, 2])]
    assert rows[0].person == lea


def test_candidates_hold_the_skill_at_the_minimum_level_and_free_days_skip_holidays_and_absences(org):
    project = make_project(org, start_date=MONDAY)
    task = make_task(project, "Maquettes", effort_days=2, skills={"Design UI": 3})
    lea = make_person(org, "Léa", skills={"Design UI": 4})
    make_person(org, "Zoé", skills={"Design UI": 2})  # level too low
    make_absence(lea, MONDAY)
    make_absence(lea, dt.date(2030, 5, 2))  # Monday and Thursday off; 1 May (Wednesday) is a public holiday

    (candidate,) = task_candidates(task, today=MONDAY)

    assert candidate.person == lea and candidate.covers_all
    assert [(need.skill.name, level) for need, level in candidate.covers] == [("Design UI", 4)]
    assert candidate.free_days[:4] == [dt.date(2030, 4, 30), dt.date(2030, 5, 3), dt.date(2030, 5, 6), dt.date(2030, 5, 7)]
    # Two free working days in a row: Friday 3 and Monday 6 May (Tuesday 30 April stands alone).
    assert candidate.available_from == dt.date(2030, 5, 3)


def test_planned_assignments_on_other_tasks_take_days(org):
    project = make_project(org, start_date=MONDAY)
    task = make_task(project, "Intégration", effort_days=1, skills={"Intégration HTML/CSS": 2})
    busy = make_task(project, "Autre projet", start=MONDAY, finish=dt.date(2030, 4, 30))
    tom = make_person(org, "Tom", skills={"Intégration HTML/CSS": 3})
    make_assignment(busy, tom)
    (candidate,) = task_candidates(task, today=MONDAY)
    assert candidate.available_from == dt.date(2030, 5, 2)  # after the busy Monday–Tuesday and the 1 May holiday


def test_part_time_people_need_more_days_in_a_row(org):
    project = make_project(org, start_date=MONDAY)
    task = make_task(project, "Rédaction", effort_days=4, skills={"Rédaction web": 2})
    make_person(org, "Ana", skills={"Rédaction web": 3}, capacity=Decimal("0.5"))
    (candidate,) = task_candidates(task, today=MONDAY)
    assert candidate.needed_days == 8


def test_people_covering_every_skill_come_first(org):
    project = make_project(org, start_date=MONDAY)
    task = make_task(project, "Boutique", effort_days=1, skills={"E-commerce": 2, "Développement back-end": 3})
    make_person(org, "Alex", skills={"E-commerce": 3})
    make_person(org, "Béa", skills={"E-commerce": 3, "Développement back-end": 4})
    candidates = task_candidates(task, today=MONDAY)
    assert [(c.person.first_name, c.covers_all) for c in candidates] == [("Béa", True), ("Alex", False)]


def test_a_task_without_skills_can_be_done_by_any_active_person(org):
    project = make_project(org, start_date=MONDAY)
    task = make_task(project, "Réunion de lancement", effort_days=Decimal("0.5"))
    make_person(org, "Léa")
    make_person(org, "Ancien", active=False)
    assert [c.person.first_name for c in task_candidates(task, today=MONDAY)] == ["Léa"]
