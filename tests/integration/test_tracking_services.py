"""Tracking services on the database: timesheets, re-planning from actuals, budget, quotes,
status reports and the portfolio report (run by a real worker)."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jalon.jobs.models import JobProgress
from jalon.tracking import documents, selectors, services
from jalon.tracking.models import Quote, Risk, StatusReport
from tests.factories import make_org, make_project, make_task
from tests.integration.tracking_world import day, staff_project_a

pytestmark = pytest.mark.django_db
WEEK1 = day(0).isocalendar()


@pytest.fixture
def staffed(world):  # type: ignore[no-untyped-def]
    return staff_project_a(world)


def log(staffed, days: dict[int, str], remaining: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Mona logs Maquettes on these working days of the project (week of each day)."""
    by_week: dict[tuple[int, int], dict] = {}
    for offset, value in days.items():
        iso = day(offset).isocalendar()
        by_week.setdefault((iso.year, iso.week), {})[(staffed.mockups.pk, day(offset))] = Decimal(value)
    for (year, week), cells in by_week.items():
        services.timesheet_save(person=staffed.mona, year=year, week=week, cells=cells,
                                remaining={staffed.mockups.pk: Decimal(remaining)} if remaining is not None else {}, by=None)


# --------------------------------------------------------------------------- timesheets


def test_quarter_days_only_and_the_message_names_the_task_and_day():
    with pytest.raises(ValidationError, match="« Maquettes », mardi : saisissez des quarts de journée"):
        services.parse_days("0,3", "« Maquettes », mardi")
    assert services.parse_days("0,75", "x") == Decimal("0.75")
    assert services.parse_days(" ", "x") is None


def test_remaining_work_sets_progress_and_zero_marks_the_task_done(staffed):
    log(staffed, {0: "1", 1: "1"}, remaining="6")
    staffed.mockups.refresh_from_db()
    assert staffed.mockups.progress == Decimal("25.00")  # 2 logged / (2 + 6)
    log(staffed, {2: "1"}, remaining="0")
    staffed.mockups.refresh_from_db()
    assert staffed.mockups.progress == 100


def test_a_task_the_person_is_not_on_is_refused(staffed):
    with pytest.raises(ValidationError, match="Mona Graphiste n'est pas affecté"):
        services.timesheet_save(person=staffed.mona, year=WEEK1.year, week=WEEK1.week,
                                cells={(staffed.build.pk, day(0)): Decimal(1)}, remaining={}, by=None)


def test_only_past_weeks_can_be_locked(world, staffed):
    with pytest.raises(ValidationError, match="n'est pas terminée"):
        services.timesheet_lock(organisation=world.project_a.organisation, year=WEEK1.year, week=WEEK1.week,
                                by=world.user("pm"), today=day(3))
    lock = services.timesheet_lock(organisation=world.project_a.organisation, year=WEEK1.year, week=WEEK1.week,
                                   by=world.user("pm"), person=staffed.mona, today=day(5))
    assert selectors.week_locked(staffed.mona, WEEK1.year, WEEK1.week)
    assert not selectors.week_locked(staffed.hugo, WEEK1.year, WEEK1.week)
    with pytest.raises(ValidationError, match="verrouillée"):
        log(staffed, {0: "1"})
    services.timesheet_unlock(lock=lock)
    log(staffed, {0: "1"})


def test_time_by_phase_and_person(staffed):
    log(staffed, {0: "1", 1: "0.5"})
    table = selectors.project_time(staffed.project)
    assert table.people == ["Mona Graphiste"]
    assert table.rows == [("Design UI", [Decimal("1.5")], Decimal("1.5"))]


# --------------------------------------------------------------------------- re-planning


def test_a_started_task_keeps_its_start_and_goes_on_with_its_remaining_work_from_today(staffed):
    log(staffed, {0: "1", 1: "1", 2: "1", 3: "1"}, remaining="3")
    outcome = services.project_replan(project=staffed.project, by=None, today=day(5), max_iterations=20)
    assert outcome.saved and (outcome.done, outcome.started) == (0, 1)
    for task in (staffed.mockups, staffed.review, staffed.build):
        task.refresh_from_db()
    # Started on day 0, 3 days left from Monday 14/01: Monday to Wednesday.
    assert (staffed.mockups.start, staffed.mockups.finish) == (day(0), day(7))
    assert staffed.review.finish == day(7)
    assert (staffed.build.start, staffed.build.finish) == (day(8), day(10))
    snapshot = documents.report_snapshot(staffed.project, day(5), day(9), day(5))
    assert snapshot["slip_days"] == 3
    assert snapshot["forecast_end"] == day(10).isoformat()


