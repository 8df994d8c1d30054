"""Skills, collaborators and absences: model validation and forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jalon.people.forms import AbsenceForm, PersonForm, PersonSkillForm, SkillForm
from jalon.people.models import Absence, Skill
from tests.factories import make_org, make_person, make_skill, make_user

pytestmark = pytest.mark.django_db


def test_a_skill_name_is_unique_in_its_organisation_only() -> None:
    org = make_org()
    make_skill(org, "SEO")
    form = SkillForm(data={"name": "SEO", "category": ""}, organisation=org)
    assert not form.is_valid()
    assert "existe déjà" in form.non_field_errors()[0]
    assert SkillForm(data={"name": "SEO", "category": ""}, organisation=make_org()).is_valid()


def test_a_skill_level_goes_from_1_to_5() -> None:
    person = make_person()
    skill = make_skill(person.organisation, "Design UI")
    form = PersonSkillForm(data={"person": person.pk, "skill": skill.pk, "level": 6}, organisation=person.organisation)
    assert form.errors["level"] == ["Le niveau va de 1 à 5."]
    form = PersonSkillForm(data={"person": person.pk, "skill": skill.pk, "level": 4}, organisation=person.organisation)
    assert form.is_valid(), form.errors
    form.save()
    again = PersonSkillForm(data={"person": person.pk, "skill": skill.pk, "level": 2}, organisation=person.organisation)
    assert "a déjà cette compétence" in again.non_field_errors()[0]


def test_a_person_cannot_hold_another_organisations_skill() -> None:
    person = make_person(skills={"SEO": 3})
    foreign = Skill.objects.create(organisation=make_org(), name="SEO")
    link = person.skills.get()
    link.skill = foreign
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "autre organisation" in error.value.message_dict["skill"][0]


def test_capacity_is_between_a_tenth_and_full_time() -> None:
    org = make_org()
    data = {"first_name": "Inès", "last_name": "B", "job_title": "UX designer", "email": "", "daily_rate": "550",
            "daily_cost": "300", "active": "on"}
    assert "temps plein" in PersonForm(data={**data, "capacity": "1.2"}, organisation=org).errors["capacity"][0]
    assert "temps plein" in PersonForm(data={**data, "capacity": "0"}, organisation=org).errors["capacity"][0]
    person = PersonForm(data={**data, "capacity": "0.8"}, organisation=org).save()
    assert person.capacity == Decimal("0.8") and person.full_name == "Inès B"


def test_a_daily_rate_cannot_be_negative() -> None:
    person = make_person(daily_rate=Decimal("-1"))
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert error.value.message_dict["daily_rate"] == ["Le TJM ne peut pas être négatif."]


def test_a_person_cannot_be_linked_to_another_organisations_login() -> None:
    person = make_person(user=make_user())
    person.user = make_user()
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "autre organisation" in error.value.message_dict["user"][0]


def test_an_absence_ending_before_it_starts_is_refused_by_model_and_form() -> None:
    person = make_person()
    absence = Absence(person=person, start=dt.date(2030, 8, 12), end=dt.date(2030, 8, 9))
    with pytest.raises(ValidationError) as error:
        absence.full_clean()
    assert error.value.message_dict["end"] == ["La fin de l'absence (09/08/2030) précède son début (12/08/2030)."]
    form = AbsenceForm(
        data={"person": person.pk, "kind": "paid_leave", "start": "2030-08-12", "end": "2030-08-09"},
        organisation=person.organisation,
    )
    assert not form.is_valid()
    assert "précède son début" in form.errors["end"][0]


def test_a_one_day_absence_cannot_be_two_opposite_half_days() -> None:
    person = make_person()
    form = AbsenceForm(
        data={"person": person.pk, "kind": "rtt", "start": "2030-03-04", "end": "2030-03-04",
              "start_afternoon": "on", "end_morning": "on"},
        organisation=person.organisation,
    )
    assert "à la fois commencer l'après-midi et finir à midi" in form.non_field_errors()[0]


def test_absence_kinds_are_french() -> None:
    assert [str(label) for _, label in Absence.Kind.choices] == [
        "Congés payés", "RTT", "Maladie", "Formation", "Autre"]
