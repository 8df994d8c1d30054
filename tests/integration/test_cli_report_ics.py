"""`jalon export CODE --format ics` and `jalon report CODE --format pdf|xlsx|html`: the same
events as the project's calendar page, the tracking app's own report documents, and one
sentence with a non-zero exit code when something is wrong."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from jalon.cli import main
from jalon.meetings.models import Meeting
from jalon.tracking import services
from jalon.tracking.models import StatusReport
from tests.factories import make_org, make_project
from tests.integration.tracking_world import day, staff_project_a

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
MONDAY = day(5)  # 14 January 2030, the second week of the project
TODAY = day(7)  # its Wednesday
WEEK = "the week of 14/01/2030 to 18/01/2030"


@pytest.fixture
def staffed(world):  # type: ignore[no-untyped-def]
    return staff_project_a(world)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):  # type: ignore[no-untyped-def]
    """The command reads today's date; the project runs in January 2030."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def events(data: bytes) -> dict[str, str]:
    """UID -> SUMMARY of every VEVENT, after a strict parse."""
    calendar = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


# --------------------------------------------------------------------------- export --format ics


def test_the_ics_export_holds_the_same_events_as_the_calendar_page(world, staffed, as_role, settings, tmp_path, capsys):
    # The page names its events after the host it is served from; the command after the site's address.
    settings.JALON_BASE_URL = "http://testserver"
    start = dt.datetime(2030, 1, 16, 14, tzinfo=PARIS)
    Meeting.objects.create(organisation=world.project_a.organisation, project=world.project_a, organiser=world.user("pm"),
                           topic="COPIL de janvier", kind="steering", start=start, end=start + dt.timedelta(hours=1))
    target = tmp_path / "boul.ics"

    assert main(["export", "BOUL", "--format", "ics", "--output", str(target)]) == 0

    from_cli = events(target.read_bytes())
    assert sorted(from_cli.values()) == ["Comité de pilotage — COPIL de janvier", "Intégration — Hugo Lefèvre",
                                         "Maquettes — Mona Graphiste", "◆ Validation des maquettes"]
    page = as_role(world, "admin").get(reverse("project_calendar", args=[world.project_a.pk]))
    assert from_cli == events(page.content)
    assert capsys.readouterr().out.startswith(f"{target} (")


def test_the_ics_export_goes_to_stdout_with_a_dash(world, staffed, capsysbinary):
    assert main(["export", "BOUL", "--format", "ics", "-o", "-"]) == 0
    calendar = icalendar.Calendar.from_ical(capsysbinary.readouterr().out)
    milestone = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "◆ Validation des maquettes")
    assert milestone["DTSTART"].dt == staffed.review.finish
    assert str(calendar["X-WR-CALNAME"]) == "BOUL — Refonte boulangerie"


def test_the_ics_export_names_the_file_after_the_code_by_default(world, staffed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "BOUL", "--format", "ics"]) == 0
    assert "◆ Validation des maquettes" in events((tmp_path / "BOUL.ics").read_bytes()).values()


# --------------------------------------------------------------------------- report


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_report_is_a_new_draft_of_the_week_with_the_name_and_the_weather(world, staffed, tmp_path, capsys):
    target = tmp_path / "rapport.pdf"

    assert main(["report", "BOUL", "--format", "pdf", "-o", str(target)]) == 0

    report = StatusReport.objects.get(project=world.project_a)
    assert (report.status, report.period_start) == (StatusReport.Status.DRAFT, MONDAY)
    captured = capsys.readouterr()
    assert captured.err == f"jalon: BOUL: created a draft report for {WEEK}.\n"
    assert captured.out.startswith(f"{target} (")
    text = pdf_text(target)
    assert "Refonte boulangerie" in text
    assert f"Météo du projet : {report.get_weather_display()}" in " ".join(text.split())


