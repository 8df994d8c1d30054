"""The whole planning workspace in a real headless Chromium, as a project manager new to Jalon:
create a project from a template, write two requirements, generate the breakdown, add a person
with a skill, press Planifier, check that the Gantt bars carry the engine's dates, export the PDF
and read its text. Every step leaves a screenshot in test-artifacts/workspace-NN-*.png."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from django.db import connections

from jalon.accounts.models import User
from jalon.projects.models import Assignment, Project, Task, TaskSkill
from jalon.projects.templates_data import template_for
from tests.factories import PASSWORD, make_org, make_person, make_user

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


@pytest.fixture
def page(browser_env):  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` installs Debian's Chromium")
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 860}, accept_downloads=True)
        yield context.new_page()
        context.close()
        browser.close()
        # ORM calls made while Playwright's loop runs open connections of their own; close
        # them here, or PostgreSQL refuses to drop the test database ("being accessed").
        connections.close_all()


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(ARTIFACTS / f"workspace-{name}.png"), full_page=True)


def wait_for_htmx(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function("() => typeof window.htmx === 'object'", timeout=5000)


def add_requirement(page, title: str, priority: str, criteria: str) -> None:  # type: ignore[no-untyped-def]
    form = page.locator("#exigences form").last
    if not form.is_visible():
        page.get_by_text("Ajouter une exigence").click()
    form.get_by_label("Intitulé").fill(title)
    form.get_by_label("Priorité MoSCoW").select_option(label=priority)
    form.get_by_label("Critères d'acceptation").fill(criteria)
    form.get_by_role("button", name="Ajouter l'exigence").click()
    expect(page.locator("#exigences tbody")).to_contain_text(title)


def agency_team_without(organisation, missing: str) -> None:  # type: ignore[no-untyped-def]
    """The agency's existing collaborators: together they hold every skill of the site vitrine
    template except `missing`, which only the person the PM adds will bring."""
    skills = [name for name in template_for("site_vitrine").skill_names if name != missing]
    for index, first in enumerate(("Julien", "Camille", "Hugo")):
        make_person(organisation, first, last_name="Moreau", job_title="Consultant",
                    skills={name: 4 for name in skills[index::3]})


def bar_title(task: Task) -> str:
    """What the Gantt bar's <title> says of a planned task, in the engine's dates."""
    if task.is_milestone:
        return f"{task.name}\nJalon le {task.start:%d/%m/%Y}"
    return f"{task.name}\nDu {task.start:%d/%m/%Y} au {task.finish:%d/%m/%Y}"


def next_monday() -> dt.date:
    today = dt.date.today()
    return today + dt.timedelta(days=7 - today.weekday())


def test_a_new_project_manager_goes_from_the_spec_to_a_feasible_plan(live_server, transactional_db, page, tmp_path):
    # The project starts next Monday, so the portfolio's four-week load sees its first weeks.
    start = next_monday()
    organisation = make_org("Agence Lumière")
    make_user(User.Role.MANAGER, organisation, username="claire", first_name="Claire", last_name="Petit")

    # 1. Log in: an empty portfolio invites to create the first project.
    page.goto(live_server.url + "/")
    page.get_by_label("Identifiant").fill("claire")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Aucun projet pour l'instant")).to_be_visible()
    shot(page, "01-empty-portfolio")

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
    shot(page, "02-new-project-form")
    page.get_by_role("button", name="Créer le projet").click()
    expect(page.locator(".message-success")).to_contain_text("Projet « Site de la fromagerie » créé")
    expect(page.get_by_role("heading", name=re.compile("Site de la fromagerie"))).to_be_visible()
    project = Project.objects.get(code="FROM")
    assert (project.client.name, project.manager.username) == ("Fromagerie Blanc", "claire")
    expect(page.locator(".project-tabs [aria-current=page]")).to_have_text("Aperçu")
    shot(page, "03-project-created")

    # 3. Cahier des charges: two requirements, one Must.
    page.locator(".project-tabs").get_by_role("link", name="Cahier des charges").click()
    expect(page.locator(".spec-head")).to_contain_text("Brouillon")
    wait_for_htmx(page)
    add_requirement(page, "Formulaire de contact", "Indispensable (Must)", "Le message arrive chez la fromagerie.")
    add_requirement(page, "Blog des recettes", "Souhaitable (Could)", "Un article se publie en moins de 5 minutes.")
    expect(page.locator("#exigences tbody tr")).to_have_count(2)
    shot(page, "04-requirements")

    # 4. Générer le découpage: the Must requirement gets its task, the Could one does not.
    page.locator(".project-tabs").get_by_role("link", name="Découpage").click()
    page.get_by_role("button", name="Générer le découpage").click()
    expect(page.locator(".messages")).to_contain_text("1 tâche créée pour une exigence indispensable (Must).")
    expect(page.get_by_role("row", name=re.compile("^EX-01 — Formulaire de contact"))).to_be_visible()
    expect(page.get_by_text("Blog des recettes")).to_have_count(0)
    shot(page, "05-breakdown-generated")
    must_task = Task.objects.get(project=project, name__startswith="EX-01")
    needed = TaskSkill.objects.get(task=must_task).skill.name

    # 5. Équipe: the PM adds the one person holding the skill the Must task needs.
    agency_team_without(organisation, needed)
    page.locator(".topnav").get_by_role("link", name="Équipe").click()
    expect(page.get_by_role("heading", name="Équipe")).to_be_visible()
    page.get_by_text("Ajouter un collaborateur").click()
    page.get_by_label("Prénom").fill("Inès")
    page.get_by_label("Nom", exact=True).fill("Garnier")
    page.get_by_label("Métier").fill("Développeuse web")
    page.get_by_role("button", name="Ajouter le collaborateur").click()
    expect(page.get_by_role("heading", name="Inès Garnier")).to_be_visible()
    page.get_by_label("Compétence").select_option(label=needed)
    page.get_by_label("Niveau").fill("4")
    page.get_by_role("button", name="Ajouter ou modifier").click()
    expect(page.locator("#competences")).to_contain_text("niveau 4/5")
    shot(page, "06-person-with-skill")

    # 6. Planifier.
    page.locator(".topnav").get_by_role("link", name="Portefeuille", exact=True).click()
    page.get_by_role("link", name="Site de la fromagerie").click()
    page.locator(".project-tabs").get_by_role("link", name="Planification").click()
    page.get_by_role("button", name="Planifier", exact=True).click()
    expect(page.locator(".message-success")).to_contain_text("Planning calculé et enregistré : fin le ")
    shot(page, "07-planned")
    tasks = list(Task.objects.filter(project=project).order_by("order"))
    assert all(t.start and t.finish for t in tasks), [t.name for t in tasks if not t.start]
    assert Assignment.objects.filter(task=must_task).get().person.full_name == "Inès Garnier"

    # 7. Gantt: every bar says the dates the engine wrote.
    page.locator(".project-tabs").get_by_role("link", name="Gantt").click()
    expect(page.get_by_role("heading", name=re.compile("Gantt — Site de la fromagerie"))).to_be_visible()
    titles = page.locator("#gantt-panel svg g > title").all_text_contents()
    for task in tasks:
        assert any(t.startswith(bar_title(task)) for t in titles), f"no bar titled {bar_title(task)!r} in {titles}"
    shot(page, "08-gantt")

    # 8. The PDF export carries the project and its tasks.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF", exact=True).click()
    pdf = tmp_path / "gantt.pdf"
    download_info.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Site de la fromagerie" in text
    assert "EX-01" in text and "Formulaire de contact" in text

    # 9. Back to the portfolio: the project's next milestone and its load are there.
    page.locator(".topnav").get_by_role("link", name="Portefeuille", exact=True).click()
    row = page.get_by_role("row", name=re.compile("Site de la fromagerie"))
    expect(row).to_contain_text("Fromagerie Blanc")
    expect(row).to_contain_text("Validation du cahier des charges")
    expect(row.locator(".load")).to_have_text(re.compile(r"^[1-9]\d*\s%$"))
    shot(page, "09-portfolio")
