"""The slot finder on real French weeks, with the expected slots written out by hand."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalon.engine.calendar import WorkCalendar
from jalon.engine.slots import (
    Attendee,
    Busy,
    SlotError,
    WorkingHours,
    absence_busy,
    find_best_slots,
    find_common_slots,
    overbooked_days,
    whole_days_busy,
)

PARIS = ZoneInfo("Europe/Paris")
TUESDAY = 1
TWO_HOURS = timedelta(hours=2)


def at(day: date, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def as_text(slots) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{s.start:%a %d/%m %H:%M}-{s.end:%H:%M}" for s in slots]


# The week of the Armistice, 2026: Monday 9 to Friday 13 November, Wednesday 11 is a holiday.
MON, TUE, WED, THU, FRI = (date(2026, 11, d) for d in range(9, 14))
NATIONAL = WorkCalendar(date(2026, 1, 1))


def armistice_week_team() -> list[Attendee]:
    alice = Attendee("alice", busy=(
        Busy(at(MON, "9:00"), at(MON, "12:00"), "COPIL"),          # Monday morning taken
        Busy(at(THU, "14:00"), at(THU, "15:00"), "point hebdo"),    # Thursday until 15:00
    ))
    # Bruno works 80 %: no Tuesdays; he takes Monday afternoon off (a half day).
    bruno = Attendee("bruno", days_off=frozenset({TUESDAY}), busy=(
        absence_busy(MON, MON, zone=PARIS, start_afternoon=True),
    ))
    # Chloé is off on Thursday morning only.
    chloe = Attendee("chloe", busy=(absence_busy(THU, THU, zone=PARIS, end_morning=True),))
    return [alice, bruno, chloe]


def test_in_the_armistice_week_the_first_common_slots_are_thursday_afternoon_then_friday():
    slots = find_common_slots(armistice_week_team(), at(MON, "0:00"), at(FRI, "23:59"), TWO_HOURS, calendar=NATIONAL)

    # Monday: Alice's COPIL in the morning, Bruno's half day in the afternoon. Tuesday: Bruno's
    # day off. Wednesday: 11 November. Thursday: Chloé comes back for the afternoon, Alice is
    # free from 15:00 and meetings end by 17:30. Friday from 9:30.
    assert as_text(slots) == [
        "Thu 12/11 15:00-17:00",
        "Thu 12/11 15:15-17:15",
        "Thu 12/11 15:30-17:30",
        "Fri 13/11 09:30-11:30",
        "Fri 13/11 09:45-11:45",
    ]
    assert all(s.complete and s.available == ("alice", "bruno", "chloe") for s in slots)


def test_one_slot_per_half_day_offers_real_choices():
    slots = find_common_slots(armistice_week_team(), at(MON, "0:00"), at(FRI, "23:59"), TWO_HOURS,
                              calendar=NATIONAL, one_per_half_day=True)

    assert as_text(slots) == ["Thu 12/11 15:00-17:00", "Fri 13/11 09:30-11:30", "Fri 13/11 14:00-16:00"]


def test_a_one_hour_meeting_may_end_at_lunch_or_start_after_it_but_never_cross_it():
    slots = find_common_slots([Attendee("alice")], at(FRI, "11:00"), at(FRI, "18:00"), timedelta(hours=1),
                              calendar=NATIONAL, limit=3)

    assert as_text(slots) == ["Fri 13/11 11:00-12:00", "Fri 13/11 14:00-15:00", "Fri 13/11 14:15-15:15"]


def test_when_nobody_fits_it_proposes_the_best_partial_slots_and_names_who_is_missing():
    # Only Monday and Tuesday: Alice or Bruno is always away when the others are free.
    slots = find_best_slots(armistice_week_team(), at(MON, "0:00"), at(TUE, "23:59"), TWO_HOURS,
                            calendar=NATIONAL, limit=4)

    assert [(f"{s.start:%a %H:%M}", s.missing) for s in slots] == [
        ("Mon 09:30", ("alice",)),   # her COPIL runs until noon
        ("Mon 14:00", ("bruno",)),   # his half day off
        ("Tue 09:30", ("bruno",)),   # his weekly day off
        ("Tue 14:00", ("bruno",)),
    ]
    assert not any(s.complete for s in slots)


def test_best_slots_are_the_common_ones_when_there_are_some():
    slots = find_best_slots(armistice_week_team(), at(MON, "0:00"), at(FRI, "23:59"), TWO_HOURS, calendar=NATIONAL)

    assert as_text(slots)[:2] == ["Thu 12/11 15:00-17:00", "Fri 13/11 09:30-11:30"]
    assert all(s.complete for s in slots)


def test_ascension_2027_and_its_bridge_day_leave_only_the_friday_afternoon():
    # Ascension is Thursday 6 May 2027. Dora takes the morning of the bridge day (pont) off and
    # has a client call on Friday from 14:00 to 15:30.
    thursday, friday = date(2027, 5, 6), date(2027, 5, 7)
    dora = Attendee("dora", busy=(
        absence_busy(friday, friday, zone=PARIS, end_morning=True, reason="pont"),
        Busy(at(friday, "14:00"), at(friday, "15:30"), "appel client"),
    ))
    slots = find_common_slots([dora], at(thursday, "0:00"), at(friday, "23:59"), TWO_HOURS,
                              calendar=WorkCalendar(date(2027, 1, 1)), one_per_half_day=True)

    assert as_text(slots) == ["Fri 07/05 15:30-17:30"]


def test_good_friday_is_a_working_day_in_paris_but_not_in_alsace_moselle():
    good_friday = date(2027, 3, 26)
    window = (at(good_friday, "0:00"), at(good_friday, "23:59"))
    paris = find_common_slots([Attendee("eve")], *window, TWO_HOURS, calendar=WorkCalendar(date(2027, 1, 1)), limit=1)
    metz = find_common_slots([Attendee("eve")], *window, TWO_HOURS,
                             calendar=WorkCalendar(date(2027, 1, 1), subdivision="57"), limit=1)

    assert as_text(paris) == ["Fri 26/03 09:30-11:30"]
    assert metz == []


def test_a_day_is_busy_only_where_planned_work_exceeds_capacity():
    # 80 % capacity; one task alone at 0.8 a day fits, two overlapping tasks on 10-12 Nov do not.
    days = overbooked_days(
        [(MON, FRI, 0.8), (TUE, THU, 0.5)],
        capacity=0.8,
        calendar=NATIONAL,
    )
    assert days == [TUE, THU]  # Wednesday 11 November is not worked
    busy = whole_days_busy(days, PARIS, "surchargé")
    assert [(b.start, b.end) for b in busy] == [(at(TUE, "0:00"), at(WED, "0:00")), (at(THU, "0:00"), at(FRI, "0:00"))]


def test_working_hours_follow_summer_time():
    # 28 March 2027 is the switch to summer time: Monday 29 is a holiday (Easter Monday), the
    # Tuesday's 9:30 is 7:30 UTC, not 8:30.
    slots = find_common_slots([Attendee("eve")], at(date(2027, 3, 29), "0:00"), at(date(2027, 3, 30), "23:59"),
                              TWO_HOURS, calendar=WorkCalendar(date(2027, 1, 1)), limit=1)
    assert as_text(slots) == ["Tue 30/03 09:30-11:30"]
    assert slots[0].start.utcoffset() == timedelta(hours=2)


@pytest.mark.parametrize(
    ("window_start", "duration", "message"),
    [
        (datetime(2026, 11, 9, 9, 0), TWO_HOURS, "window_start must be an aware datetime"),
        (at(MON, "9:00"), timedelta(0), "duration must be positive"),
        (at(MON, "9:00"), timedelta(hours=9), "cannot fit between 09:30 and 17:30"),
    ],
)
def test_a_bad_question_gets_a_message_naming_the_culprit(window_start, duration, message):
    with pytest.raises(SlotError, match=message):
        find_common_slots([Attendee("alice")], window_start, at(FRI, "18:00"), duration, calendar=NATIONAL)


def test_a_busy_interval_ending_before_it_starts_is_refused():
    with pytest.raises(SlotError, match="'COPIL' ends"):
        Busy(at(MON, "12:00"), at(MON, "9:00"), "COPIL")


# --- properties ------------------------------------------------------------------------------

HOURS = WorkingHours()
WINDOW_DAYS = 10
FIRST_DAY = date(2026, 4, 27)  # the week of 1 and 8 May: two holidays within ten days


@st.composite
def attendees(draw) -> list[Attendee]:  # type: ignore[no-untyped-def]
    people = []
    for key in range(draw(st.integers(1, 4))):
        busy = []
        for _ in range(draw(st.integers(0, 6))):
            day = FIRST_DAY + timedelta(days=draw(st.integers(0, WINDOW_DAYS)))
            start = at(day, "8:00") + timedelta(minutes=15 * draw(st.integers(0, 44)))
            busy.append(Busy(start, start + timedelta(minutes=15 * draw(st.integers(1, 24)))))
        if draw(st.booleans()):
            first = FIRST_DAY + timedelta(days=draw(st.integers(0, WINDOW_DAYS)))
            last = first + timedelta(days=draw(st.integers(0, 2)))
            afternoon = draw(st.booleans())
            busy.append(absence_busy(first, last, zone=PARIS, start_afternoon=afternoon,
                                     end_morning=draw(st.booleans()) and (last > first or not afternoon)))
        days_off = frozenset(draw(st.sets(st.integers(0, 4), max_size=1)))
        people.append(Attendee(key, busy=tuple(busy), days_off=days_off))
    return people


@settings(max_examples=60, deadline=None)
@given(people=attendees(), minutes=st.integers(1, 16).map(lambda q: 15 * q), spread=st.booleans())
def test_no_slot_overlaps_a_busy_interval_a_day_off_a_holiday_or_lunch(people, minutes, spread):
    duration = timedelta(minutes=minutes)
    calendar = WorkCalendar(date(2026, 1, 1))
    window = (at(FIRST_DAY, "0:00"), at(FIRST_DAY + timedelta(days=WINDOW_DAYS), "23:59"))
    slots = find_common_slots(people, *window, duration, calendar=calendar, limit=None, one_per_half_day=spread)

    assert [s.start for s in slots] == sorted(s.start for s in slots)
    for slot in slots:
        day = slot.start.date()
        assert calendar.is_working(day) and slot.end.date() == day
        assert slot.end - slot.start == duration
        assert HOURS.first <= slot.start.time() and slot.end.time() <= HOURS.last_end
        assert slot.end.time() <= HOURS.lunch[0] or slot.start.time() >= HOURS.lunch[1]
        for person in people:
            assert day.weekday() not in person.days_off
            assert not any(b.start < slot.end and slot.start < b.end for b in person.busy)


@settings(max_examples=40, deadline=None)
@given(people=attendees(), minutes=st.integers(1, 8).map(lambda q: 15 * q))
def test_partial_slots_name_exactly_the_people_who_cannot_come(people, minutes):
    calendar = WorkCalendar(date(2026, 1, 1))
    window = (at(FIRST_DAY, "0:00"), at(FIRST_DAY + timedelta(days=WINDOW_DAYS), "23:59"))
    for slot in find_best_slots(people, *window, timedelta(minutes=minutes), calendar=calendar, limit=5):
        assert calendar.is_working(slot.start.date())
        assert sorted(slot.available + slot.missing) == sorted(p.key for p in people)
        for person in people:
            assert person.is_free(slot.start, slot.end) == (person.key in slot.available)