def test_a_done_task_stays_on_its_actual_dates_and_the_rest_starts_today(staffed):
    log(staffed, {0: "1", 1: "1", 2: "1"}, remaining="0")  # finished early, on Wednesday
    outcome = services.project_replan(project=staffed.project, by=None, today=day(7), max_iterations=20)
    assert outcome.saved and (outcome.done, outcome.started) == (1, 0)
    for task in (staffed.mockups, staffed.build):
        task.refresh_from_db()
    assert (staffed.mockups.start, staffed.mockups.finish) == (day(0), day(2))
    # Not started: planned again from today (Wednesday 16/01), not from the baseline's Monday.
    assert (staffed.build.start, staffed.build.finish) == (day(7), day(9))


def test_a_replan_job_reports_its_steps_in_words_then_its_outcome(staffed, monkeypatch):
    log(staffed, {0: "1", 1: "1", 2: "1", 3: "1"}, remaining="3")
    steps: list[tuple[int, str]] = []
    report = services.job_report_progress

    def recorded(**progress) -> None:  # type: ignore[no-untyped-def]
        steps.append((progress["percent"], progress["message"]))
        report(**progress)

    monkeypatch.setattr(services, "job_report_progress", recorded)
    job = services.replan_enqueue(project=staffed.project, by=None, today=day(5))
    summary = services.replan_run(job_id=job.pk)
    assert steps == [
        (5, "Lecture des temps passés…"), (20, "Planification de 1 projet…"), (90, "Enregistrement…"),
        (100, "Planning recalculé depuis le réalisé : 0 tâche(s) terminée(s) conservée(s), 1 en cours poursuivie(s)."),
    ]
    assert (summary["forecast_end"], summary["baseline_end"], summary["slip_days"]) == (
        day(10).isoformat(), day(7).isoformat(), 3)
    job.refresh_from_db()
    assert (job.status, job.result) == (JobProgress.Status.SUCCEEDED, summary)


def test_planning_without_actuals_still_replans_from_the_project_start(staffed):
    from jalon.planning.services import project_plan

    log(staffed, {0: "1", 1: "1", 2: "1"}, remaining="0")
    project_plan(project=staffed.project, by=None, max_iterations=20)
    staffed.build.refresh_from_db()
    assert staffed.build.start == day(5)


# --------------------------------------------------------------------------- budget


def test_budget_figures_follow_time_logged_and_rates(staffed):
    log(staffed, {0: "1", 1: "1", 2: "1", 3: "1"}, remaining="3")
    budget = selectors.project_budget(staffed.project, day(5))
    assert budget.planned_days == 8 and budget.planned_cost == Decimal("2250")  # 5 × 300 + 3 × 250
    assert budget.consumed_days == 4 and budget.actual_cost == Decimal("1200")
    assert budget.remaining_days == 6  # 3 on Maquettes, 3 on Intégration
    assert budget.forecast_cost == Decimal("1200") + 3 * 300 + 3 * 250
    assert budget.margin == Decimal("24500") - budget.forecast_cost
    ind = budget.indicators
    assert ind.pv == Decimal("1750")  # Maquettes whole, a third of Intégration (Monday of 3 days)
    assert ind.ev == Decimal("857.10")  # 1,500 × 57.14 % (4/7, progress is stored to the hundredth)
    assert ind.cpi < Decimal("0.85")


# --------------------------------------------------------------------------- quotes


def test_quotes_are_numbered_in_sequence_per_organisation_and_year(world, staffed):
    first = services.quote_create(project=staffed.project, by=None, today=dt.date(2026, 12, 30))
    second = services.quote_create(project=staffed.project, by=None, today=dt.date(2026, 12, 31))
    next_year = services.quote_create(project=staffed.project, by=None, today=dt.date(2027, 1, 2))
    elsewhere = make_project(make_org("Autre agence"))
    make_task(elsewhere, "Audit", effort_days=2)
    other = services.quote_create(project=elsewhere, by=None, today=dt.date(2026, 12, 31))
    assert [first.number, second.number, next_year.number, other.number] == [
        "D-2026-0001", "D-2026-0002", "D-2027-0001", "D-2026-0001"]


