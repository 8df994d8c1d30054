"""Working-day calendar on real French dates of 2026 and 2027."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalon.engine.calendar import CalendarError, WorkCalendar, absence_ranges, part_time_capacity
from jalon.engine.model import Person

ORIGIN = date(2026, 1, 5)  # a Monday
CAL = WorkCalendar(ORIGIN)
MOSELLE = WorkCalendar(ORIGIN, subdivision="57")

FRENCH_HOLIDAYS_ON_WEEKDAYS = [
    date(2026, 1, 1), date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 8), date(2026, 5, 14),
    date(2026, 5, 25), date(2026, 7, 14), date(2026, 11, 11), date(2026, 12, 25),
    date(2027, 3, 29), date(2027, 5, 6), date(2027, 5, 17), date(2027, 7, 14), date(2027, 11, 1),
]


@pytest.mark.parametrize("holiday", FRENCH_HOLIDAYS_ON_WEEKDAYS, ids=str)
def test_french_public_holidays_are_not_worked(holiday: date) -> None:
    assert holiday.weekday() < 5
    assert not CAL.is_working(holiday)


def test_2026_has_252_working_days_in_mainland_france() -> None:
    assert CAL.working_days_between(date(2026, 1, 1), date(2027, 1, 1)) == 252


def test_holidays_carry_their_french_names() -> None:
    names = CAL.holidays(2026)
    assert names[date(2026, 5, 14)] == "Ascension"
    assert names[date(2026, 5, 25)] == "Lundi de Pentecôte"
    assert names[date(2026, 7, 14)] == "Fête nationale"


@pytest.mark.parametrize("region", ["57", "67", "68", "Alsace-Moselle", "6AE"])
def test_alsace_moselle_adds_good_friday_and_saint_stephen(region: str) -> None:
    calendar = WorkCalendar(ORIGIN, subdivision=region)
    assert not calendar.is_working(date(2026, 4, 3))  # Vendredi saint
    assert not calendar.is_working(date(2027, 3, 26))
    assert not calendar.is_working(date(2025, 12, 26))  # a Friday; 26/12/2026 is a Saturday
    assert calendar.holidays(2026)[date(2026, 12, 26)] == "Saint-Étienne"
    assert CAL.is_working(date(2026, 4, 3)) and CAL.is_working(date(2025, 12, 26))


def test_index_zero_is_the_origin_and_weekends_have_no_index_of_their_own() -> None:
    assert CAL.index_of(ORIGIN) == 0 and CAL.date_of(0) == ORIGIN
    friday, saturday, monday = date(2026, 1, 9), date(2026, 1, 10), date(2026, 1, 12)
    assert (CAL.index_of(friday), CAL.index_of(saturday), CAL.index_of(monday)) == (4, 5, 5)
    assert CAL.date_of(-1) == date(2026, 1, 2)  # before the origin: 1 January is a holiday
    assert WorkCalendar(date(2026, 1, 3)).date_of(0) == ORIGIN  # a Saturday origin starts on Monday


def test_adding_working_days_skips_the_ascension_holiday() -> None:
    assert CAL.add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 15)
    assert CAL.add_working_days(date(2026, 5, 15), -1) == date(2026, 5, 13)
    assert CAL.add_working_days(date(2026, 5, 16), 0) == date(2026, 5, 18)
    assert CAL.working_days_between(date(2026, 5, 11), date(2026, 5, 18)) == 4
    assert CAL.working_days_between(date(2026, 5, 18), date(2026, 5, 11)) == -4


def test_closed_and_worked_dates_override_the_rules() -> None:
    bridge, solidarity = date(2026, 5, 15), date(2026, 5, 25)
    calendar = WorkCalendar(ORIGIN, closed=[bridge], worked=[solidarity])
    assert not calendar.is_working(bridge) and calendar.is_working(solidarity)
    assert calendar.add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 18)


def test_a_four_day_week_and_no_country() -> None:
    calendar = WorkCalendar(ORIGIN, weekdays=(0, 1, 2, 3), country=None, hours_per_day=8.75)
    assert not calendar.is_working(date(2026, 1, 9))  # Friday
    assert calendar.is_working(date(2026, 5, 14))  # no holidays without a country
    assert calendar.hours(2) == 17.5


def test_the_table_grows_both_ways_on_demand() -> None:
    calendar = WorkCalendar(ORIGIN)
    far = calendar.date_of(5000)
    assert far.year >= 2045 and calendar.is_working(far) and calendar.index_of(far) == 5000
    assert calendar.index_of(date(2000, 3, 1)) < -6000
    assert calendar.date_of(calendar.index_of(date(2000, 3, 1))) == date(2000, 3, 1)


def test_span_dates_gives_the_first_and_last_working_day() -> None:
    start = CAL.index_of(date(2026, 5, 11))
    assert CAL.span_dates(start, start + 4) == (date(2026, 5, 11), date(2026, 5, 15))
    assert CAL.span_dates(start, start) == (date(2026, 5, 11), date(2026, 5, 11))


def test_dates_of_many_indices_matches_date_of_and_grows_the_table() -> None:
    calendar = WorkCalendar(ORIGIN, subdivision="57")
    indices = [0, 3, -1, 250, 7000, -9000, 3]
    assert calendar.dates_of(indices) == [calendar.date_of(i) for i in indices]
    assert calendar.dates_of(np.array(indices)) == calendar.dates_of(indices)
    assert calendar.dates_of(range(3)) == [date(2026, 1, 5), date(2026, 1, 6), date(2026, 1, 7)]
    assert calendar.dates_of([]) == [] and calendar.dates_of(np.array([], dtype=np.int64)) == []


@settings(max_examples=200, deadline=None)
@given(st.integers(-800, 800))
def test_index_and_date_round_trip(i: int) -> None:
    assert MOSELLE.index_of(MOSELLE.date_of(i)) == i


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31)))
def test_a_closed_date_maps_to_the_next_working_day(d: date) -> None:
    mapped = MOSELLE.date_of(MOSELLE.index_of(d))
    assert mapped >= d and MOSELLE.is_working(mapped)
    assert all(not MOSELLE.is_working(d + timedelta(days=k)) for k in range((mapped - d).days))


def test_summer_leave_becomes_one_half_open_range() -> None:
    # Monday 3 to Friday 21 August 2026: 15 working days (15 August is a Saturday).
    leave = absence_ranges(CAL, [(date(2026, 8, 3), date(2026, 8, 21))])
    start = CAL.index_of(date(2026, 8, 3))
    assert leave == ((start, start + 15),)
    assert CAL.date_of(start + 15) == date(2026, 8, 24)
    assert Person("alice", unavailable=leave).unavailable == leave


def test_absences_are_sorted_merged_and_weekend_ones_vanish() -> None:
    ranges = absence_ranges(CAL, [
        (date(2026, 3, 11), date(2026, 3, 13)),
        (date(2026, 3, 14), date(2026, 3, 15)),  # a weekend: nothing
        (date(2026, 3, 2), date(2026, 3, 3)),
        (date(2026, 3, 12), date(2026, 3, 16)),  # overlaps the first
    ])
    index = CAL.index_of
    assert ranges == ((index(date(2026, 3, 2)), index(date(2026, 3, 4))), (index(date(2026, 3, 11)), index(date(2026, 3, 17))))


def test_an_absence_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(CalendarError, match="2026-03-05 to 2026-03-04"):
        absence_ranges(CAL, [(date(2026, 3, 5), date(2026, 3, 4))])


def test_part_time_is_a_capacity() -> None:
    assert part_time_capacity(CAL, 4) == 0.8
    with pytest.raises(CalendarError, match="days_per_week"):
        part_time_capacity(CAL, 6)


@pytest.mark.parametrize(
    ("settings_", "words"),
    [
        ({"country": "XX"}, "country 'XX'"),
        ({"subdivision": "99"}, "region '99'"),
        ({"weekdays": ()}, "weekdays"),
        ({"weekdays": (7,)}, "weekdays"),
        ({"hours_per_day": 0}, "hours_per_day"),
    ],
)
def test_bad_settings_are_refused_with_the_culprit(settings_: dict[str, object], words: str) -> None:
    with pytest.raises(CalendarError, match=words):
        WorkCalendar(ORIGIN, **settings_)  # type: ignore[arg-type]
