"""A project manager's first visit, in a real headless Chromium: log in, read the portfolio,
open a project, check its plan in the background, switch the interface to English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connections

from tests.factories import PASSWORD, make_dependency, make_task

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
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 860})
        yield context.new_page()
        context.close()
        browser.close()
        # ORM calls made while Playwright's loop runs open connections of their own; close
        # them here, or PostgreSQL refuses to drop the test database ("being accessed").
        connections.close_all()


def wait_for_htmx(page) -> None:  # type: ignore[no-untyped-def]
    """htmx is loaded with `defer`: it may run a moment after the text is on screen."""
    try:
        page.wait_for_function("() => typeof window.htmx === 'object'", timeout=5000)
    except playwright_sync.TimeoutError:
        pytest.fail("htmx is not served: `make static` copies it from node_modules into jalon/static/vendor/")


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


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
    page.get_by_label("Identifiant").fill("pm")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

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
