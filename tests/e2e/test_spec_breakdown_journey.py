"""From the client's need to a breakdown and a team, in a real headless Chromium: the PM writes
two requirements in the cahier des charges, generates the breakdown (a task for the Must one),
reads the traceability matrix, adds a person with a skill and asks who can do the task.

There is no project-creation page yet: the project is created from its template with the same
service that page will call (`project_create`)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jalon.projects.models import TaskSkill
from jalon.projects.services import project_create
from tests.e2e.browser import WIDE, add_person_with_skill, add_requirement, expect, log_in, shot, wait_for_htmx

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


@pytest.fixture
def viewport() -> dict[str, int]:
    return WIDE


def test_a_project_manager_writes_the_spec_generates_the_breakdown_and_staffs_it(live_server, live_world, page):
    pm = live_world.user("pm")
    project = project_create(organisation=pm.organisation, name="Site de la fromagerie", project_type="site_vitrine",
                             start_date=dt.date(2030, 3, 4), manager=pm, code="FROM")

    log_in(page, live_server, "pm", path=f"/projets/{project.pk}/cahier-des-charges/")
    expect(page.get_by_role("heading", name=re.compile("Cahier des charges"))).to_be_visible()
    expect(page.locator(".spec-head")).to_contain_text("Brouillon")
    wait_for_htmx(page)

    page.get_by_label("Présentation du client").fill("Fromagerie familiale à Annecy, vente en boutique.")
    page.get_by_role("button", name="Enregistrer les sections").click()
    expect(page.locator("#sections .saved")).to_have_text("Enregistré.")

    add_requirement(page, "Formulaire de contact", "Indispensable (Must)", "Le message arrive chez la fromagerie.")
    add_requirement(page, "Blog des recettes", "Souhaitable (Could)", "Un article se publie en moins de 5 minutes.")
    rows = page.locator("#exigences tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("EX-01")
    expect(rows.nth(1)).to_contain_text("EX-02")
    shot(page, "spec-01-requirements")

    page.get_by_role("link", name="Découpage").click()
    expect(page.get_by_role("heading", name="Découpage du projet")).to_be_visible()
    page.get_by_role("button", name="Générer le découpage").click()
    expect(page.locator(".messages")).to_contain_text("1 tâche créée pour une exigence indispensable (Must).")
    generated = page.get_by_role("row", name=re.compile("^EX-01 — Formulaire de contact"))
    expect(generated).to_be_visible()
    expect(page.get_by_text("Blog des recettes")).to_have_count(0)
    # The generated task sits in the development phase, right after its other tasks.
    tree = page.locator("table.tree tbody tr").all_inner_texts()
    dev = next(i for i, text in enumerate(tree) if text.strip().startswith("Développement / intégration"))
    recette = next(i for i, text in enumerate(tree) if text.strip().startswith("Recette"))
    assert dev < next(i for i, text in enumerate(tree) if "EX-01 — Formulaire de contact" in text) < recette
    shot(page, "spec-02-breakdown-generated")

    wait_for_htmx(page)
    generated.get_by_role("link", name=re.compile("Modifier")).click()
    editor = page.locator("tr.editing")
    expect(editor.get_by_label("Charge (j/h)")).to_have_value("1.00")
    editor.get_by_label("Charge (j/h)").fill("3")
    editor.get_by_role("button", name="Enregistrer la tâche").click()
    expect(editor.locator(".saved")).to_have_text("Enregistré.")
    shot(page, "spec-03-task-editor")

    page.get_by_role("link", name="Traçabilité").click()
    expect(page.get_by_role("heading", name="Matrice de traçabilité")).to_be_visible()
    expect(page.locator(".form-errors")).to_contain_text("1 exigence n’est couverte par aucune tâche")
    expect(page.get_by_role("row", name=re.compile("EX-01"))).to_contain_text("couverte")
    shot(page, "spec-04-traceability")

    needed = TaskSkill.objects.get(task__name__startswith="EX-01").skill.name
    page.goto(f"{live_server.url}/equipe/")
    expect(page.get_by_role("heading", name="Équipe")).to_be_visible()
    add_person_with_skill(page, "Camille", "Roux", "Développeuse web", needed, 4)
    expect(page.locator("#competences")).to_contain_text(f"{needed}")
    shot(page, "spec-05-person")

    page.get_by_role("link", name="Matrice des compétences").click()
    expect(page.get_by_role("row", name=re.compile("Camille Roux"))).to_contain_text("4")
    shot(page, "spec-06-skills-matrix")

    page.goto(f"{live_server.url}/projets/{project.pk}/decoupage/")
    wait_for_htmx(page)
    page.get_by_role("row", name=re.compile("^EX-01 — Formulaire de contact")).get_by_role(
        "link", name=re.compile("Modifier")).click()
    page.get_by_role("link", name="Qui peut la faire et quand ?").click()
    expect(page.get_by_role("row", name=re.compile("Camille Roux"))).to_contain_text(f"{needed} 4/5")
    expect(page.locator("table.candidates")).to_contain_text("2030")
    shot(page, "spec-07-who-can-do-it")
