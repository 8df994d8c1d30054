"""Tracking in a real headless Chromium: a member logs time (HTMX grid), the project manager
re-plans from actuals, and the weekly status report's figures and météo change accordingly;
its PDF is read back with pdftotext and its pages kept as PNG, with screenshots, in
test-artifacts/."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from django.db import connections

from jalon.tracking.models import StatusReport
from tests.factories import PASSWORD
from tests.integration.tracking_world import staff_project_a

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


@pytest.fixture
def browser(browser_env):  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` installs Debian's Chromium")
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_sync.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()
        connections.close_all()


def open_as(browser, live_server, username: str, path: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="fr-FR", viewport={"width": 1360, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(live_server.url + path)
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    return page


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.screenshot(path=str(ARTIFACTS / f"tracking-{name}.png"), full_page=True)


def pdf_pages(pdf: Path, prefix: str) -> str:
    """The PDF's text, and its pages as PNG in the artefacts (pdftoppm at 60 dpi)."""
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / prefix)], check=True)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_time_logged_and_a_replan_change_the_status_reports_figures_and_weather(live_server, live_world, browser, tmp_path):
    today = dt.date.today()
    project = live_world.project_a
    # The project starts next Monday: nothing is due yet, so the first report is sunny.
    project.start_date = today + dt.timedelta(days=7 - today.weekday())
    project.save()
    staffed = staff_project_a(live_world)
    monday = today - dt.timedelta(days=today.weekday())

    pm = open_as(browser, live_server, "pm", f"/projets/{project.pk}/rapports/")
    expect(pm.get_by_role("heading", name=re.compile("Rapports d'avancement"))).to_be_visible()
    pm.get_by_role("button", name="Rapport de la semaine").click()
    expect(pm.locator(".weather-label")).to_contain_text("Ensoleillé")
    expect(pm.locator(".fig-consumed")).to_contain_text("0\u00a0j/h")
    expect(pm.locator(".fig-slip")).to_contain_text("0 j ouvré")
    shot(pm, "01-report-before")

    # The member starts the mock-ups today's week, ahead of plan, and finds them much bigger.
    member = open_as(browser, live_server, "member", "/temps/")
    expect(member.get_by_role("heading", name=re.compile("Feuille de temps de Mona Graphiste"))).to_be_visible()
    member.wait_for_function("() => typeof window.htmx === 'object'")
    member.locator(f'input[name="jour-{staffed.mockups.pk}-{monday.isoformat()}"]').fill("1")
    member.locator(f'input[name="raf-{staffed.mockups.pk}"]').fill("12")
    member.get_by_role("button", name="Enregistrer la semaine").click()
    expect(member.locator("#timesheet .message-success")).to_have_text("Temps enregistrés.")
    expect(member.locator("#timesheet tfoot")).to_contain_text("1")
    shot(member, "02-timesheet-saved")
    # One day is one day: a day and a half on Monday is refused, naming the day.
    member.locator(f'input[name="jour-{staffed.mockups.pk}-{monday.isoformat()}"]').fill("1,5")
    member.get_by_role("button", name="Enregistrer la semaine").click()
    expect(member.locator("#timesheet .alert-error")).to_contain_text("1,5 j saisis pour Mona Graphiste, une journée compte au plus 1 j.")
    shot(member, "03-timesheet-refused")

    pm.goto(f"{live_server.url}/projets/{project.pk}/replanifier/")
    before = pm.locator(".forecast-end").inner_text()
    pm.get_by_role("button", name="Re-planifier depuis le réalisé").click()
    expect(pm.locator(".message-success")).to_contain_text("Planning recalculé depuis le réalisé")
    expect(pm.locator(".forecast-end")).not_to_have_text(before)
    expect(pm.locator("dd.slip")).to_contain_text("jours ouvrés")
    shot(pm, "04-replanned")

    report = StatusReport.objects.get(project=project)
    pm.goto(f"{live_server.url}/projets/{project.pk}/rapports/{report.pk}/")
    pm.get_by_role("button", name="Recalculer les chiffres").click()
    expect(pm.locator(".weather-label")).to_contain_text("Orageux")
    expect(pm.locator(".fig-consumed")).to_contain_text("1\u00a0j/h")
    expect(pm.locator(".fig-cpi")).not_to_have_text("—")
    expect(pm.locator(".fig-slip")).not_to_contain_text("0 j ouvré")
    pm.get_by_label("Décisions attendues du client").fill("Valider le périmètre des maquettes")
    pm.get_by_role("button", name="Enregistrer le rapport").click()
    expect(pm.locator(".report")).to_contain_text("Valider le périmètre des maquettes")
    shot(pm, "05-report-after")

    with pm.expect_download() as download:
        pm.get_by_role("link", name="PDF", exact=True).click()
    pdf = tmp_path / "rapport.pdf"
    download.value.save_as(pdf)
    text = pdf_pages(pdf, "report-pdf")
    report.refresh_from_db()
    flat = text.replace("\u202f", " ").replace("\u00a0", " ")
    for expected in ("Refonte boulangerie", "Météo du projet", "Orageux", "Valider le périmètre des maquettes",
                     "Maquettes", "Burn-down", "Courbe en S", "Jalons", "Risques"):
        assert expected in flat, expected
    assert f"{report.snapshot['budget']['consumed_days'][:-3]} j/h" in flat
    assert report.snapshot["weather"]["computed"] == "stormy"

    pm.get_by_role("button", name="Publier au client").click()
    expect(pm.locator(".status-report-published")).to_be_visible()

    client = open_as(browser, live_server, "client_a", f"/projets/{project.pk}/rapports/{report.pk}/")
    expect(client.locator(".weather-label")).to_contain_text("Orageux")
    expect(client.get_by_text("Courbe en S")).to_have_count(0)
    assert "€" not in client.locator("main").inner_text()
    shot(client, "06-client-report")

    pm.goto(f"{live_server.url}/projets/{project.pk}/budget/")
    expect(pm.get_by_role("heading", name=re.compile("Budget et valeur acquise"))).to_be_visible()
    shot(pm, "07-budget")
    pm.goto(f"{live_server.url}/projets/{project.pk}/devis/")
    pm.get_by_role("button", name="Établir un devis").click()
    expect(pm.get_by_role("heading", name=re.compile(r"Devis D-\d{4}-0001"))).to_be_visible()
    shot(pm, "08-quote")
    with pm.expect_download() as download:
        pm.get_by_role("link", name="Télécharger le PDF").click()
    quote_pdf = tmp_path / "devis.pdf"
    download.value.save_as(quote_pdf)
    quote_text = pdf_pages(quote_pdf, "quote-pdf").replace("\u202f", " ").replace("\u00a0", " ")
    assert "Bon pour accord" in quote_text and "40 €" in quote_text
