"""iCalendar (RFC 5545) files: a meeting invitation, a calendar feed, and a small reader.

Framework-free: dataclasses in, bytes out. Built on the `icalendar` library, which folds long
lines, escapes text (commas, semicolons, new lines) and writes CRLF line ends; this module adds
what calendar clients rely on:
- every VEVENT has a UID stable across updates (so an update replaces the event rather than
  duplicating it), a DTSTAMP and, for invitations, a SEQUENCE raised at each change;
- timed events carry a TZID (Europe/Paris by default) and the calendar the matching VTIMEZONE,
  limited to the years the events span, so Outlook and Thunderbird show the right wall-clock time
  on both sides of a summer-time change;
- all-day events (milestones, assignments) use VALUE=DATE with an exclusive DTEND, as RFC 5545
  says: a task on 2-4 June is DTSTART 20260602, DTEND 20260605. They are TRANSPARENT: work
  planned in days must not show the person as busy in free/busy lookups.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar

PRODID = "-//Jalon//Jalon planning//FR"
DEFAULT_ZONE = "Europe/Paris"
PARTSTATS = ("NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE")
ROLES = ("REQ-PARTICIPANT", "OPT-PARTICIPANT", "CHAIR", "NON-PARTICIPANT")


class ICalError(ValueError):
    """An event cannot be written as asked (no UID, naive datetime, end before start...)."""


@dataclass(frozen=True)
class CalendarUser:
    """An organiser or attendee: a name and an e-mail address (the cal-address)."""

    name: str
    email: str
    partstat: str = "NEEDS-ACTION"
    role: str = "REQ-PARTICIPANT"

    def __post_init__(self) -> None:
        if "@" not in self.email:
            raise ICalError(f"{self.name or 'a calendar user'}: an e-mail address is needed, got {self.email!r}")
        if self.partstat not in PARTSTATS:
            raise ICalError(f"{self.name}: unknown PARTSTAT {self.partstat!r} (expected one of {', '.join(PARTSTATS)})")
        if self.role not in ROLES:
            raise ICalError(f"{self.name}: unknown ROLE {self.role!r} (expected one of {', '.join(ROLES)})")


@dataclass(frozen=True)
class TimedEvent:
    """A meeting: aware start and end datetimes."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    organiser: CalendarUser | None = None
    attendees: tuple[CalendarUser, ...] = ()
    sequence: int = 0
    status: str = "CONFIRMED"
    categories: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_uid(self.uid, self.summary)
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, datetime) or value.utcoffset() is None:
                raise ICalError(f"event {self.summary!r}: {name} must be an aware datetime, got {value!r}")
        if self.end <= self.start:
            raise ICalError(f"event {self.summary!r} ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})")
        if self.sequence < 0:
            raise ICalError(f"event {self.summary!r}: SEQUENCE cannot be negative, got {self.sequence}")


@dataclass(frozen=True)
class AllDayEvent:
    """A milestone (first_day == last_day) or a span of days, `last_day` included."""

    uid: str
    first_day: date
    last_day: date
    summary: str
    description: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_uid(self.uid, self.summary)
        if isinstance(self.first_day, datetime) or isinstance(self.last_day, datetime):
            raise ICalError(f"event {self.summary!r}: an all-day event takes dates, not datetimes")
        if self.last_day < self.first_day:
            raise ICalError(f"event {self.summary!r}: last day {self.last_day.isoformat()} precedes first day {self.first_day.isoformat()}")


Event = TimedEvent | AllDayEvent


@dataclass(frozen=True)
class ReadEvent:
    """What the reader keeps of a VEVENT: enough to check a file and to import dates."""

    uid: str
    summary: str
    start: date | datetime
    end: date | datetime | None
    all_day: bool
    tzid: str | None = None
    attendees: tuple[str, ...] = field(default=())


def meeting_invitation(
    event: TimedEvent,
    *,
    stamp: datetime,
    zone: str = DEFAULT_ZONE,
    method: str = "REQUEST",
) -> bytes:
    """One meeting as an iTIP message (RFC 5546): METHOD:REQUEST by default, CANCEL to call
    it off. A request needs an organiser: calendar clients answer to that address."""
    if method not in ("REQUEST", "CANCEL", "PUBLISH"):
        raise ICalError(f"unsupported METHOD {method!r} (expected REQUEST, CANCEL or PUBLISH)")
    if method != "PUBLISH" and event.organiser is None:
        raise ICalError(f"meeting {event.summary!r}: an invitation ({method}) needs an organiser with an e-mail address")
    calendar = _calendar(method)
    tz = _zone(zone)
    status = "CANCELLED" if method == "CANCEL" else event.status
    calendar.add_component(_timed(event, _utc(stamp), tz, status))
    return _finish(calendar, [event], tz)


