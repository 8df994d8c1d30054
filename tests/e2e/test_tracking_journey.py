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

from jalon.tracking.models import StatusReport
from tests.e2e.browser import ARTIFACTS, WIDE, download_to, expect, log_in, new_page, pdf_text, shot, wait_for_htmx
from tests.integration.tracking_world import staff_project_a

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def open_as(browser, live_server, username: str, path: str):  # type: ignore[no-untyped-def]
    """A page of its own for each user: the PM, the member and the client are logged in at once."""
    page = new_page(browser, WIDE)
    log_in(page, live_server, username, path=path)
    return page


def pdf_pages(pdf: Path, prefix: str) -> str:
    """The PDF's text, and its pages as PNG in the artefacts (pdftoppm at 60 dpi)."""
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / prefix)], check=True)
    return pdf_text(pdf)


def test_time_logged_and_a_replan_change_the_status_reports_figures_and_weather(live_server, live_world, browser, tmp_path,
                                                                                run_worker_batch):
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
    shot(pm, "tracking-01-report-before")

    # The member starts the mock-ups today's week, ahead of plan, and finds them much bigger.
    member = open_as(browser, live_server, "member", "/temps/")
    expect(member.get_by_role("heading", name=re.compile("Feuille de temps de Mona Graphiste"))).to_be_visible()
    wait_for_htmx(member)
    member.locator(f'input[name="jour-{staffed.mockups.pk}-{monday.isoformat()}"]').fill("1")
    member.locator(f'input[name="raf-{staffed.mockups.pk}"]').fill("12")
    member.get_by_role("button", name="Enregistrer la semaine").click()
    expect(member.locator("#timesheet .message-success")).to_have_text("Temps enregistrés.")
    expect(member.locator("#timesheet tfoot")).to_contain_text("1")
    shot(member, "tracking-02-timesheet-saved")
    # One day is one day: a day and a half on Monday is refused, naming the day.
    member.locator(f'input[name="jour-{staffed.mockups.pk}-{monday.isoformat()}"]').fill("1,5")
    member.get_by_role("button", name="Enregistrer la semaine").click()
    expect(member.locator("#timesheet .alert-error")).to_contain_text("1,5 j saisis pour Mona Graphiste, une journée compte au plus 1 j.")
    shot(member, "tracking-03-timesheet-refused")

    pm.goto(f"{live_server.url}/projets/{project.pk}/replanifier/")
    before = pm.locator(".forecast-end").inner_text()
    pm.get_by_role("button", name="Re-planifier depuis le réalisé").click()
    # The re-plan is queued, not run in the request: a worker takes it, and the page (polling
    # its progress) reloads once it is done.
    expect(pm.locator("#replan-job")).to_contain_text("En attente")
    expect(pm.locator(".forecast-end")).to_have_text(before)
    wait_for_htmx(pm)
    run_worker_batch()
    expect(pm.locator("#replan-job")).to_contain_text("Planning recalculé depuis le réalisé", timeout=5000)
    expect(pm.locator("#replan-job .job-percent")).to_have_text("100 %")
    expect(pm.locator(".forecast-end")).not_to_have_text(before)
    expect(pm.locator("dd.slip")).to_contain_text("jours ouvrés")
    shot(pm, "tracking-04-replanned")

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
    shot(pm, "tracking-05-report-after")

    pdf = download_to(pm.get_by_role("link", name="PDF", exact=True), tmp_path / "rapport.pdf")
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
    shot(client, "tracking-06-client-report")

    pm.goto(f"{live_server.url}/projets/{project.pk}/budget/")
    expect(pm.get_by_role("heading", name=re.compile("Budget et valeur acquise"))).to_be_visible()
    shot(pm, "tracking-07-budget")
    pm.goto(f"{live_server.url}/projets/{project.pk}/devis/")
    pm.get_by_role("button", name="Établir un devis").click()
    expect(pm.get_by_role("heading", name=re.compile(r"Devis D-\d{4}-0001"))).to_be_visible()
    shot(pm, "tracking-08-quote")
    # The manager corrects the draft's lines: one more day on the first, hosting added.
    first_quantity = pm.get_by_label("Quantité (j)", exact=True).first
    first_quantity.fill(str(float(first_quantity.input_value()) + 1))
    pm.get_by_label("Désignation (nouvelle ligne)", exact=True).fill("Hébergement annuel")
    pm.get_by_label("Quantité (j) (nouvelle ligne)", exact=True).fill("1")
    pm.get_by_label("Prix unitaire HT (€) (nouvelle ligne)", exact=True).fill("120")
    pm.get_by_role("button", name="Enregistrer les lignes").click()
    expect(pm.get_by_text(re.compile(r"Lignes du devis D-\d{4}-0001 enregistrées"))).to_be_visible()
    expect(pm.locator("table").first.get_by_text("Hébergement annuel")).to_be_visible()
    shot(pm, "tracking-09-quote-lines")
    quote_pdf = download_to(pm.get_by_role("link", name="Télécharger le PDF"), tmp_path / "devis.pdf")
    quote_text = pdf_pages(quote_pdf, "quote-pdf").replace("\u202f", " ").replace("\u00a0", " ")
    assert "Bon pour accord" in quote_text and "40 €" in quote_text and "Hébergement annuel" in quote_text
