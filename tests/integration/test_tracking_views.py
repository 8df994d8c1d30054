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
from django_tasks_db.models import DBTaskResult

from jalon.jobs.models import JobProgress
from jalon.planning.models import PlanRun
from jalon.projects.models import Dependency, Task
from jalon.tracking import services
from jalon.tracking.models import Quote, Risk, StatusReport, TimeEntry
from tests.conftest import ROLE_ORDER
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
    # Each accepted POST queued a job for a worker, none planned in the request.
    assert JobProgress.objects.filter(kind=JobProgress.Kind.REPLAN, project=world.project_a).count() == 2


def test_replan_progress_fragment_rows(world, staffed, as_role, frozen_today):
    services.replan_enqueue(project=world.project_a, by=world.user("pm"))
    url = reverse("tracking_replan", args=[world.project_a.pk])
    row = [as_role(world, role).get(url, headers={"HX-Request": "true"}).status_code for role in ROLE_ORDER]
    assert row == [302, 200, 200, 200, 403, 404, 404]


def log_mockups(staffed) -> None:  # type: ignore[no-untyped-def]
    """Mona logs Maquettes Monday to Thursday of the first week and has 3 days left."""
    iso = day(0).isocalendar()
    services.timesheet_save(person=staffed.mona, year=iso.year, week=iso.week,
                            cells={(staffed.mockups.pk, day(i)): Decimal(1) for i in range(4)},
                            remaining={staffed.mockups.pk: Decimal(3)}, by=None)


def task_dates(staffed) -> list[tuple[dt.date | None, dt.date | None]]:  # type: ignore[no-untyped-def]
    return list(Task.objects.filter(project=staffed.project).order_by("pk").values_list("start", "finish"))