def test_a_quote_totals_discount_and_vat_to_the_cent(staffed):
    quote = services.quote_create(project=staffed.project, by=None)
    quote.discount_percent = Decimal("5")
    services.quote_save(quote=quote)
    totals = quote.totals()
    assert totals.subtotal == Decimal("3750.00")
    assert (totals.discount, totals.net, totals.vat, totals.total) == (
        Decimal("187.50"), Decimal("3562.50"), Decimal("712.50"), Decimal("4275.00"))


def test_quote_status_moves_on_and_acceptance_sets_the_budget(staffed):
    quote = services.quote_create(project=staffed.project, by=None)
    with pytest.raises(ValidationError, match=f"Le devis {quote.number} est « Brouillon » : il ne peut pas passer à « Accepté »"):
        services.quote_set_status(quote=quote, status=Quote.Status.ACCEPTED, by=None)
    services.quote_set_status(quote=quote, status=Quote.Status.SENT, by=None)
    with pytest.raises(ValidationError, match="n'est plus un brouillon"):
        services.quote_save(quote=quote)
    services.quote_set_status(quote=quote, status=Quote.Status.ACCEPTED, by=None)
    staffed.project.refresh_from_db()
    assert (staffed.project.budget_amount, staffed.project.sold_days) == (Decimal("3750.00"), Decimal("8.00"))


def test_the_quote_pdf_carries_the_french_mentions(world, staffed, tmp_path):
    org = world.project_a.organisation
    org.siret, org.vat_rate, org.address = "12345678900011", Decimal("0"), "3 rue des Lilas\n69001 Lyon"
    org.save()
    quote = services.quote_create(project=staffed.project, by=None)
    assert quote.vat_exempt and quote.vat_rate == 0
    path = tmp_path / "devis.pdf"
    path.write_bytes(documents.quote_pdf(quote))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for mention in ("DEVIS", quote.number, "SIRET 12345678900011", "TVA non applicable, art. 293 B du CGI",
                    "40 €", "Bon pour accord", "Conditions de paiement", "Boulangerie Martin", "3 750,00 €"):
        assert mention in text.replace("\u202f", " ").replace("\u00a0", " "), mention


def test_a_vat_exempt_quote_must_be_at_zero_percent(staffed):
    quote = services.quote_create(project=staffed.project, by=None)
    quote.vat_exempt = True
    with pytest.raises(ValidationError, match="franchise de TVA facture à 0"):
        services.quote_save(quote=quote)


# --------------------------------------------------------------------------- status reports


def test_the_weather_is_sunny_on_plan_and_turns_stormy_once_the_work_overruns(world, staffed):
    log(staffed, {0: "1", 1: "1"}, remaining="3")
    report = services.status_report_create(project=staffed.project, by=world.user("pm"), today=day(1))
    assert report.computed_weather == "sunny", report.snapshot["indicators"]
    log(staffed, {2: "1", 3: "1", 4: "1"}, remaining="4")
    services.project_replan(project=staffed.project, by=None, today=day(5), max_iterations=20)
    services.status_report_refresh(report=report, today=day(5))
    assert report.computed_weather == "stormy"
    assert set(report.snapshot["weather"]["reasons"]) == {"spi_low", "cpi_low", "milestone_late"}
    assert report.snapshot["budget"]["consumed_days"] == "5.00"


def test_a_published_report_is_frozen_and_listed_for_the_client(world, staffed):
    Risk.objects.create(project=staffed.project, title="Contenus en retard", probability=4, impact=4, owner=staffed.mona)
    report = services.status_report_create(project=staffed.project, by=None, today=day(5))
    assert report.snapshot["risks"][0]["score"] == 16
    assert not selectors.published_reports_for(staffed.project).exists()
    services.status_report_publish(report=report, by=world.user("pm"))
    assert list(selectors.published_reports_for(staffed.project)) == [report]
    with pytest.raises(ValidationError, match="publié au client"):
        services.status_report_refresh(report=report, today=day(6))
    assert report.status == StatusReport.Status.PUBLISHED


def test_the_portfolio_report_runs_in_a_worker_with_progress(live_world, run_worker_batch):
    # A committed world: the worker closes the connections it used.
    staff_project_a(live_world)
    job = services.portfolio_report_enqueue(user=live_world.user("pm"))
    assert job.status == JobProgress.Status.QUEUED
    run_worker_batch()
    job.refresh_from_db()
    assert job.status == JobProgress.Status.SUCCEEDED and job.percent == 100
    assert [line["name"] for line in job.result["projects"]] == ["Refonte boulangerie"]
    assert job.result["projects"][0]["sold_amount"] == "24500.00"
