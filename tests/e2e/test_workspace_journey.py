"""The whole planning workspace in a real headless Chromium, as a project manager new to Jalon:
create a project from a template, write two requirements, generate the breakdown, add a person
with a skill, press Planifier, check that the Gantt bars carry the engine's dates, export the PDF
and read its text. Every step leaves a screenshot in test-artifacts/workspace-NN-*.png."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jalon.accounts.models import User
from jalon.projects.models import Assignment, Project, Task, TaskSkill
from jalon.projects.templates_data import template_for
from tests.e2e.browser import (
    add_person_with_skill,
    add_requirement,
    download_to,
    expect,
    gantt_bar_title,
    log_in,
    pdf_text,
    shot,
    wait_for_htmx,
)
from tests.factories import make_org, make_person, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def agency_team_without(organisation, missing: str) -> None:  # type: ignore[no-untyped-def]
    """The agency's existing collaborators: together they hold every skill of the site vitrine
    template except `missing`, which only the person the PM adds will bring."""
    skills = [name for name in template_for("site_vitrine").skill_names if name != missing]
    for index, first in enumerate(("Julien", "Camille", "Hugo")):
        make_person(organisation, first, last_name="Moreau", job_title="Consultant",
                    skills={name: 4 for name in skills[index::3]})


def next_monday() -> dt.date:
    today = dt.date.today()
    return today + dt.timedelta(days=7 - today.weekday())


def test_a_new_project_manager_goes_from_the_spec_to_a_feasible_plan(live_server, transactional_db, page, tmp_path):
    # The project starts next Monday, so the portfolio's four-week load sees its first weeks.
    start = next_monday()
    organisation = make_org("Agence Lumière")
    make_user(User.Role.MANAGER, organisation, username="claire", first_name="Claire", last_name="Petit")

    # 1. Log in: an empty portfolio invites to create the first project.
    log_in(page, live_server, "claire", path="/")
    expect(page.get_by_role("heading", name="Aucun projet pour l'instant")).to_be_visible()
    shot(page, "workspace-01-empty-portfolio")

    # 2. Nouveau projet, from the site vitrine template, for a client typed in.
    page.get_by_role("link", name="Nouveau projet").first.click()
    expect(page.get_by_role("heading", name="Nouveau projet")).to_be_visible()
    page.get_by_label("Nom", exact=True).fill("Site de la fromagerie")
    page.get_by_label("Code").fill("FROM")
    page.get_by_label("… ou nouveau client").fill("Fromagerie Blanc")
    page.get_by_role("radio", name=re.compile("Site vitrine")).check()
    page.get_by_label("Date de début").fill(start.isoformat())
    page.get_by_label("Date limite").fill((start + dt.timedelta(weeks=16)).isoformat())
    page.get_by_label("Budget (€ HT)").fill("18000")
    page.get_by_label("Jours vendus (j/h)").fill("30")
    expect(page.get_by_label("Chef de projet")).to_have_value(str(User.objects.get(username="claire").pk))
    expect(page.locator(".type-option").filter(has_text="Site vitrine")).to_contain_text("Cadrage → Conception / UX")
    shot(page, "workspace-02-new-project-form")
    page.get_by_role("button", name="Créer le projet").click()
    expect(page.locator(".message-success")).to_contain_text("Projet « Site de la fromagerie » créé")
    expect(page.get_by_role("heading", name=re.compile("Site de la fromagerie"))).to_be_visible()
    project = Project.objects.get(code="FROM")
    assert (project.client.name, project.manager.username) == ("Fromagerie Blanc", "claire")
    expect(page.locator(".project-tabs [aria-current=page]")).to_have_text("Aperçu")
    shot(page, "workspace-03-project-created")

    # 3. Cahier des charges: two requirements, one Must.
    page.locator(".project-tabs").get_by_role("link", name="Cahier des charges").click()
    expect(page.locator(".spec-head")).to_contain_text("Brouillon")
    wait_for_htmx(page)
    add_requirement(page, "Formulaire de contact", "Indispensable (Must)", "Le message arrive chez la fromagerie.")
    add_requirement(page, "Blog des recettes", "Souhaitable (Could)", "Un article se publie en moins de 5 minutes.")
    expect(page.locator("#exigences tbody tr")).to_have_count(2)
    shot(page, "workspace-04-requirements")

    # 4. Générer le découpage: the Must requirement gets its task, the Could one does not.
    page.locator(".project-tabs").get_by_role("link", name="Découpage").click()
    page.get_by_role("button", name="Générer le découpage").click()
    expect(page.locator(".messages")).to_contain_text("1 tâche créée pour une exigence indispensable (Must).")
    expect(page.get_by_role("row", name=re.compile("^EX-01 — Formulaire de contact"))).to_be_visible()
    expect(page.get_by_text("Blog des recettes")).to_have_count(0)
    shot(page, "workspace-05-breakdown-generated")
    must_task = Task.objects.get(project=project, name__startswith="EX-01")
    needed = TaskSkill.objects.get(task=must_task).skill.name

    # 5. Équipe: the PM adds the one person holding the skill the Must task needs.
    agency_team_without(organisation, needed)
    page.locator(".topnav").get_by_role("link", name="Équipe").click()
    expect(page.get_by_role("heading", name="Équipe")).to_be_visible()
    add_person_with_skill(page, "Inès", "Garnier", "Développeuse web", needed, 4)
    shot(page, "workspace-06-person-with-skill")

    # 6. Planifier.
    page.locator(".topnav").get_by_role("link", name="Portefeuille", exact=True).click()
    page.get_by_role("link", name="Site de la fromagerie").click()
    page.locator(".project-tabs").get_by_role("link", name="Planification").click()
    page.get_by_role("button", name="Planifier", exact=True).click()
    expect(page.locator(".message-success")).to_contain_text("Planning calculé et enregistré : fin le ")
    shot(page, "workspace-07-planned")
    tasks = list(Task.objects.filter(project=project).order_by("order"))
    assert all(t.start and t.finish for t in tasks), [t.name for t in tasks if not t.start]
    assert Assignment.objects.filter(task=must_task).get().person.full_name == "Inès Garnier"

    # 7. Gantt: every bar says the dates the engine wrote.
    page.locator(".project-tabs").get_by_role("link", name="Gantt").click()
    expect(page.get_by_role("heading", name=re.compile("Gantt — Site de la fromagerie"))).to_be_visible()
    titles = page.locator("#gantt-panel svg g > title").all_text_contents()
    for task in tasks:
        expected = gantt_bar_title(task)
        assert any(t.startswith(expected) for t in titles), f"no bar titled {expected!r} in {titles}"
    shot(page, "workspace-08-gantt")

    # 8. The PDF export carries the project and its tasks.
    text = pdf_text(download_to(page.get_by_role("link", name="PDF", exact=True), tmp_path / "gantt.pdf"))
    assert "Site de la fromagerie" in text
    assert "EX-01" in text and "Formulaire de contact" in text

    # 9. Back to the portfolio: the project's next milestone and its load are there.
    page.locator(".topnav").get_by_role("link", name="Portefeuille", exact=True).click()
    row = page.get_by_role("row", name=re.compile("Site de la fromagerie"))
    expect(row).to_contain_text("Fromagerie Blanc")
    expect(row).to_contain_text("Validation du cahier des charges")
    expect(row.locator(".load")).to_have_text(re.compile(r"^[1-9]\d*\s%$"))
    shot(page, "workspace-09-portfolio")