def test_replanning_queues_a_job_and_plans_nothing_in_the_request(world, staffed, as_role, frozen_today):
    log_mockups(staffed)
    before, runs = task_dates(staffed), PlanRun.objects.count()
    http = as_role(world, "pm")
    url = reverse("tracking_replan", args=[world.project_a.pk])
    response = http.post(url)
    assert response.status_code == 303 and response["Location"] == url + "#replan-job"
    assert task_dates(staffed) == before and PlanRun.objects.count() == runs
    job = JobProgress.objects.get(kind=JobProgress.Kind.REPLAN, project=world.project_a)
    assert (job.status, job.requested_by, job.result) == (JobProgress.Status.QUEUED, world.user("pm"), {"today": TODAY.isoformat()})
    page = http.get(url).content.decode()
    assert "En attente" in page and 'hx-trigger="every 1s"' in page
    assert f'<a href="{url}">Actualiser</a>' in page  # without JavaScript, the link reloads the page
    fragment = http.get(url, headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith("<section id=\"replan-job\"")
    assert "HX-Refresh" not in fragment  # still running: the poll goes on


def test_a_replan_that_saves_nothing_shows_why(world, staffed, as_role, frozen_today):
    # An import can bring a cycle the forms would refuse: written without validation.
    Dependency.objects.create(predecessor=staffed.build, successor=staffed.mockups)
    before = task_dates(staffed)
    job = services.replan_enqueue(project=world.project_a, by=world.user("pm"))
    summary = services.replan_run(job_id=job.pk)
    assert summary["saved"] is False and any("Maquettes" in reason for reason in summary["reasons"])
    assert task_dates(staffed) == before
    fragment = as_role(world, "pm").get(reverse("tracking_replan", args=[world.project_a.pk]), headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert "Rien n&#x27;a été enregistré." in text and summary["reasons"][0].replace("'", "&#x27;") in text
    assert fragment["HX-Refresh"] == "true"  # finished: the page reloads once to show the outcome


@pytest.mark.django_db(transaction=True)
def test_a_worker_replans_from_actuals_and_the_page_shows_the_outcome(live_world, as_role, frozen_today, run_worker_batch):
    staffed = staff_project_a(live_world)
    log_mockups(staffed)
    http = as_role(live_world, "pm")
    url = reverse("tracking_replan", args=[live_world.project_a.pk])
    assert http.post(url).status_code == 303
    assert '<dd class="forecast-end">16/01/2030</dd>' in http.get(url).content.decode()  # not moved yet

    run_worker_batch()

    job = JobProgress.objects.get(kind=JobProgress.Kind.REPLAN)
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "SUCCESSFUL"
    assert (job.status, job.percent) == (JobProgress.Status.SUCCEEDED, 100)
    # Maquettes started on day 0 go on with 3 days from Monday 14/01; Intégration follows: 3 days late.
    assert job.result | {"plan_run_id": None} == {
        "today": TODAY.isoformat(), "saved": True, "plan_run_id": None, "done": 0, "started": 1,
        "projects": ["Refonte boulangerie"], "forecast_end": day(10).isoformat(),
        "baseline_end": day(7).isoformat(), "slip_days": 3, "reasons": [],
    }
    staffed.build.refresh_from_db()
    assert (staffed.build.start, staffed.build.finish) == (day(8), day(10))
    page = http.get(url).content.decode()
    assert "100 %" in page and "Terminée" in page and "hx-trigger" not in page
    assert "Planning recalculé depuis le réalisé : 0 tâche(s) terminée(s) conservée(s), 1 en cours poursuivie(s)." in page
    assert '<dd class="job-forecast-end">21/01/2030</dd>' in page and '<dd class="forecast-end">21/01/2030</dd>' in page
    assert "3 jours ouvrés" in page
    assert '<td class="num slip">+3</td>' in page  # the variance table follows the new plan


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


def lines_post(quote: Quote, *, edits: dict[int, dict[str, str]] | None = None, delete: tuple[int, ...] = (),
               new: dict[str, str] | None = None) -> dict[str, str]:
    """The quote's line form as the page sends it: every line as it is, with `edits` (by row),
    the rows of `delete` ticked, and `new` in the blank row."""
    lines = list(quote.lines.all())
    data = {"lines-TOTAL_FORMS": str(len(lines) + 1), "lines-INITIAL_FORMS": str(len(lines)),
            "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "1000"}
    for i, line in enumerate(lines):
        row = {"id": str(line.pk), "quote": str(quote.pk), "label": line.label, "detail": line.detail,
               "quantity": str(line.quantity), "unit_price": str(line.unit_price), **(edits or {}).get(i, {})}
        if i in delete:
            row["DELETE"] = "on"
        data.update({f"lines-{i}-{k}": v for k, v in row.items()})
    blank = {"id": "", "quote": str(quote.pk), "label": "", "detail": "", "quantity": "", "unit_price": "", **(new or {})}
    data.update({f"lines-{len(lines)}-{k}": v for k, v in blank.items()})
    return data


def test_a_manager_edits_adds_and_deletes_the_lines_of_a_draft_quote(world, staffed, as_role):
    quote = services.quote_create(project=world.project_a, by=None)
    before = [(line.label, line.quantity, line.unit_price) for line in quote.lines.all()]
    assert len(before) == 2 and quote.totals().subtotal == Decimal("3750.00")
    url = reverse("tracking_quote_lines", args=[world.project_a.pk, quote.pk])
    http = as_role(world, "pm")
    data = lines_post(quote, edits={0: {"quantity": "6", "unit_price": "500"}}, delete=(1,),
                      new={"label": "Hébergement <b>1 an</b>", "quantity": "1", "unit_price": "120.50"})
    response = http.post(url, data)
    assert response.status_code == 303
    lines = list(quote.lines.all())
    assert [(line.label, line.quantity, line.unit_price, line.order) for line in lines] == [
        (before[0][0], Decimal("6.00"), Decimal("500.00"), 0),
        ("Hébergement <b>1 an</b>", Decimal("1.00"), Decimal("120.50"), 1),
    ]
    assert quote.totals().subtotal == Decimal("3120.50")
    page = http.get(reverse("tracking_quote", args=[world.project_a.pk, quote.pk])).content.decode()
    assert "Lignes du devis" in page and "Hébergement &lt;b&gt;1 an&lt;/b&gt;" in page and "<b>1 an</b>" not in page
    assert "3\u202f120,50\u00a0€" in page or "3 120,50" in page.replace("\u202f", " ").replace("\u00a0", " ")


def test_a_wrong_line_is_shown_with_its_error_and_nothing_is_saved(world, staffed, as_role):
    quote = services.quote_create(project=world.project_a, by=None)
    before = list(quote.lines.values_list("label", "quantity", "unit_price"))
    url = reverse("tracking_quote_lines", args=[world.project_a.pk, quote.pk])
    http = as_role(world, "pm")
    response = http.post(url, lines_post(quote, edits={0: {"quantity": "-2"}}, new={"label": "Recette", "quantity": "1",
                                                                                      "unit_price": "400"}))
    assert response.status_code == 400
    assert "La quantité ne peut pas être négative." in response.content.decode()
    assert list(quote.lines.values_list("label", "quantity", "unit_price")) == before
    # A new line needs its quantity and price.
    response = http.post(url, lines_post(quote, new={"label": "Recette"}))
    assert response.status_code == 400 and quote.lines.count() == 2
    # Deleting every line is refused: a quote keeps at least one.
    response = http.post(url, lines_post(quote, delete=(0, 1)))
    assert response.status_code == 400 and "Un devis garde au moins une ligne." in response.content.decode()
    assert list(quote.lines.values_list("label", "quantity", "unit_price")) == before


def test_the_lines_of_a_sent_quote_cannot_be_changed(world, staffed, as_role):
    quote = services.quote_create(project=world.project_a, by=None)
    services.quote_set_status(quote=quote, status="sent", by=None)
    before = list(quote.lines.values_list("label", "quantity", "unit_price"))
    http = as_role(world, "pm")
    detail = reverse("tracking_quote", args=[world.project_a.pk, quote.pk])
    assert "Modifier les lignes" not in http.get(detail).content.decode()
    url = reverse("tracking_quote_lines", args=[world.project_a.pk, quote.pk])
    response = http.post(url, lines_post(quote, edits={0: {"unit_price": "1"}}), follow=True)
    assert "plus un brouillon" in response.content.decode()
    assert list(quote.lines.values_list("label", "quantity", "unit_price")) == before


def test_a_line_of_another_quote_cannot_be_edited_through_this_one(world, staffed, as_role):
    quote = services.quote_create(project=world.project_a, by=None)
    other = services.quote_create(project=world.project_a, by=None)
    foreign = other.lines.first()
    data = lines_post(quote, edits={0: {"id": str(foreign.pk), "unit_price": "1"}})
    as_role(world, "pm").post(reverse("tracking_quote_lines", args=[world.project_a.pk, quote.pk]), data)
    # Django's formset takes an id outside the quote's lines for a new line: the other quote's
    # line is left as it was.
    price = foreign.unit_price
    foreign.refresh_from_db()
    assert (foreign.unit_price, foreign.quote_id) == (price, other.pk)
    assert list(other.lines.values_list("unit_price", flat=True)) == [price, Decimal("450.00")]


def test_only_the_project_managers_edit_quote_lines(world, staffed, status_row):
    quote = services.quote_create(project=world.project_a, by=None)
    url = reverse("tracking_quote_lines", args=[world.project_a.pk, quote.pk])
    data = lines_post(quote, edits={0: {"unit_price": "1"}})
    codes = status_row(world, "POST", url, data)
    assert codes[:1] == [302] and codes[3:] == [403, 403, 404, 404]
    assert quote.lines.get(order=0).unit_price == Decimal("1.00")  # the admin and the pm may


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
