"""The cahier des charges: a validated version is frozen; sections and requirements are checked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jalon.planning.models import Baseline, BaselineTask
from jalon.specs.forms import RequirementForm, SpecDecisionForm, SpecSectionsForm
from jalon.specs.models import Requirement, Spec, SpecVersion
from tests.factories import make_project, make_task, make_user

pytestmark = pytest.mark.django_db

SECTIONS = [{"key": "objectifs", "title": "Objectifs du projet", "body": "Vendre en ligne."}]


def validated_version() -> SpecVersion:
    project = make_project()
    version = SpecVersion.objects.create(spec=Spec.objects.create(project=project), number=1, sections=SECTIONS)
    Requirement.objects.create(version=version, code="EX-01", title="Paiement par carte")
    version.status = SpecVersion.Status.VALIDATED
    version.validated_by = make_user(role="client", org=project.organisation)
    version.validated_at = timezone.now()
    version.save()
    return version


def test_a_validated_version_refuses_edits_in_clean_and_save() -> None:
    version = validated_version()
    version.sections = [{**SECTIONS[0], "body": "Changé en douce."}]
    expected = ("La version 1 du cahier des charges est validée : elle ne peut plus être modifiée. "
                "Créez une nouvelle version pour faire évoluer le besoin.")
    with pytest.raises(ValidationError) as error:
        version.full_clean()
    assert error.value.messages == [expected]
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    assert SpecVersion.objects.get().sections == SECTIONS


def test_a_validated_versions_requirements_are_frozen_too() -> None:
    version = validated_version()
    requirement = version.requirements.get()
    requirement.title = "Autre chose"
    with pytest.raises(ValidationError):
        requirement.save()
    form = RequirementForm(data={"code": "EX-02", "title": "Nouveau", "priority": "must", "order": "2"}, version=version)
    assert not form.is_valid()
    assert "est validée" in form.non_field_errors()[0]
    sections = SpecSectionsForm(data={"section_objectifs": "Changé"}, version=version)
    assert not sections.is_valid()


def test_a_validated_version_names_who_validated_it_and_when() -> None:
    version = SpecVersion(spec=Spec.objects.create(project=make_project()), number=1, status="validated")
    with pytest.raises(ValidationError) as error:
        version.full_clean()
    assert "qui l'a validée et quand" in error.value.messages[0]


def test_a_draft_version_can_be_edited_through_the_sections_form() -> None:
    version = SpecVersion.objects.create(spec=Spec.objects.create(project=make_project()), number=1, sections=SECTIONS)
    form = SpecSectionsForm(data={"section_objectifs": "Vendre en ligne dans toute la France."}, version=version)
    assert form.is_valid()
    version.sections = form.updated_sections()
    version.full_clean()
    version.save(update_fields=["sections"])
    assert SpecVersion.objects.get().sections[0]["body"] == "Vendre en ligne dans toute la France."


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        ({"key": "x"}, "doivent être une liste"),
        ([{"key": "x", "title": "X"}], "Section n° 1 : les champs"),
        ([{"key": "x", "title": "X", "body": ""}, {"key": "x", "title": "Y", "body": ""}], "la clé « x » est déjà utilisée"),
    ],
)
def test_malformed_sections_are_named(sections: object, message: str) -> None:
    version = SpecVersion(spec=Spec.objects.create(project=make_project()), number=1, sections=sections)
    with pytest.raises(ValidationError) as error:
        version.full_clean()
    assert message in error.value.message_dict["sections"][0]


def test_requirement_codes_look_like_ex_01_and_are_unique_per_version() -> None:
    version = SpecVersion.objects.create(spec=Spec.objects.create(project=make_project()), number=1)
    data = {"title": "Paiement", "priority": "must", "order": "1"}
    assert "EX-01" in RequirementForm(data={**data, "code": "ex 1"}, version=version).errors["code"][0]
    RequirementForm(data={**data, "code": "EX-01"}, version=version).save()
    assert "existe déjà" in RequirementForm(data={**data, "code": "EX-01"}, version=version).non_field_errors()[0]


def test_requirements_trace_to_tasks_of_their_own_project_only() -> None:
    project = make_project()
    ours, theirs = make_task(project, name="Paiement"), make_task(name="Ailleurs")
    version = SpecVersion.objects.create(spec=Spec.objects.create(project=project), number=1)
    data = {"code": "EX-01", "title": "Paiement", "priority": "must", "order": "1"}
    assert "tasks" in RequirementForm(data={**data, "tasks": [theirs.pk]}, version=version).errors
    requirement = RequirementForm(data={**data, "tasks": [ours.pk]}, version=version).save()
    assert list(requirement.tasks.all()) == [ours] and list(ours.requirements.all()) == [requirement]


def test_refusing_a_version_needs_a_comment() -> None:
    form = SpecDecisionForm(data={"decision": "rejected", "comment": " "})
    assert "commentaire est obligatoire" in form.non_field_errors()[0]
    assert SpecDecisionForm(data={"decision": "validated"}).is_valid()


def test_a_baseline_entry_keeps_the_task_name_and_refuses_reversed_dates() -> None:
    task = make_task(name="Maquettes")
    baseline = Baseline.objects.create(project=task.project, name="Référence initiale")
    entry = BaselineTask(baseline=baseline, task=task, task_name=task.name,
                         start=dt.date(2030, 3, 5), finish=dt.date(2030, 3, 4))
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert error.value.message_dict["finish"] == ["La fin précède le début."]
