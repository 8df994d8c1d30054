"""Every role against every tracking view (rows in tests/conftest.py ROLE_ORDER:
anonymous, admin, pm, member, client_a, client_b, outsider), and what each page shows.

302 = to the login page, 303 = action accepted, 404 = not shown to this user, 403 = visible
but not allowed (clients on agency pages, members on manager actions)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from jalon.tracking import services
from jalon.tracking.models import Quote, Risk, StatusReport, TimeEntry
from tests.integration.tracking_world import day, staff_project_a

pytestmark = pytest.mark.django_db

ANON, ADMIN, PM, MEMBER, CLIENT_A, CLIENT_B, OUTSIDER = range(7)
TODAY = day(5)


@pytest.fixture
def staffed(world):  # type: ignore[no-untyped-def]
    return staff_project_a(world)


@pytest.fixture
def frozen_today(monkeypatch):  # type: ignore[no-untyped-def]
    """The views read today's date; the project runs in January 2030."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def week_url(name: str = "timesheet") -> str:
    iso = day(0).isocalendar()
    return reverse(name, args=[iso.year, iso.week])


# --------------------------------------------------------------------------- timesheets


def test_timesheet_rows(world, staffed, status_row):
    # Every agency person has a timesheet; admin and pm have no collaborator record (404),
    # clients none at all.
    from tests.factories import make_person

    make_person(world.project_a.organisation, "Alice", user=world.user("admin"))
    assert status_row(world, "GET", week_url()) == [302, 200, 404, 200, 403, 403, 404]


def test_another_persons_timesheet_opens_for_leads_only(world, staffed, status_row):
    url = week_url() + f"?personne={staffed.hugo.pk}"
    assert status_row(world, "GET", url) == [302, 200, 200, 404, 403, 403, 404]


