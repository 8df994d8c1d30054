"""iCalendar files parse with the `icalendar` library and carry UID, DTSTAMP and time zone."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from jalon.formats.ical import (
    AllDayEvent,
    CalendarUser,
    ICalError,
    TimedEvent,
    calendar_feed,
    meeting_invitation,
    read_events,
)

PARIS = ZoneInfo("Europe/Paris")
STAMP = datetime(2026, 10, 1, 8, 30, tzinfo=timezone.utc)
SAMPLES = Path(os.environ.get("JALON_SHARED", Path(__file__).resolve().parents[3].parent / "shared")) / "clients/samples/ics"

PAUL = CalendarUser("Paul Martin", "paul@agence-durand.fr")
MONA = CalendarUser("Mona Graphiste", "mona@agence-durand.fr", partstat="ACCEPTED")


def workshop(**changes) -> TimedEvent:  # type: ignore[no-untyped-def]
    fields = dict(
        uid="meeting-42@jalon.example", summary="Atelier d'expertise : SEO",
        start=datetime(2026, 11, 12, 15, 0, tzinfo=PARIS), end=datetime(2026, 11, 12, 17, 0, tzinfo=PARIS),
        organiser=PAUL, attendees=(MONA,), sequence=2, location="Salle Vauban",
    )
    return TimedEvent(**(fields | changes))


def only_event(data: bytes) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_an_invitation_is_a_request_with_uid_stamp_sequence_and_paris_time():
    data = meeting_invitation(workshop(), stamp=STAMP)
    calendar = icalendar.Calendar.from_ical(data)
    event = only_event(data)

    assert calendar["METHOD"] == "REQUEST" and calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert event["UID"] == "meeting-42@jalon.example"
    assert event["DTSTAMP"].dt == STAMP
    assert event["SEQUENCE"] == 2
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTSTART"].dt == datetime(2026, 11, 12, 15, 0, tzinfo=PARIS)
    assert event["DTEND"].dt == datetime(2026, 11, 12, 17, 0, tzinfo=PARIS)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(event["ORGANIZER"]) == "mailto:paul@agence-durand.fr"
    assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert event["ATTENDEE"].params["CN"] == "Mona Graphiste"
    assert b"\r\n" in data and all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_a_utc_start_is_written_in_paris_wall_clock_time():
    event = only_event(meeting_invitation(
        workshop(start=datetime(2026, 7, 1, 7, 30, tzinfo=timezone.utc), end=datetime(2026, 7, 1, 9, 0, tzinfo=timezone.utc)),
        stamp=STAMP,
    ))
    assert b"DTSTART;TZID=Europe/Paris:20260701T093000" in event.to_ical()


def test_text_with_commas_semicolons_new_lines_and_markup_survives_the_round_trip():
    summary = "Recette ; lot 2, <script>alert('x')</script>"
    description = "Ordre du jour :\n1. Tour de table, attentes\n2. Décisions ; actions"
    data = meeting_invitation(workshop(summary=summary, description=description), stamp=STAMP)

    assert b"Recette \\; lot 2\\, " in data
    event = only_event(data)
    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]) == description


def test_a_feed_writes_milestones_and_assignments_as_all_day_events_with_exclusive_end():
    milestone = AllDayEvent("task-7@jalon.example", date(2026, 6, 12), date(2026, 6, 12), "Validation des maquettes")
    assignment = AllDayEvent("assignment-9@jalon.example", date(2026, 6, 2), date(2026, 6, 4), "Maquettes")
    data = calendar_feed([workshop(), milestone, assignment], stamp=STAMP, name="Calendrier de Mona")
    calendar = icalendar.Calendar.from_ical(data)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}

    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Calendrier de Mona"
    assert events["task-7@jalon.example"]["DTSTART"].dt == date(2026, 6, 12)
    assert events["task-7@jalon.example"]["DTEND"].dt == date(2026, 6, 13)
    assert events["assignment-9@jalon.example"]["DTEND"].dt == date(2026, 6, 5)
    assert b"DTSTART;VALUE=DATE:20260602" in data
    assert all(e["DTSTAMP"].dt == STAMP for e in events.values())
    assert events["meeting-42@jalon.example"]["DTSTART"].params["TZID"] == "Europe/Paris"


def test_a_feed_without_timed_events_needs_no_time_zone():
    data = calendar_feed([AllDayEvent("t@j", date(2026, 6, 2), date(2026, 6, 2), "Jalon")], stamp=STAMP, name="x")
    assert icalendar.Calendar.from_ical(data).walk("VTIMEZONE") == []


def test_the_vtimezone_covers_both_sides_of_the_summer_time_change():
    march = workshop(start=datetime(2027, 3, 26, 10, tzinfo=PARIS), end=datetime(2027, 3, 26, 11, tzinfo=PARIS))
    april = workshop(uid="other@j", start=datetime(2027, 4, 2, 10, tzinfo=PARIS), end=datetime(2027, 4, 2, 11, tzinfo=PARIS))
    calendar = icalendar.Calendar.from_ical(calendar_feed([march, april], stamp=STAMP, name="x"))
    offsets = {sub["TZOFFSETTO"].to_ical() for sub in calendar.walk("DAYLIGHT") + calendar.walk("STANDARD")}
    assert {"+0100", "+0200"} <= offsets
    starts = [e["DTSTART"].dt.utcoffset() for e in calendar.walk("VEVENT")]
    assert starts == [timedelta(hours=1), timedelta(hours=2)]


def test_the_reader_gives_back_what_the_writer_wrote():
    [event] = read_events(meeting_invitation(workshop(), stamp=STAMP))
    assert (event.uid, event.tzid, event.all_day, event.attendees) == (
        "meeting-42@jalon.example", "Europe/Paris", False, ("mailto:mona@agence-durand.fr",))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: workshop(uid=" "), "has no UID"),
        (lambda: workshop(start=datetime(2026, 11, 12, 15)), "start must be an aware datetime"),
        (lambda: workshop(end=datetime(2026, 11, 12, 14, tzinfo=PARIS)), "ends .* before it starts"),
        (lambda: CalendarUser("Bruno", "bruno"), "Bruno: an e-mail address is needed"),
        (lambda: CalendarUser("Bruno", "b@x.fr", partstat="MAYBE"), "unknown PARTSTAT 'MAYBE'"),
        (lambda: AllDayEvent("u", date(2026, 6, 5), date(2026, 6, 2), "Maquettes"), "'Maquettes': last day"),
        (lambda: meeting_invitation(workshop(organiser=None), stamp=STAMP), "needs an organiser"),
        (lambda: calendar_feed([workshop(), workshop()], stamp=STAMP, name="x"), "share the UID"),
        (lambda: calendar_feed([workshop()], stamp=STAMP, name="x", zone="Mars/Olympus"), "unknown time zone 'Mars/Olympus'"),
        (lambda: read_events(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n"), "not a valid iCalendar file"),
    ],
)
def test_bad_input_gets_a_message_naming_the_culprit(build, message):
    with pytest.raises(ICalError, match=message):
        build()


@pytest.mark.parametrize("name", ["icalendar-google-calendar.ics", "icalendar-thunderbird.ics",
                                  "icalendar-exchange2010-windows-tzid.ics", "ganttproject-hebcal-test.ics"])
def test_the_reader_reads_the_files_of_real_calendar_clients(name):
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared client samples are not on this machine)")
    events = read_events(path.read_bytes())
    assert events and all(e.uid and e.start for e in events)
    if name == "ganttproject-hebcal-test.ics":
        assert events[0].all_day and events[0].end == date(2023, 12, 8)
    if name == "icalendar-exchange2010-windows-tzid.ics":
        assert events[0].tzid == "Eastern Standard Time"
