"""The client portal in a real headless Chromium: the client logs in, sees only their project,
validates the submitted cahier des charges and files a change request; the PM accepts it,
adding a task, and reads the plan's new end date."""

from __future__ import annotations

import re

import pytest

from jalon.portal.models import ChangeRequest
from jalon.specs import services as specs
from tests.e2e.browser import expect, log_in, shot, wait_for_htmx
from tests.factories import make_dependency

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def submit_spec(project, pm) -> None:  # type: ignore[no-untyped-def]
    spec = specs.spec_for_project(project=project, by=pm)
    version = spec.versions.get()
    sections = [dict(s, body=f"Texte de la section « {s['title']} ».") for s in version.sections]
    specs.spec_sections_save(version=version, sections=sections, expected=None)
    specs.spec_version_submit(version=version)


def test_a_client_validates_and_asks_for_a_change_the_pm_accepts_it_and_sees_the_new_end(live_server, live_world, page):
    project = live_world.project_a
    milestone = project.tasks.get(name="Validation des maquettes")
    make_dependency(project.tasks.get(name="Maquettes"), milestone)
    submit_spec(project, live_world.user("pm"))

    # The client: only their project, no money figure.
    log_in(page, live_server, "client_a")
    expect(page.locator(".who")).to_be_visible()
    expect(page).to_have_url(live_server.url + "/client/")  # a client lands on their portal
    expect(page.get_by_role("heading", name="Mes projets")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Refonte boulangerie"))).to_contain_text("1 version du cahier des charges")
    expect(page.get_by_text("Boutique cave")).to_have_count(0)
    shot(page, "portal-01-client-home")

    page.get_by_role("link", name="Refonte boulangerie").click()
    expect(page.get_by_role("heading", name="Refonte boulangerie")).to_be_visible()
    expect(page.get_by_text("Validation des maquettes")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("€")
    shot(page, "portal-02-client-project")

    page.get_by_role("link", name="Version 1").click()
    expect(page.get_by_role("heading", name="Cahier des charges — version 1")).to_be_visible()
    shot(page, "portal-03-client-spec-submitted")
    page.get_by_label("Je valide").check()
    page.get_by_label("Commentaire").fill("Bon pour accord, merci.")
    page.get_by_role("button", name="Enregistrer ma décision").click()
    expect(page.locator(".message-success")).to_contain_text("Version 1 : validé")
    expect(page.locator(".record-accepted")).to_contain_text("Validé par client_a")
    expect(page.get_by_role("button", name="Enregistrer ma décision")).to_have_count(0)
    shot(page, "portal-04-client-spec-validated")

    page.get_by_role("link", name="Refonte boulangerie").click()
    page.get_by_role("link", name="Demander un changement").click()
    page.get_by_label("Objet").fill("Page FAQ")
    page.get_by_label("Ce que vous souhaitez").fill("Une page de questions fréquentes sur les commandes de gâteaux.")
    shot(page, "portal-05-client-change-request-form")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("heading", name="Page FAQ")).to_be_visible()
    expect(page.locator(".status")).to_have_text("À traiter")
    shot(page, "portal-06-client-change-request-filed")
    page.locator(".user-menu summary").click()  # logging out sits in the user menu
    page.get_by_role("button", name="Se déconnecter").click()

    # The PM: the inbox, the accept form with one task after the review, the effect.
    log_in(page, live_server, "pm")
    expect(page.locator(".who")).to_be_visible()
    page.goto(f"{live_server.url}/projets/{project.pk}/demandes-de-changement/")
    expect(page.get_by_role("heading", name="Demandes de changement")).to_be_visible()
    shot(page, "portal-07-pm-inbox")
    page.get_by_role("link", name="Page FAQ").click()
    page.get_by_label("Tâche", exact=True).fill("Rédaction et intégration de la FAQ")
    page.get_by_label("Charge (j/h)").fill("3")
    page.get_by_label("Phase").select_option(label="Design UI")
    page.get_by_label("Après la tâche").select_option(label="Validation des maquettes")
    wait_for_htmx(page)
    page.get_by_role("button", name="Ajouter une tâche").click()
    expect(page.locator("#task-row-1")).to_be_visible()  # a blank second row, left empty
    shot(page, "portal-08-pm-accept-form")
    page.get_by_role("button", name="Accepter et replanifier").click()

    expect(page.get_by_role("heading", name="Effet sur le planning")).to_be_visible(timeout=30000)
    impact = page.locator(".impact")
    expect(impact).to_contain_text("11/01/2030")
    expect(impact.locator(".new-end")).to_have_text("16/01/2030")
    expect(impact).to_contain_text("3 jours ouvrés")
    expect(impact).to_contain_text("€")
    expect(page.get_by_text("Rédaction et intégration de la FAQ")).to_be_visible()
    shot(page, "portal-09-pm-effect-on-plan")
    change = ChangeRequest.objects.get()
    assert (change.status, change.extra_days) == (ChangeRequest.Status.ACCEPTED, 3)
    assert change.created_tasks.get().finish.isoformat() == "2030-01-16"

    # The history: who changed what and when, filtered by kind without reloading the page.
    page.get_by_role("link", name="Historique").click()
    expect(page.get_by_role("heading", name="Historique des modifications")).to_be_visible()
    expect(page.locator("#history")).to_contain_text("client_a")
    page.get_by_role("link", name="Demandes de changement", exact=True).last.click()
    expect(page).to_have_url(re.compile(r"\?type=change$"))
    expect(page.locator("#history tbody tr[data-kind='change']").first).to_contain_text("Acceptée")
    expect(page.locator("#history tbody tr:not([data-kind='change'])")).to_have_count(0)
    shot(page, "portal-10-pm-history")