def test_a_member_logs_their_own_week_through_htmx(world, staffed, as_role):
    http = as_role(world, "member")
    mockups = staffed.mockups
    data = {f"jour-{mockups.pk}-{day(i).isoformat()}": "1" for i in range(2)} | {f"raf-{mockups.pk}": "3,5"}
    response = http.post(week_url(), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Temps enregistrés." in response.content.decode()
    assert TimeEntry.objects.filter(person=staffed.mona).count() == 2
    mockups.refresh_from_db()
    assert mockups.remaining_days == Decimal("3.5")


def test_more_than_a_day_on_a_day_is_refused_naming_the_day_and_keeping_what_was_typed(world, staffed, as_role):
    http = as_role(world, "member")
    other = staffed.build
    other.assignments.create(person=staffed.mona)
    data = {f"jour-{staffed.mockups.pk}-{day(1).isoformat()}": "0,75", f"jour-{other.pk}-{day(1).isoformat()}": "0,5"}
    response = http.post(week_url(), data, headers={"HX-Request": "true"})
    assert response.status_code == 200  # HTMX swaps only 2xx: the errors travel in the fragment
    text = response.content.decode()
    assert "Rien n'a été enregistré" in text
    assert "Mardi 08/01/2030 : 1,25 j saisis pour Mona Graphiste, une journée compte au plus 1 j." in text
    assert 'value="0,75"' in text
    assert not TimeEntry.objects.exists()


def test_a_locked_week_shows_disabled_and_refuses_edits(world, staffed, as_role):
    iso = day(0).isocalendar()
    services.timesheet_lock(organisation=world.project_a.organisation, year=iso.year, week=iso.week, by=world.user("pm"),
                            today=day(10))
    http = as_role(world, "member")
    page = http.get(week_url()).content.decode()
    assert "est verrouillée" in page and "disabled" in page
    response = http.post(week_url(), {f"jour-{staffed.mockups.pk}-{day(0).isoformat()}": "1"})
    assert response.status_code == 400
    assert not TimeEntry.objects.exists()


def test_lock_page_rows(world, staffed, status_row):
    assert status_row(world, "GET", reverse("timesheet_locks")) == [302, 200, 200, 403, 403, 403, 200]


# --------------------------------------------------------------------------- project pages


@pytest.mark.parametrize("name", ["tracking_time", "tracking_budget", "tracking_replan", "tracking_risks"])
def test_project_tracking_pages_are_for_the_agency(world, staffed, status_row, frozen_today, name):
    url = reverse(name, args=[world.project_a.pk])
    assert status_row(world, "GET", url) == [302, 200, 200, 200, 403, 404, 404]


def test_replan_post_row(world, staffed, status_row, frozen_today):
    url = reverse("tracking_replan", args=[world.project_a.pk])
    assert status_row(world, "POST", url) == [302, 303, 303, 403, 403, 404, 404]


def test_risk_create_row_and_register(world, staffed, status_row, as_role):
    url = reverse("tracking_risks", args=[world.project_a.pk])
    data = {"title": "Retard des contenus client", "probability": "4", "impact": "3", "owner": str(staffed.mona.pk),
            "mitigation": "Relance hebdomadaire", "status": "open"}
    assert status_row(world, "POST", url, data) == [302, 303, 303, 403, 403, 404, 404]
    assert Risk.objects.filter(project=world.project_a).count() == 2
    page = as_role(world, "member").get(url).content.decode()
    assert "Retard des contenus client" in page and ">12<" in page


def test_budget_page_shows_figures_and_both_charts(world, staffed, as_role, frozen_today):
    iso = day(0).isocalendar()
    services.timesheet_save(person=staffed.mona, year=iso.year, week=iso.week,
                            cells={(staffed.mockups.pk, day(i)): Decimal(1) for i in range(4)}, remaining={}, by=None)
    page = as_role(world, "pm").get(reverse("tracking_budget", args=[world.project_a.pk])).content.decode()
    assert "24\u202f500,00\u00a0€" in page  # sold
    assert "1\u202f200,00\u00a0€" in page  # 4 days × 300 €
    assert "Courbe en S" in page and "Burn-down" in page
    assert page.count("<svg") >= 2


# --------------------------------------------------------------------------- quotes


def test_quote_rows(world, staffed, status_row, as_role):
    url = reverse("tracking_quotes", args=[world.project_a.pk])
    assert status_row(world, "GET", url) == [302, 200, 200, 403, 403, 404, 404]
    assert status_row(world, "POST", url) == [302, 303, 303, 403, 403, 404, 404]
    assert list(Quote.objects.values_list("number", flat=True).order_by("sequence")) == [
        f"D-{dt.date.today().year}-0001", f"D-{dt.date.today().year}-0002"]
    quote = Quote.objects.order_by("sequence").first()
    detail = reverse("tracking_quote", args=[world.project_a.pk, quote.pk])
    assert status_row(world, "GET", detail) == [302, 200, 200, 403, 403, 404, 404]
    pdf = reverse("tracking_quote_pdf", args=[world.project_a.pk, quote.pk])
    assert status_row(world, "GET", pdf) == [302, 200, 200, 403, 403, 404, 404]


def test_accepting_a_quote_through_the_page_sets_the_budget(world, staffed, as_role):
    quote = services.quote_create(project=world.project_a, by=None)
    http = as_role(world, "pm")
    url = reverse("tracking_quote_status", args=[world.project_a.pk, quote.pk])
    assert http.post(url, {"status": "accepted"}).status_code == 303  # refused: a draft is sent first
    quote.refresh_from_db()
    assert quote.status == "draft"
    http.post(url, {"status": "sent"})
    http.post(url, {"status": "accepted"})
    world.project_a.refresh_from_db()
    assert world.project_a.budget_amount == Decimal("3750.00")  # 5 j × 480 € + 3 j × 450 €
    assert world.project_a.sold_days == Decimal("8.00")


# --------------------------------------------------------------------------- status reports


def test_report_rows_clients_see_only_published_reports_without_money(world, staffed, status_row, as_role, frozen_today):
    report = services.status_report_create(project=world.project_a, by=None, today=TODAY)
    detail = reverse("tracking_report", args=[world.project_a.pk, report.pk])
    assert status_row(world, "GET", detail) == [302, 200, 200, 200, 404, 404, 404]
    listing = reverse("tracking_reports", args=[world.project_a.pk])
    assert status_row(world, "GET", listing) == [302, 200, 200, 200, 200, 404, 404]
    publish = reverse("tracking_report_publish", args=[world.project_a.pk, report.pk])
    assert status_row(world, "POST", publish) == [302, 303, 303, 403, 403, 404, 404]
    report.refresh_from_db()
    assert report.status == StatusReport.Status.PUBLISHED
    assert status_row(world, "GET", detail) == [302, 200, 200, 200, 200, 404, 404]
    client_page = as_role(world, "client_a").get(detail).content.decode()
    assert "Météo du projet" in client_page
    assert "€" not in client_page and "Courbe en S" not in client_page
    assert "€" in as_role(world, "pm").get(detail).content.decode()


def test_report_exports_rows_and_the_pdf_text(world, staffed, status_row, as_role, frozen_today, tmp_path):
    report = services.status_report_create(project=world.project_a, by=None, today=TODAY)
    services.status_report_publish(report=report, by=world.user("pm"))
    pdf = reverse("tracking_report_export", args=[world.project_a.pk, report.pk, "pdf"])
    xlsx = reverse("tracking_report_export", args=[world.project_a.pk, report.pk, "xlsx"])
    assert status_row(world, "GET", xlsx) == [302, 200, 200, 200, 200, 404, 404]
    body = as_role(world, "client_a").get(pdf).content
    path = tmp_path / "client.pdf"
    path.write_bytes(body)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Rapport d'avancement" in text.replace("’", "'")
    assert "Refonte boulangerie" in text and "Météo du projet" in text
    assert "€" not in text
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(as_role(world, "pm").get(xlsx).content))
    assert book.sheetnames[:4] == ["Synthèse", "Réalisé et à venir", "Jalons", "Risques"]
    summary = {row[0]: row[1] for row in book["Synthèse"].iter_rows(values_only=True)}
    assert summary["Budget vendu (€ HT)"] == 24500.0


def test_report_create_row(world, staffed, status_row, frozen_today):
    url = reverse("tracking_reports", args=[world.project_a.pk])
    assert status_row(world, "POST", url) == [302, 303, 303, 403, 403, 404, 404]


def test_overriding_the_weather_needs_a_reason(world, staffed, as_role, frozen_today):
    report = services.status_report_create(project=world.project_a, by=None, today=TODAY)
    other = "sunny" if report.computed_weather != "sunny" else "stormy"
    http = as_role(world, "pm")
    url = reverse("tracking_report", args=[world.project_a.pk, report.pk])
    response = http.post(url, {"weather_override": other, "override_reason": ""})
    assert response.status_code == 400
    assert "Dites pourquoi la météo retenue diffère" in response.content.decode()
    assert http.post(url, {"weather_override": other, "override_reason": "Le client a validé hier."}).status_code == 303
    report.refresh_from_db()
    assert report.weather == other


# --------------------------------------------------------------------------- portfolio report


def test_portfolio_report_rows(world, staffed, status_row):
    assert status_row(world, "GET", reverse("tracking_portfolio")) == [302, 200, 200, 403, 403, 403, 200]
    assert status_row(world, "POST", reverse("tracking_portfolio")) == [302, 303, 303, 403, 403, 403, 303]
