"""A project manager's first visit, in a real headless Chromium: log in, read the portfolio,
open a project, check its plan in the background, switch the interface to English."""

from __future__ import annotations

import re

import pytest

from tests.e2e.browser import expect, fill_login_form, shot, wait_for_htmx
from tests.factories import make_dependency, make_task

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def test_a_project_manager_logs_in_reads_the_portfolio_checks_a_plan_and_switches_to_english(
    live_server, live_world, page, run_worker_batch
):
    project = live_world.project_a
    review = project.tasks.get(name="Validation des maquettes")
    make_dependency(project.tasks.get(name="Maquettes"), review)
    make_dependency(review, make_task(project, "Intégration", effort_days=3, phase=project.phases.get(), order=3))

    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/connexion/\?next=/$"))
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    shot(page, "01-login")
    fill_login_form(page, "pm")

    expect(page.get_by_role("heading", name="Portefeuille de projets")).to_be_visible()
    expect(page.locator(".who")).to_contain_text("Paul Martin")
    expect(page.locator(".who")).to_contain_text("Chef de projet")
    row = page.get_by_role("row", name=re.compile("Refonte boulangerie"))
    expect(row).to_contain_text("Boulangerie Martin")
    expect(row).to_contain_text("Validation des maquettes")
    expect(page.get_by_text("Boutique cave")).to_have_count(0)
    shot(page, "02-portfolio-fr")

    page.get_by_role("link", name="Refonte boulangerie").click()
    expect(page.get_by_role("heading", name=re.compile("Refonte boulangerie"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Phases et tâches"))).to_be_visible()
    expect(page.get_by_role("cell", name="Maquettes", exact=True)).to_be_visible()
    expect(page.get_by_text("24\xa0500 € HT")).to_be_visible()
    shot(page, "03-project-fr")

    page.get_by_role("button", name="Vérifier le planning").click()
    expect(page.get_by_role("heading", name="Vérification du planning")).to_be_visible()
    expect(page.locator(".job")).to_contain_text("En attente")
    wait_for_htmx(page)
    shot(page, "04-check-queued")
    run_worker_batch()
    # No reload: HTMX polls the fragment every second and swaps in the finished state.
    expect(page.locator(".job")).to_contain_text("Terminée", timeout=5000)
    expect(page.locator(".job")).to_contain_text("8 jours ouvrés")
    expect(page.locator(".critical-path li")).to_have_text(["Maquettes", "Validation des maquettes", "Intégration"])
    shot(page, "05-check-done")

    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", name="Schedule check")).to_be_visible()
    expect(page.locator(".job")).to_contain_text("8 working days")
    page.get_by_role("link", name="Back to the project").click()
    expect(page.get_by_role("heading", name=re.compile("Phases and tasks"))).to_be_visible()
    expect(page.get_by_role("button", name="Check the schedule")).to_be_visible()
    expect(page.locator(".who")).to_contain_text("Project manager")
    shot(page, "06-project-en")
    page.get_by_role("link", name="Portfolio").first.click()
    expect(page.get_by_role("heading", name="Project portfolio")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Refonte boulangerie"))).to_contain_text("Showcase website")
    shot(page, "07-portfolio-en")
