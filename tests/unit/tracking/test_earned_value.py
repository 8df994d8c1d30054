"""Earned value against a published worked example, and the météo thresholds.

Source of the worked example: Rita Mulcahy, *PMP Exam Prep* (RMC Publications), the "fence"
earned value exercise, p. 210 (reproduced at https://studylib.net/doc/5898152/earned-value-exercise).
A fence has four sides; each is planned to take one day, one after the other, and is budgeted
$1,000. Status at the end of day 3: side 1 complete, $1,000 spent; side 2 complete, $1,200 spent;
side 3 half done, $600 spent; side 4 not started. The book's answers:
  PV 3,000 · EV 2,500 · AC 2,800 · BAC 4,000 · CV −300 · CPI .893 · SV −500 · SPI .833 ·
  EAC 4,479 · ETC 1,679 · VAC −479
(the book rounds CPI to .893 before dividing: 4,000 / .893 = 4,479; unrounded, EAC is
4,000 × 2,800 / 2,500 = 4,480, ETC 1,680 and VAC −480.)
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from jalon.tracking.earned_value import (
    WorkItem,
    measure,
    measure_by_group,
    s_curve,
    weather,
    week_ends,
    weekdays_between,
)

DAY1 = dt.date(2026, 3, 2)  # a Monday: the four days of the fence are Monday to Thursday
DAY = [DAY1 + dt.timedelta(days=k) for k in range(4)]
K = Decimal("1000")


def fence() -> list[WorkItem]:
    return [
        WorkItem("side 1", K, DAY[0], DAY[0], Decimal(100), ((DAY[0], Decimal("1000")),), group="first half"),
        WorkItem("side 2", K, DAY[1], DAY[1], Decimal(100), ((DAY[1], Decimal("1200")),), group="first half"),
        WorkItem("side 3", K, DAY[2], DAY[2], Decimal(50), ((DAY[2], Decimal("600")),), group="second half"),
        WorkItem("side 4", K, DAY[3], DAY[3], Decimal(0), (), group="second half"),
    ]


def r(value: Decimal, places: str = "1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def test_the_fence_example_gives_the_books_figures_at_the_end_of_day_three():
    figures = measure(fence(), DAY[2])
    assert figures.bac == Decimal("4000")
    assert figures.pv == Decimal("3000")
    assert figures.ev == Decimal("2500")
    assert figures.ac == Decimal("2800")
    assert figures.cv == Decimal("-300")
    assert figures.sv == Decimal("-500")
    assert r(figures.cpi, "0.001") == Decimal("0.893")
    assert r(figures.spi, "0.001") == Decimal("0.833")
    # Unrounded CPI: 4,480 / 1,680 / −480; the book's 4,479 / 1,679 / −479 come from CPI .893.
    assert figures.eac == Decimal("4480")
    assert figures.etc == Decimal("1680")
    assert figures.vac == Decimal("-480")
    assert r(figures.bac / Decimal("0.893")) == Decimal("4479")


def test_per_group_figures_add_up_to_the_project():
    groups = measure_by_group(fence(), DAY[2])
    assert list(groups) == ["first half", "second half"]
    assert (groups["first half"].pv, groups["first half"].ev, groups["first half"].ac) == (2000, 2000, 2200)
    assert (groups["second half"].pv, groups["second half"].ev, groups["second half"].ac) == (1000, 500, 600)
    assert groups["second half"].spi == Decimal("0.5")


def test_planned_value_grows_over_the_working_days_of_a_task():
    # Two weeks of work, Monday 2 to Friday 13 March 2026: 10 working days.
    item = WorkItem("dev", Decimal("5000"), dt.date(2026, 3, 2), dt.date(2026, 3, 13))
    assert item.planned_fraction(dt.date(2026, 3, 1)) == 0
    assert item.planned_fraction(dt.date(2026, 3, 6)) == Decimal("0.5")
    assert item.planned_fraction(dt.date(2026, 3, 8)) == Decimal("0.5")  # the weekend earns nothing
    assert item.planned_fraction(dt.date(2026, 3, 13)) == 1


def test_the_s_curve_reaches_the_measured_figures_on_the_status_date_and_stops_ev_and_ac_there():
    points = s_curve(fence(), DAY, DAY[2])
    assert [p.day for p in points] == DAY
    assert [p.pv for p in points] == [1000, 2000, 3000, 4000]
    assert [p.ac for p in points] == [1000, 2200, 2800, None]
    assert [p.ev for p in points] == [1000, 2000, 2500, None]


def test_indices_are_undefined_before_work_or_cost():
    nothing = measure(fence(), DAY1 - dt.timedelta(days=3))
    assert nothing.pv == 0 and nothing.spi is None
    fresh = measure([WorkItem("a", K, DAY[0], DAY[1])], DAY[0])
    assert fresh.cpi is None and fresh.eac == K and fresh.vac == 0
    wasted = measure([WorkItem("a", K, DAY[0], DAY[1], Decimal(0), ((DAY[0], Decimal("300")),))], DAY[0])
    assert wasted.cpi == 0 and wasted.eac is None and wasted.etc is None


def test_a_bad_work_item_names_itself():
    with pytest.raises(ValueError, match="'maquettes': percent_complete"):
        WorkItem("maquettes", K, DAY[0], DAY[1], Decimal(120))
    with pytest.raises(ValueError, match="'maquettes': planned_finish"):
        WorkItem("maquettes", K, DAY[1], DAY[0])


def test_weekdays_between_counts_mondays_to_fridays():
    assert weekdays_between(dt.date(2026, 3, 2), dt.date(2026, 3, 8)) == 5
    assert weekdays_between(dt.date(2026, 3, 6), dt.date(2026, 3, 9)) == 2
    assert weekdays_between(dt.date(2026, 3, 9), dt.date(2026, 3, 2)) == 0
    assert weekdays_between(dt.date(2026, 3, 2), dt.date(2026, 3, 31)) == 22


def test_week_ends_are_the_fridays_covering_the_range():
    assert week_ends(dt.date(2026, 3, 3), dt.date(2026, 3, 16)) == [
        dt.date(2026, 3, 6), dt.date(2026, 3, 13), dt.date(2026, 3, 20)]


@pytest.mark.parametrize(("spi", "cpi", "late", "expected", "reasons"), [
    ("1.00", "1.00", 0, "sunny", []),
    (None, None, 0, "sunny", []),
    ("0.95", "0.97", 0, "sunny", []),
    ("0.94", "1.10", 0, "cloudy", ["spi_low"]),
    ("1.00", "1.00", 1, "cloudy", ["milestone_late"]),
    ("0.90", "0.86", 0, "cloudy", ["spi_low", "cpi_low"]),
    ("0.84", "1.00", 0, "stormy", ["spi_low"]),
    ("1.00", "0.80", 0, "stormy", ["cpi_low"]),
    ("1.00", "1.00", 2, "stormy", ["milestone_late"]),
    # The fence: SPI .833 and CPI .893 — behind schedule enough for a storm.
    ("0.833", "0.893", 0, "stormy", ["spi_low", "cpi_low"]),
])
def test_the_weather_follows_the_documented_thresholds(spi, cpi, late, expected, reasons):
    reading = weather(Decimal(spi) if spi else None, Decimal(cpi) if cpi else None, late)
    assert (reading.weather, reading.reasons) == (expected, reasons)
