"""The month calendar: Monday-first weeks with ISO numbers, holidays named, milestones placed."""

from __future__ import annotations

from datetime import date

import pytest
from django.template.loader import render_to_string

from jalon.engine.calendar import WorkCalendar
from jalon.reports.calendar_view import month_calendar
from jalon.reports.gantt import GanttError


def test_the_grid_runs_monday_to_sunday_with_iso_week_numbers() -> None:
    context = month_calendar([], date(2030, 5, 17))
    weeks = context["weeks"]
    assert context["title"] == "mai 2030"
    assert [w["number"] for w in weeks] == [18, 19, 20, 21, 22]
    assert weeks[0]["days"][0]["date"] == date(2030, 4, 29) and not weeks[0]["days"][0]["in_month"]
    assert weeks[-1]["days"][-1]["date"] == date(2030, 6, 2)
    assert context["previous_month"] == date(2030, 4, 1) and context["next_month"] == date(2030, 6, 1)


def test_french_holidays_are_named_by_default_and_a_region_can_add_its_own() -> None:
    days = {d["date"]: d for w in month_calendar([], date(2030, 12, 1))["weeks"] for d in w["days"]}
    assert days[date(2030, 12, 25)]["holiday"] == "Noël"
    assert days[date(2030, 12, 26)]["holiday"] == ""
    alsace = WorkCalendar(date(2030, 1, 1), subdivision="Alsace-Moselle").holidays(2030)
    days = {d["date"]: d for w in month_calendar([], date(2030, 12, 1), holidays=alsace)["weeks"] for d in w["days"]}
    assert days[date(2030, 12, 26)]["holiday"] != ""


def test_milestones_land_on_their_day_and_render_escaped() -> None:
    context = month_calendar(
        [(date(2030, 5, 14), "Validation <b>maquettes</b>", "/projets/1/taches/3/", "late"),
         (date(2030, 5, 14), "COPIL", None, "planned"),
         (date(2030, 7, 1), "Hors du mois", None, "planned")],
        date(2030, 5, 1), today=date(2030, 5, 13),
    )
    day = next(d for w in context["weeks"] for d in w["days"] if d["date"] == date(2030, 5, 14))
    assert [m.label for m in day["milestones"]] == ["Validation <b>maquettes</b>", "COPIL"]
    assert context["milestone_count"] == 2
    html = render_to_string("reports/month_calendar.html", context)
    assert "Validation &lt;b&gt;maquettes&lt;/b&gt;" in html and "<b>" not in html
    assert '<a href="/projets/1/taches/3/">' in html
    assert 'class="milestone status-late" title="En retard"' in html
    assert 'aria-current="date"' in html and ">S20<" in html and "Fête de la Victoire" in html


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ((date(2030, 5, 1), "A", "javascript:alert(1)", "late"), "must be relative or http"),
        ((date(2030, 5, 1), "A", None, 'late" onclick="x'), "status must be a short lowercase token"),
        (("2030-05-01", "A", None, "late"), "the date must be a date"),
        ((date(2030, 5, 1), "A"), r"expected \(date, label, url, status\)"),
    ],
)
def test_a_bad_milestone_is_refused_with_its_position(item: tuple[object, ...], message: str) -> None:
    with pytest.raises((ValueError, GanttError), match=f"milestone n° 1.*{message}"):
        month_calendar([item], date(2030, 5, 1))  # type: ignore[list-item]
