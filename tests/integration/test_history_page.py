"""The project's history: who changed what and when on specs, plans, budgets, validations and
change requests, kept by django-simple-history and read back for the PM."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from jalon.planning.services import project_plan
from jalon.portal import selectors, services
from jalon.specs import services as specs
from jalon.specs.models import Requirement

pytestmark = pytest.mark.django_db


def test_a_budget_change_says_who_what_and_from_which_value(world):
    project = world.project_a
    project._history_user = world.user("pm")  # what the request middleware does for a view
    project.budget_amount = Decimal("30000")
    project.save()
    [entry] = [e for e in selectors.project_history(project, kind="project") if e.changes]
    assert (entry.who, entry.object_label, entry.action) == ("Paul Martin", "Refonte boulangerie", "Modification")
    assert [(c.label, c.before, c.after) for c in entry.changes] == [("budget (€ HT)", "24500", "30000")]


def test_a_decision_made_through_the_portal_is_signed_by_the_client(world, as_role):
    spec = specs.spec_for_project(project=world.project_a, by=world.user("pm"))
    version = specs.spec_version_submit(version=spec.versions.get())
    as_role(world, "client_a").post(reverse("portal_spec_decide", args=[world.project_a.pk, version.number]),
                                    {"decision": "accepted", "comment": "Vu"})
    latest = version.history.order_by("-history_date").first()
    assert latest.history_user == world.user("client_a") and latest.status == "validated"
    [validation] = selectors.project_history(world.project_a, kind="validation")
    assert (validation.who, validation.object_label, validation.action) == ("client_a", "v1 (Validée)", "Création")
    spec_entries = selectors.project_history(world.project_a, kind="spec")
    status_change = next(e for e in spec_entries if any(c.label == "statut" for c in e.changes))
    assert ("statut", "Soumise au client", "Validée") in [(c.label, c.before, c.after) for c in status_change.changes]


def test_a_deleted_requirement_keeps_its_name_in_the_history(world):
    spec = specs.spec_for_project(project=world.project_a, by=world.user("pm"))
    requirement = specs.requirement_save(requirement=Requirement(version=spec.versions.get(), code="EX-01", title="Panier"))
    specs.requirement_delete(requirement=requirement)
    actions = [(e.object_label, e.action) for e in selectors.project_history(world.project_a, kind="spec")
               if e.object_type == "exigence"]
    assert actions == [("EX-01 — Panier", "Suppression"), ("EX-01 — Panier", "Création")]


def test_plans_and_accepted_changes_are_in_the_history(world):
    project = world.project_a
    project_plan(project=project, by=world.user("pm"), max_iterations=5)
    change = services.change_request_file(project=project, by=world.user("client_a"), title="FAQ", description="x")
    services.change_request_accept(change_request=change, by=world.user("pm"),
                                   tasks=[services.NewTask(name="FAQ", effort_days=Decimal("1"))])
    plan = selectors.project_history(project, kind="plan")
    runs = [e for e in plan if e.object_type == "calcul de planning"]
    assert [e.action for e in runs] == ["Planning enregistré", "Planning enregistré"]
    assert runs[0].changes[0].label == "Fin du planning"
    assert any(e.object_label == "FAQ" and e.action == "Création" for e in plan)
    changes = selectors.project_history(project, kind="change")
    statuses = [c for e in changes for c in e.changes if c.label == "statut"]
    assert [(c.before, c.after) for c in statuses] == [("À traiter", "Acceptée")]


def test_the_history_page_filters_by_kind_and_htmx_gets_the_list_only(world, as_role):
    project = world.project_a
    project._history_user = world.user("pm")
    project.sold_days = Decimal("40")
    project.save()
    http = as_role(world, "pm")
    url = reverse("project_history", args=[project.pk])
    page = http.get(url).content.decode()
    assert "Historique des modifications" in page and "jours vendus (j/h)" in page.lower()
    fragment = http.get(url + "?type=spec", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "Jours vendus" not in fragment
    assert "Aucune modification enregistrée pour ce filtre." in fragment
    assert http.get(url + "?type=inconnu").status_code == 200  # an unknown filter shows everything


def test_an_unknown_kind_is_named_in_the_error(world):
    with pytest.raises(ValueError, match="unknown history kind 'meteo'"):
        selectors.project_history(world.project_a, kind="meteo")


def _task_entries(project, name: str) -> list:  # type: ignore[no-untyped-def]
    return [e for e in selectors.project_history(project, kind="plan") if e.object_label == name and e.action == "Modification"]


def test_a_plan_records_the_dates_it_moved_signed_by_who_planned(world):
    project = world.project_a
    project_plan(project=project, by=world.user("pm"), max_iterations=5)
    task = project.tasks.get(name="Maquettes")
    assert task.start is not None
    [entry] = _task_entries(project, "Maquettes")
    assert entry.who == "Paul Martin"
    changes = {c.label: (c.before, c.after) for c in entry.changes}
    assert changes["début planifié"] == ("—", task.start.strftime("%d/%m/%Y"))
    assert changes["fin planifiée"] == ("—", task.finish.strftime("%d/%m/%Y"))


def test_a_plan_that_moves_nothing_adds_no_history_row(world):
    project = world.project_a
    project_plan(project=project, by=world.user("pm"), max_iterations=5)
    rows = project.tasks.model.history.filter(project_id=project.pk).count()
    project_plan(project=project, by=world.user("pm"), max_iterations=5)
    assert project.tasks.model.history.filter(project_id=project.pk).count() == rows


def test_a_re_plan_shows_the_dates_before_and_after(world):
    project = world.project_a
    project_plan(project=project, by=world.user("pm"), max_iterations=5)
    task = project.tasks.get(name="Maquettes")
    first_finish = task.finish
    task.effort_days = Decimal("8")
    task.save()
    project_plan(project=project, by=world.user("admin"), max_iterations=5)
    task.refresh_from_db()
    latest = _task_entries(project, "Maquettes")[0]
    assert latest.who == "Alice Admin"
    assert ("fin planifiée", first_finish.strftime("%d/%m/%Y"), task.finish.strftime("%d/%m/%Y")) in [
        (c.label, c.before, c.after) for c in latest.changes]
