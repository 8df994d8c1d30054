"""Use cases of the client portal: decisions recorded for good, feedback, change requests and
their triage with the effect on the plan, e-mails to the PM and to the client."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jalon.portal import services
from jalon.portal.models import ChangeRequest, Decision, DeliverableValidation, ImmutableRecordError, SpecValidation
from jalon.projects.models import Deliverable, Task
from jalon.specs import services as specs
from jalon.specs.models import SpecVersion
from tests.factories import make_dependency, make_skill

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(world):  # type: ignore[no-untyped-def]
    """The PM and client A have addresses, so that notifications have somewhere to go."""
    for role, address in (("pm", "paul@agence-durand.fr"), ("client_a", "claire@boulangerie-martin.fr")):
        user = world.user(role)
        user.email = address
        user.save(update_fields=["email"])
    return world


def submitted_version(project, by) -> SpecVersion:  # type: ignore[no-untyped-def]
    spec = specs.spec_for_project(project=project, by=by)
    return specs.spec_version_submit(version=spec.versions.get())


def test_a_client_validates_a_submitted_version_and_the_record_can_never_change(
    emails, mailoutbox, django_capture_on_commit_callbacks
):
    client_a = emails.user("client_a")
    version = submitted_version(emails.project_a, emails.user("pm"))
    with django_capture_on_commit_callbacks(execute=True):
        record = services.spec_version_client_decide(version=version, by=client_a, decision="accepted", comment=" Parfait. ")

    version.refresh_from_db()
    assert version.status == SpecVersion.Status.VALIDATED and version.is_frozen
    assert (record.decided_by, record.decided_by_name, record.decision, record.comment) == (
        client_a, "client_a", Decision.ACCEPTED, "Parfait.")
    assert record.decided_at == version.validated_at
    record.comment = "Changé après coup"
    with pytest.raises(ImmutableRecordError, match="ne peut plus être modifiée"):
        record.save()
    with pytest.raises(ImmutableRecordError):
        record.delete()
    assert SpecValidation.objects.get().comment == "Parfait."
    [mail] = mailoutbox
    assert mail.to == ["paul@agence-durand.fr"]
    assert mail.subject == "[Refonte boulangerie] Cahier des charges v1 validé par le client"
    assert "client_a a validé la version 1" in mail.body and "Parfait." in mail.body
    assert f"/projets/{emails.project_a.pk}/cahier-des-charges/v1/" in mail.body


def test_rejecting_a_version_needs_a_comment_and_records_it(world):
    version = submitted_version(world.project_a, world.user("pm"))
    with pytest.raises(ValidationError, match="commentaire est obligatoire"):
        services.spec_version_client_decide(version=version, by=world.user("client_a"), decision="rejected")
    record = services.spec_version_client_decide(
        version=version, by=world.user("client_a"), decision="rejected", comment="Il manque la boutique.")
    assert record.decision == Decision.REJECTED
    assert SpecVersion.objects.get(pk=version.pk).status == SpecVersion.Status.REJECTED


def test_a_version_cannot_be_decided_twice(world):
    version = submitted_version(world.project_a, world.user("pm"))
    services.spec_version_client_decide(version=version, by=world.user("client_a"), decision="accepted")
    with pytest.raises(ValidationError, match="n'est pas soumise"):
        services.spec_version_client_decide(version=version, by=world.user("client_a"), decision="rejected", comment="Non")
    assert SpecValidation.objects.count() == 1


def test_a_deliverable_is_accepted_only_once_delivered(emails, mailoutbox, django_capture_on_commit_callbacks):
    deliverable = Deliverable.objects.create(project=emails.project_a, name="Maquettes validables")
    client_a = emails.user("client_a")
    with pytest.raises(ValidationError, match="n'est pas en attente de recette"):
        services.deliverable_client_decide(deliverable=deliverable, by=client_a, decision="accepted")

    services.deliverable_mark_delivered(deliverable=deliverable)
    with pytest.raises(ValidationError, match="commentaire est obligatoire"):
        services.deliverable_client_decide(deliverable=deliverable, by=client_a, decision="rejected", comment="  ")
    with django_capture_on_commit_callbacks(execute=True):
        record = services.deliverable_client_decide(deliverable=deliverable, by=client_a, decision="accepted", comment="OK")

    assert Deliverable.objects.get(pk=deliverable.pk).status == Deliverable.Status.ACCEPTED
    assert DeliverableValidation.objects.get() == record
    with pytest.raises(ValidationError, match="déjà « Accepté »"):
        services.deliverable_mark_delivered(deliverable=deliverable)
    [mail] = mailoutbox
    assert mail.subject == "[Refonte boulangerie] Livrable « Maquettes validables » validé par le client"


def test_a_rejected_deliverable_goes_back_to_acceptance_when_delivered_again(world):
    deliverable = Deliverable.objects.create(project=world.project_a, name="Logo", status=Deliverable.Status.DELIVERED)
    services.deliverable_client_decide(deliverable=deliverable, by=world.user("client_a"), decision="rejected",
                                       comment="Trop sombre")
    services.deliverable_mark_delivered(deliverable=deliverable)
    services.deliverable_client_decide(deliverable=deliverable, by=world.user("client_a"), decision="accepted")
    decisions = list(DeliverableValidation.objects.order_by("decided_at").values_list("decision", "comment"))
    assert decisions == [("rejected", "Trop sombre"), ("accepted", "")]


def test_feedback_needs_a_message_and_reaches_the_pm(emails, mailoutbox, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError, match="Écrivez votre message"):
        services.feedback_send(project=emails.project_a, by=emails.user("client_a"), message="   ")
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_send(project=emails.project_a, by=emails.user("client_a"), message="Les photos arrivent lundi.")
    [mail] = mailoutbox
    assert mail.to == ["paul@agence-durand.fr"]
    assert "Les photos arrivent lundi." in mail.body


def test_without_a_manager_address_the_organisations_admins_are_told(
    emails, mailoutbox, django_capture_on_commit_callbacks
):
    pm, admin = emails.user("pm"), emails.user("admin")
    pm.email = ""
    pm.save(update_fields=["email"])
    admin.email = "alice@agence-durand.fr"
    admin.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        services.change_request_file(project=emails.project_a, by=emails.user("client_a"),
                                     title="Ajouter une FAQ", description="Une page de questions fréquentes.")
    [mail] = mailoutbox
    assert mail.to == ["alice@agence-durand.fr"]
    assert mail.subject == "[Refonte boulangerie] Demande de changement : Ajouter une FAQ"


def test_a_rejection_needs_a_reason_and_is_told_to_the_client(emails, mailoutbox, django_capture_on_commit_callbacks):
    change = services.change_request_file(project=emails.project_a, by=emails.user("client_a"),
                                          title="Version anglaise", description="Tout le site en anglais.")
    with pytest.raises(ValidationError, match="motif du refus"):
        services.change_request_reject(change_request=change, by=emails.user("pm"), reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.change_request_reject(change_request=change, by=emails.user("pm"), reason="Hors budget cette année.")
    change.refresh_from_db()
    assert (change.status, change.triaged_by, change.rejection_reason) == (
        ChangeRequest.Status.REJECTED, emails.user("pm"), "Hors budget cette année.")
    [mail] = mailoutbox
    assert mail.to == ["claire@boulangerie-martin.fr"]
    assert mail.subject == "[Refonte boulangerie] Demande refusée : Version anglaise"
    assert "Hors budget cette année." in mail.body
    with pytest.raises(ValidationError, match="déjà été traitée"):
        services.change_request_reject(change_request=change, by=emails.user("pm"), reason="Encore")


def _faq_request(world):  # type: ignore[no-untyped-def]
    project = world.project_a
    make_dependency(project.tasks.get(name="Maquettes"), project.tasks.get(name="Validation des maquettes"))
    return services.change_request_file(project=project, by=world.user("client_a"), title="Page FAQ",
                                        description="Une page de questions fréquentes.")


def test_accepting_creates_the_tasks_replans_and_keeps_the_effect(emails, mailoutbox, django_capture_on_commit_callbacks):
    # Maquettes (5 d, from Monday 7 January 2030) then the review milestone: the plan ends
    # Friday 11. The FAQ (3 d, nobody's skill needed) after the review ends Wednesday 16.
    change = _faq_request(emails)
    milestone = emails.project_a.tasks.get(name="Validation des maquettes")
    phase = emails.project_a.phases.get()
    new = services.NewTask(name="Page FAQ", effort_days=Decimal("3"), phase=phase, after=milestone)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.change_request_accept(change_request=change, by=emails.user("pm"), tasks=[new])

    assert accepted.status == ChangeRequest.Status.ACCEPTED and accepted.triaged_by == emails.user("pm")
    assert (accepted.previous_end_date, accepted.new_end_date) == (dt.date(2030, 1, 11), dt.date(2030, 1, 16))
    assert accepted.extra_days == 3
    assert accepted.extra_effort_days == Decimal("3")
    # Nobody is assigned: the project's average sold rate, 24 500 € / 35 d = 700 € a day.
    assert accepted.extra_cost == Decimal("2100.00")
    [task] = accepted.created_tasks.all()
    assert (task.name, task.phase, task.start, task.finish) == ("Page FAQ", phase, dt.date(2030, 1, 14), dt.date(2030, 1, 16))
    assert task.predecessor_links.get().predecessor == milestone
    assert accepted.plan_run.saved
    [mail] = mailoutbox
    assert mail.to == ["claire@boulangerie-martin.fr"]
    assert "a été acceptée" in mail.body and "16 janvier 2030" in mail.body
    assert "€" not in mail.body  # the cost stays with the agency


def test_the_extra_cost_uses_the_daily_rate_of_the_people_the_plan_chose(world):
    change = _faq_request(world)
    mona = world.project_a.members.get().person
    graphisme = make_skill(world.project_a.organisation, "Graphisme")
    mona.skills.create(skill=graphisme, level=3)
    new = services.NewTask(name="Illustrations FAQ", effort_days=Decimal("2.5"), skills=[graphisme], min_level=2)
    accepted = services.change_request_accept(change_request=change, by=world.user("pm"), tasks=[new])
    [task] = accepted.created_tasks.all()
    assert list(task.assignments.values_list("person__first_name", flat=True)) == ["Mona"]
    assert accepted.extra_cost == Decimal("1200.00")  # 2.5 d × Mona's 480 €


def test_an_impossible_new_plan_saves_nothing_and_says_why(world):
    change = _faq_request(world)
    rare = make_skill(world.project_a.organisation, "Soudure")
    new = services.NewTask(name="Enseigne", effort_days=Decimal("1"), skills=[rare])
    with pytest.raises(ValidationError, match="Soudure"):
        services.change_request_accept(change_request=change, by=world.user("pm"), tasks=[new])
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.NEW
    assert not Task.objects.filter(name="Enseigne").exists()


def test_accepting_needs_a_task_and_an_open_request(world):
    change = _faq_request(world)
    with pytest.raises(ValidationError, match="au moins une tâche"):
        services.change_request_accept(change_request=change, by=world.user("pm"), tasks=[])
    services.change_request_reject(change_request=change, by=world.user("pm"), reason="Non")
    with pytest.raises(ValidationError, match="déjà été traitée"):
        services.change_request_accept(change_request=change, by=world.user("pm"),
                                       tasks=[services.NewTask(name="X", effort_days=Decimal("1"))])


def test_a_task_cannot_be_added_after_a_task_of_another_project(world):
    change = _faq_request(world)
    foreign = Task.objects.create(project=world.project_b, name="Fiche produit", effort_days=1)
    with pytest.raises(ValidationError, match="appartient à un autre projet"):
        services.change_request_accept(change_request=change, by=world.user("pm"),
                                       tasks=[services.NewTask(name="X", effort_days=Decimal("1"), after=foreign)])


def test_a_change_done_alongside_the_current_work_does_not_move_the_end(world):
    change = _faq_request(world)
    accepted = services.change_request_accept(
        change_request=change, by=world.user("pm"), tasks=[services.NewTask(name="FAQ", effort_days=Decimal("2"))])
    assert (accepted.previous_end_date, accepted.new_end_date, accepted.extra_days) == (
        dt.date(2030, 1, 11), dt.date(2030, 1, 11), 0)