def calendar_feed(
    events: Iterable[Event],
    *,
    stamp: datetime,
    name: str,
    zone: str = DEFAULT_ZONE,
) -> bytes:
    """A subscribable calendar (METHOD:PUBLISH) of meetings and all-day events."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone)
    tz = _zone(zone)
    stamp = _utc(stamp)
    events = list(events)
    seen: set[str] = set()
    for event in events:
        if event.uid in seen:
            raise ICalError(f"two events share the UID {event.uid!r}: {event.summary!r}")
        seen.add(event.uid)
        calendar.add_component(_timed(event, stamp, tz, event.status) if isinstance(event, TimedEvent) else _all_day(event, stamp))
    return _finish(calendar, events, tz)


def read_events(data: bytes) -> list[ReadEvent]:
    """The VEVENTs of an iCalendar file, for checks and imports. Raises ICalError with the
    parser's reason when the file is not iCalendar."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as error:
        raise ICalError(f"not a valid iCalendar file: {error}") from None
    events = []
    for vevent in calendar.walk("VEVENT"):
        start_prop = vevent.get("DTSTART")
        if start_prop is None:
            raise ICalError(f"event {vevent.get('UID', '?')!s} has no DTSTART")
        start = start_prop.dt
        end_prop = vevent.get("DTEND")
        attendees = vevent.get("ATTENDEE", [])
        if not isinstance(attendees, list):
            attendees = [attendees]
        events.append(ReadEvent(
            uid=str(vevent.get("UID", "")),
            summary=str(vevent.get("SUMMARY", "")),
            start=start,
            end=end_prop.dt if end_prop is not None else None,
            all_day=not isinstance(start, datetime),
            tzid=start_prop.params.get("TZID"),
            attendees=tuple(str(a) for a in attendees),
        ))
    return events


# --- building blocks -------------------------------------------------------------------------


def _calendar(method: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _timed(event: TimedEvent, stamp: datetime, tz: ZoneInfo, status: str) -> icalendar.Event:
    vevent = _common(event.uid, event.summary, event.description, event.url, event.categories, stamp)
    vevent.add("dtstart", event.start.astimezone(tz))
    vevent.add("dtend", event.end.astimezone(tz))
    vevent.add("sequence", event.sequence)
    vevent.add("status", status)
    vevent.add("transp", "OPAQUE")
    if event.location:
        vevent.add("location", event.location)
    if event.organiser is not None:
        vevent.add("organizer", _address(event.organiser, organiser=True))
    for attendee in event.attendees:
        vevent.add("attendee", _address(attendee, organiser=False))
    return vevent


def _all_day(event: AllDayEvent, stamp: datetime) -> icalendar.Event:
    vevent = _common(event.uid, event.summary, event.description, event.url, event.categories, stamp)
    vevent.add("dtstart", event.first_day)
    vevent.add("dtend", event.last_day + timedelta(days=1))  # exclusive end (RFC 5545 3.6.1)
    vevent.add("transp", "TRANSPARENT")
    return vevent


def _common(uid: str, summary: str, description: str, url: str, categories: Sequence[str], stamp: datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", uid)
    vevent.add("dtstamp", stamp)
    vevent.add("summary", summary)
    if description:
        vevent.add("description", description)
    if url:
        vevent.add("url", url)
    if categories:
        vevent.add("categories", list(categories))
    return vevent


def _address(user: CalendarUser, *, organiser: bool) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{user.email}")
    if user.name:
        address.params["CN"] = user.name
    if not organiser:
        address.params["CUTYPE"] = "INDIVIDUAL"
        address.params["ROLE"] = user.role
        address.params["PARTSTAT"] = user.partstat
        address.params["RSVP"] = "TRUE" if user.partstat == "NEEDS-ACTION" else "FALSE"
    return address


def _finish(calendar: icalendar.Calendar, events: Sequence[Event], tz: ZoneInfo) -> bytes:
    timed = [e for e in events if isinstance(e, TimedEvent)]
    if timed:
        # The VTIMEZONE needs only the transitions around the events: a year on each side.
        first = min(e.start for e in timed).astimezone(tz).date() - timedelta(days=366)
        last = max(e.end for e in timed).astimezone(tz).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ICalError(f"unknown time zone {name!r} (expected an IANA name such as Europe/Paris)") from None


def _utc(stamp: datetime) -> datetime:
    if stamp.utcoffset() is None:
        raise ICalError(f"DTSTAMP must be an aware datetime, got {stamp.isoformat()}")
    return stamp.astimezone(ZoneInfo("UTC"))


def _check_uid(uid: str, summary: str) -> None:
    if not uid or not uid.strip():
        raise ICalError(f"event {summary!r} has no UID: calendar clients need one to recognise updates")
