"""A record may only point at people and skills of its own organisation; the error names them."""

import pytest
from django.core.exceptions import ValidationError

from jalon.people.models import PersonSkill
from jalon.projects.models import Assignment, ProjectMember, TaskSkill
from tests.factories import make_org, make_person, make_project, make_skill, make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_org_records():  # type: ignore[no-untyped-def]
    other = make_org("Agence Voisine")
    return make_person(other, "Zoé"), make_skill(other, "Figma")


def _errors(record: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        record.full_clean()  # type: ignore[attr-defined]
    return caught.value.message_dict


def test_a_project_member_of_another_organisation_is_named(other_org_records) -> None:  # type: ignore[no-untyped-def]
    stranger, _ = other_org_records
    errors = _errors(ProjectMember(project=make_project(), person=stranger))
    assert errors["person"] == [f"« {stranger} » appartient à une autre organisation."]


def test_an_assignment_to_someone_of_another_organisation_is_named(other_org_records) -> None:  # type: ignore[no-untyped-def]
    stranger, _ = other_org_records
    errors = _errors(Assignment(task=make_task(), person=stranger))
    assert errors["person"] == [f"« {stranger} » appartient à une autre organisation."]


def test_a_required_skill_of_another_organisation_is_named(other_org_records) -> None:  # type: ignore[no-untyped-def]
    _, figma = other_org_records
    errors = _errors(TaskSkill(task=make_task(), skill=figma))
    assert errors["skill"] == ["La compétence « Figma » appartient à une autre organisation."]


def test_a_person_cannot_hold_a_skill_of_another_organisation(other_org_records) -> None:  # type: ignore[no-untyped-def]
    _, figma = other_org_records
    errors = _errors(PersonSkill(person=make_person(make_org()), skill=figma, level=3))
    assert errors["skill"] == ["La compétence « Figma » appartient à une autre organisation."]
