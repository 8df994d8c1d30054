"""The cahier des charges life cycle: draft → submitted → validated/rejected, frozen versions,
new versions copied from the last one, and the diff between two versions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jalon.specs import services
from jalon.specs.models import FrozenSpecVersionError, Requirement, SpecVersion
from tests.factories import make_task

pytestmark = pytest.mark.django_db
Status = SpecVersion.Status


@pytest.fixture
def spec(project_a, pm):  # type: ignore[no-untyped-def]
    return services.spec_for_project(project=project_a, by=pm)


@pytest.fixture
def draft(spec):  # type: ignore[no-untyped-def]
    return spec.versions.get(number=1)


def add_requirement(version: SpecVersion, title: str, priority: str = "must", **fields: str) -> Requirement:
    requirement = Requirement(version=version, code=services.requirement_next_code(version), title=title,
                              priority=priority, **fields)
    return services.requirement_save(requirement=requirement)


def test_a_project_without_spec_gets_one_with_the_sections_of_its_type(spec, draft):
    keys = [s["key"] for s in draft.sections]
    assert keys[:3] == ["presentation", "objectifs", "cibles"]
    assert "budget" in keys and "contraintes" in keys
    assert draft.status == Status.DRAFT


def test_requirement_codes_follow_ex_01_ex_02(draft):
    assert services.requirement_next_code(draft) == "EX-01"
    add_requirement(draft, "Catalogue")
    add_requirement(draft, "Paiement")
    assert list(draft.requirements.values_list("code", flat=True)) == ["EX-01", "EX-02"]
    assert services.requirement_next_code(draft) == "EX-03"


def test_submit_then_validate_records_who_and_when(draft, world):
    client_user = world.user("client_a")
    services.spec_version_submit(version=draft)
    validated = services.spec_version_validate(version=draft, by=client_user, comment="Bon pour accord")
    assert validated.status == Status.VALIDATED
    assert validated.validated_by == client_user
    assert validated.validated_at is not None and validated.submitted_at <= validated.validated_at
    assert validated.validation_comment == "Bon pour accord"


def test_a_validated_version_is_frozen(draft, pm):
    requirement = add_requirement(draft, "Formulaire de contact")
    services.spec_version_submit(version=draft)
    services.spec_version_validate(version=draft, by=pm)
    draft.refresh_from_db()
    with pytest.raises(FrozenSpecVersionError, match="validée"):
        services.spec_sections_save(version=draft, sections=draft.sections, expected=None)
    with pytest.raises(FrozenSpecVersionError):
        add_requirement(draft, "Ajout tardif")
    with pytest.raises(FrozenSpecVersionError):
        services.requirement_delete(requirement=requirement)


def test_a_submitted_version_is_not_edited_and_says_why(draft):
    services.spec_version_submit(version=draft)
    draft.refresh_from_db()
    with pytest.raises(ValidationError, match="soumise au client"):
        add_requirement(draft, "Encore une")


def test_only_a_draft_can_be_submitted_and_only_a_submitted_one_decided(draft, pm):
    with pytest.raises(ValidationError, match="n'est pas soumise"):
        services.spec_version_validate(version=draft, by=pm)
    services.spec_version_submit(version=draft)
    with pytest.raises(ValidationError, match="Seul un brouillon"):
        services.spec_version_submit(version=draft)


def test_a_refusal_needs_a_comment_and_is_recorded(draft, pm):
    services.spec_version_submit(version=draft)
    with pytest.raises(ValidationError, match="commentaire est obligatoire"):
        services.spec_version_reject(version=draft, by=pm, comment="  ")
    rejected = services.spec_version_reject(version=draft, by=pm, comment="Il manque le paiement")
    assert (rejected.status, rejected.validated_by, rejected.validation_comment) == (
        Status.REJECTED, pm, "Il manque le paiement")


def test_a_new_version_copies_sections_requirements_and_their_tasks(spec, draft, pm, project_a):
    task = make_task(project_a, "Formulaire")
    requirement = add_requirement(draft, "Formulaire de contact", acceptance_criteria="Un e-mail part")
    requirement.tasks.add(task)
    sections = [{**s, "body": "Boulangerie familiale"} if s["key"] == "presentation" else s for s in draft.sections]
    services.spec_sections_save(version=draft, sections=sections, expected=services.fingerprint(draft.sections))
    services.spec_version_submit(version=draft)
    services.spec_version_validate(version=draft, by=pm)

    new = services.spec_version_new(spec=spec, by=pm)

    assert (new.number, new.status, new.created_by) == (2, Status.DRAFT, pm)
    assert new.sections == sections
    copy = new.requirements.get()
    assert (copy.code, copy.title, copy.acceptance_criteria) == ("EX-01", "Formulaire de contact", "Un e-mail part")
    assert list(copy.tasks.all()) == [task]
    assert copy.pk != requirement.pk


def test_no_new_version_while_the_last_one_is_a_draft(spec, pm):
    with pytest.raises(ValidationError, match="encore un brouillon"):
        services.spec_version_new(spec=spec, by=pm)


def test_a_stale_sections_save_is_refused_with_a_reload_message(draft):
    seen = services.fingerprint(draft.sections)
    first = [{**s, "body": "Première"} for s in draft.sections]
    services.spec_sections_save(version=draft, sections=first, expected=seen)
    with pytest.raises(ValidationError, match="Rechargez la page"):
        services.spec_sections_save(version=draft, sections=draft.sections, expected=seen)


def test_a_stale_requirement_edit_is_refused(draft):
    requirement = add_requirement(draft, "Recherche")
    seen = services.requirement_fingerprint(requirement)
    Requirement.objects.filter(pk=requirement.pk).update(title="Recherche plein texte")
    requirement.title = "Recherche par catégorie"
    with pytest.raises(ValidationError, match="Rechargez la page"):
        services.requirement_save(requirement=requirement, expected=seen)


def test_the_diff_shows_sections_and_requirements_added_removed_changed(spec, draft, pm):
    kept = add_requirement(draft, "Catalogue", priority="should")
    add_requirement(draft, "Blog")
    bodies = {"presentation": "Boulangerie\nà Colmar", "objectifs": "Vendre en ligne"}
    services.spec_sections_save(version=draft, expected=None,
                                sections=[{**s, "body": bodies.get(s["key"], "")} for s in draft.sections])
    services.spec_version_submit(version=draft)
    services.spec_version_reject(version=draft, by=pm, comment="Retirer le blog")
    new = services.spec_version_new(spec=spec, by=pm)
    new.requirements.filter(code="EX-02").delete()
    changed = new.requirements.get(code=kept.code)
    changed.priority, changed.title = "must", "Catalogue produits"
    services.requirement_save(requirement=changed)
    add_requirement(new, "Paiement en ligne")
    services.spec_sections_save(version=new, expected=None, sections=[
        {**s, "body": "Boulangerie\nà Strasbourg" if s["key"] == "presentation" else s["body"]} for s in new.sections])

    diff = services.spec_version_diff(new, draft)  # order of the arguments does not matter

    assert (diff.old.number, diff.new.number) == (1, 2)
    assert [r.code for r in diff.added] == ["EX-03"]
    assert [r.code for r in diff.removed] == ["EX-02"]
    (change,) = diff.changed
    assert change.code == "EX-01"
    assert {(f.label, f.before, f.after) for f in change.fields} == {
        ("intitulé", "Catalogue", "Catalogue produits"),
        ("priorité MoSCoW", "Important (Should)", "Indispensable (Must)"),
    }
    presentation = next(s for s in diff.sections if s.key == "presentation")
    assert presentation.change == "changed"
    assert ("removed", "à Colmar") in [(line.kind, line.text) for line in presentation.lines]
    assert ("added", "à Strasbourg") in [(line.kind, line.text) for line in presentation.lines]
    assert next(s for s in diff.sections if s.key == "objectifs").change == "same"
    assert diff.has_changes


def test_a_version_compared_with_itself_has_no_changes(draft):
    add_requirement(draft, "Catalogue")
    assert not services.spec_version_diff(draft, draft).has_changes