def test_the_xlsx_report_reuses_this_weeks_draft_and_computes_it_again(world, staffed, tmp_path, capsys):
    from openpyxl import load_workbook

    draft = services.status_report_create(project=world.project_a, by=None, today=MONDAY)
    draft.decisions = "Valider la charte graphique"
    draft.save()
    target = tmp_path / "rapport.xlsx"

    assert main(["report", "BOUL", "--format", "xlsx", "-o", str(target)]) == 0

    assert capsys.readouterr().err == f"jalon: BOUL: reusing the draft report of {WEEK}, figures and météo computed again today.\n"
    draft.refresh_from_db()
    assert StatusReport.objects.get() == draft and draft.snapshot["status_date"] == TODAY.isoformat()
    book = load_workbook(io.BytesIO(target.read_bytes()))
    summary = {row[0]: row[1] for row in book["Synthèse"].iter_rows(values_only=True)}
    assert summary["Projet"] == "BOUL — Refonte boulangerie"
    assert summary["Météo"] == draft.get_weather_display()
    assert summary["Budget vendu (€ HT)"] == 24500.0
    assert "Valider la charte graphique" in [row[2] for row in book["Réalisé et à venir"].iter_rows(values_only=True)]


def test_no_costs_leaves_money_out_of_the_report(world, staffed, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "client.xlsx"
    assert main(["report", "BOUL", "--format", "xlsx", "--no-costs", "-o", str(target)]) == 0
    labels = [row[0] for row in load_workbook(io.BytesIO(target.read_bytes()))["Synthèse"].iter_rows(values_only=True)]
    assert "Météo" in labels and not any("€" in str(label) for label in labels)


def test_the_html_report_of_a_published_week_escapes_the_project_name(world, staffed, tmp_path, capsys):
    project = world.project_a
    project.name = "Boulangerie <Martin> & fils"
    project.save()
    report = services.status_report_create(project=project, by=None, today=TODAY)
    services.status_report_publish(report=report, by=world.user("pm"))
    published_snapshot = report.snapshot
    target = tmp_path / "rapport.html"

    assert main(["report", "BOUL", "--format", "html", "-o", str(target)]) == 0

    assert "published on" in capsys.readouterr().err
    report.refresh_from_db()
    assert report.snapshot == published_snapshot  # what the client read stays as it was
    html = target.read_text(encoding="utf-8")
    assert "Boulangerie &lt;Martin&gt; &amp; fils" in html and "<Martin>" not in html
    assert report.get_weather_display() in html
    assert 'src="data:image/svg+xml;base64,' in html  # the charts travel inside the file


def test_the_report_is_named_after_the_code_and_the_friday_by_default(world, staffed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["report", "BOUL", "--format", "html"]) == 0
    assert (tmp_path / "rapport-boul-2030-01-18.html").exists()


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("command", [["report", "NOPE"], ["export", "NOPE", "--format", "ics"]])
def test_an_unknown_code_is_one_sentence_and_exit_code_1(world, command, capsys):
    assert main(command) == 1
    assert capsys.readouterr().err == "jalon: no project has the code 'NOPE'\n"


@pytest.mark.parametrize("fmt", [["report", "--format", "html"], ["export", "--format", "ics"]])
def test_a_code_of_two_organisations_needs_the_organisation(world, staffed, fmt, tmp_path, capsys):
    make_project(make_org("Agence Bis"), code="BOUL", name="Homonyme")
    command, options = fmt[0], fmt[1:]
    target = str(tmp_path / "out")

    assert main([command, "BOUL", *options, "-o", target]) == 1
    assert capsys.readouterr().err == ("jalon: several organisations have a project 'BOUL': "
                                       "say which one with --organisation NAME\n")
    assert main([command, "BOUL", *options, "-o", target, "--organisation", "Agence Durand"]) == 0
    assert "Refonte boulangerie" in Path(target).read_text(encoding="utf-8")


def test_an_unwritable_output_is_refused_before_any_report_is_created(world, staffed, tmp_path, capsys):
    target = tmp_path / "missing" / "rapport.pdf"
    assert main(["report", "BOUL", "-o", str(target)]) == 1
    assert capsys.readouterr().err == f"jalon: cannot write {target}: the folder {target.parent} does not exist\n"
    assert not StatusReport.objects.exists()


def test_a_folder_as_output_is_refused_in_one_sentence(world, staffed, tmp_path, capsys):
    assert main(["export", "BOUL", "--format", "ics", "-o", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"jalon: cannot write {tmp_path}: it is a folder\n"
