"""Common free slots for a meeting: when can these people meet, within working hours?

Framework-free: plain dataclasses in, a list of `Slot` out. The Django side turns absences,
existing meetings, part-time days off and overbooked days into `Busy` intervals.

Rules (DOMAIN.md, "Meetings"):
- a slot lies on a working day of the organisation's `WorkCalendar` (weekends and the public
  holidays of its region excluded), between `earliest` and `latest_end` (9:30-17:30 by default,
  inside the 9:00-18:00 day), and never overlaps the lunch break (12:00-14:00);
- slot starts are on a grid of `step` minutes counted from `day_start`, so proposals read as
  9:30, 9:45... rather than 9:37;
- a person is free for a slot when none of their busy intervals overlaps it (half-open
  intervals: a meeting ending at 10:00 leaves 10:00 free) and the slot's day is not one of
  their weekly days off (part time: someone at 80 % may not work on Wednesdays);
- planned project work counts in days, not hours: a meeting fits beside it, so assignments do
  not make a person busy. Only a day where the person is already overbooked (planned load above
  their capacity, see `overbooked_days`) counts as busy: adding a meeting there would worsen an
  overload the manager must solve first.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo


from jalon.engine.calendar import WorkCalendar

DEFAULT_DAY_START = time(9, 0)
DEFAULT_DAY_END = time(18, 0)
DEFAULT_LUNCH = (time(12, 0), time(14, 0))
DEFAULT_EARLIEST = time(9, 30)
DEFAULT_LATEST_END = time(17, 30)
DEFAULT_STEP = timedelta(minutes=15)
LOAD_TOLERANCE = 1e-6  # rounding of decimal efforts must not make a full day look overbooked


class SlotError(ValueError):
    """The question cannot be answered as asked (naive datetime, empty window...)."""


@dataclass(frozen=True)
class Busy:
    """A half-open interval [start, end) when one person cannot attend; aware datetimes."""

    start: datetime
    end: datetime
    reason: str = ""

    def __post_init__(self) -> None:
        _require_aware(self.start, "Busy.start")
        _require_aware(self.end, "Busy.end")
        if self.end <= self.start:
            raise SlotError(f"Busy interval {self.reason!r} ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})")

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Attendee:
    """A person to invite: `key` identifies them in the answer (a database id, a name...)."""

    key: Hashable
    busy: tuple[Busy, ...] = ()
    days_off: frozenset[int] = frozenset()  # weekly days off, 0 = Monday (part time)
    name: str = ""

    def __post_init__(self) -> None:
        bad = sorted(d for d in self.days_off if not 0 <= d <= 6)
        if bad:
            raise SlotError(f"days off of {self.name or self.key!r} must be weekdays 0 (Monday) .. 6 (Sunday), got {bad}")

    def is_free(self, start: datetime, end: datetime) -> bool:
        if start.weekday() in self.days_off:
            return False
        return not any(b.overlaps(start, end) for b in self.busy)


@dataclass(frozen=True)
class Slot:
    """A proposed meeting time and who can come; `missing` is empty when everybody can."""

    start: datetime
    end: datetime
    available: tuple[Hashable, ...]
    missing: tuple[Hashable, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class WorkingHours:
    """The hours a meeting may take, as wall-clock times of the organisation's time zone."""

    day_start: time = DEFAULT_DAY_START
    day_end: time = DEFAULT_DAY_END
    lunch: tuple[time, time] = DEFAULT_LUNCH
    earliest: time = DEFAULT_EARLIEST
    latest_end: time = DEFAULT_LATEST_END
    step: timedelta = DEFAULT_STEP
    first: time = field(init=False)
    last_end: time = field(init=False)

    def __post_init__(self) -> None:
        if not self.day_start < self.day_end:
            raise SlotError(f"day_end ({self.day_end}) must come after day_start ({self.day_start})")
        if not self.lunch[0] <= self.lunch[1]:
            raise SlotError(f"lunch must end ({self.lunch[1]}) after it starts ({self.lunch[0]})")
        if self.step <= timedelta(0) or self.step.total_seconds() % 60:
            raise SlotError(f"step must be a positive whole number of minutes, got {self.step}")
        # A meeting may start no earlier than both bounds and end no later than both.
        object.__setattr__(self, "first", max(self.day_start, self.earliest))
        object.__setattr__(self, "last_end", min(self.day_end, self.latest_end))
        if not self.first < self.last_end:
            raise SlotError(f"no meeting hours left between {self.first} and {self.last_end}")


def find_common_slots(
    people: Sequence[Attendee],
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    *,
    calendar: WorkCalendar,
    day_start: time = DEFAULT_DAY_START,
    day_end: time = DEFAULT_DAY_END,
    lunch: tuple[time, time] = DEFAULT_LUNCH,
    earliest: time = DEFAULT_EARLIEST,
    latest_end: time = DEFAULT_LATEST_END,
    step: timedelta = DEFAULT_STEP,
    limit: int | None = 5,
    one_per_half_day: bool = False,
    zone: tzinfo | None = None,
) -> list[Slot]:
    """The earliest slots of `duration` in [window_start, window_end] when every person is free.

    Working hours are wall-clock times in `zone` (by default the window's own time zone).
    `one_per_half_day` keeps only the first slot of each morning and afternoon, so that a
    short list offers real choices (Tuesday 9:30, Tuesday 14:00, Wednesday 9:30...) rather
    than five quarter-hours of the same morning. `limit=None` returns them all."""
    hours = WorkingHours(day_start, day_end, lunch, earliest, latest_end, step)
    return _complete_slots(people, window_start, window_end, duration, calendar, hours, zone, limit, one_per_half_day)


def find_best_slots(
    people: Sequence[Attendee],
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    *,
    calendar: WorkCalendar,
    hours: WorkingHours | None = None,
    limit: int = 5,
    one_per_half_day: bool = True,
    zone: tzinfo | None = None,
) -> list[Slot]:
    """Slots where everyone can come, earliest first; when there is none, the "best partial"
    slots: the most people present (at least one), then the earliest, each naming who is missing."""
    hours = hours or WorkingHours()
    complete = _complete_slots(people, window_start, window_end, duration, calendar, hours, zone, limit, one_per_half_day)
    if complete or not people:
        return complete
    partial: list[Slot] = []
    for start, end in _candidates(window_start, window_end, duration, calendar, hours, zone):
        free = tuple(p.key for p in people if p.is_free(start, end))
        if free:
            partial.append(Slot(start, end, free, tuple(p.key for p in people if p.key not in free)))
    partial.sort(key=lambda s: (len(s.missing), s.start))
    return _spread(partial, limit, hours) if one_per_half_day else partial[:limit]


def _complete_slots(
    people: Sequence[Attendee],
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    calendar: WorkCalendar,
    hours: WorkingHours,
    zone: tzinfo | None,
    limit: int | None,
    one_per_half_day: bool,
) -> list[Slot]:
    everybody = tuple(p.key for p in people)
    fitting = (
        Slot(start, end, everybody)
        for start, end in _candidates(window_start, window_end, duration, calendar, hours, zone)
        if all(p.is_free(start, end) for p in people)
    )
    if one_per_half_day:
        return _spread(fitting, limit, hours)
    slots: list[Slot] = []
    for slot in fitting:
        if limit is not None and len(slots) >= limit:
            break
        slots.append(slot)
    return slots


def overbooked_days(
    work: Iterable[tuple[date, date, float]],
    *,
    capacity: float,
    calendar: WorkCalendar,
) -> list[date]:
    """Working days where the planned load (sum of the daily loads of the spans covering the
    day; each span is first day, last day included, load per working day) exceeds `capacity`."""
    load: dict[date, float] = {}
    for first, last, daily in work:
        if last < first:
            raise SlotError(f"planned work from {first.isoformat()} to {last.isoformat()} ends before it starts")
        for day in _working_days(calendar, first, last):
            load[day] = load.get(day, 0.0) + daily
    return sorted(day for day, value in load.items() if value > capacity + LOAD_TOLERANCE)


def whole_days_busy(days: Iterable[date], zone: tzinfo, reason: str) -> list[Busy]:
    """Busy intervals covering whole calendar days (midnight to midnight, local time)."""
    return [Busy(_at(day, time(0), zone), _at(day + timedelta(days=1), time(0), zone), reason) for day in sorted(set(days))]


def absence_busy(
    first: date,
    last: date,
    *,
    zone: tzinfo,
    start_afternoon: bool = False,
    end_morning: bool = False,
    midday: time = DEFAULT_LUNCH[0],
    reason: str = "absence",
) -> Busy:
    """An absence in days with optional half days at either end: the morning ends at `midday`
    (the start of lunch), so an afternoon off frees the morning and vice versa."""
    if last < first:
        raise SlotError(f"absence from {first.isoformat()} to {last.isoformat()} ends before it starts")
    if first == last and start_afternoon and end_morning:
        raise SlotError(f"a one-day absence on {first.isoformat()} cannot both start in the afternoon and end at noon")
    start = _at(first, midday if start_afternoon else time(0), zone)
    end = _at(last, midday, zone) if end_morning else _at(last + timedelta(days=1), time(0), zone)
    return Busy(start, end, reason)


# --- candidates ------------------------------------------------------------------------------


def _candidates(
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    calendar: WorkCalendar,
    hours: WorkingHours,
    zone: tzinfo | None,
) -> Iterator[tuple[datetime, datetime]]:
    """Start and end of every slot on the grid that fits the working hours of a working day
    and lies inside the window, earliest first."""
    _check_question(window_start, window_end, duration, hours)
    zone = zone or window_start.tzinfo
    assert zone is not None  # _check_question refuses naive datetimes
    day = window_start.astimezone(zone).date()
    last_day = window_end.astimezone(zone).date()
    while day <= last_day:
        if calendar.is_working(day):
            for start, end in _day_slots(day, zone, duration, hours):
                if window_start <= start and end <= window_end:
                    yield start, end
        day += timedelta(days=1)


def _day_slots(day: date, zone: tzinfo, duration: timedelta, hours: WorkingHours) -> Iterator[tuple[datetime, datetime]]:
    lunch_start, lunch_end = _at(day, hours.lunch[0], zone), _at(day, hours.lunch[1], zone)
    first, last_end = _at(day, hours.first, zone), _at(day, hours.last_end, zone)
    # The grid counts from day_start, so 9:30 is on it with a 15-minute step, 9:37 never is.
    origin = _at(day, hours.day_start, zone)
    start = origin + hours.step * math.ceil((first - origin) / hours.step)
    while start + duration <= last_end:
        end = start + duration
        if not (start < lunch_end and lunch_start < end):
            yield start, end
        start += hours.step


def _check_question(window_start: datetime, window_end: datetime, duration: timedelta, hours: WorkingHours) -> None:
    _require_aware(window_start, "window_start")
    _require_aware(window_end, "window_end")
    if window_end <= window_start:
        raise SlotError(f"window_end ({window_end.isoformat()}) must come after window_start ({window_start.isoformat()})")
    if duration <= timedelta(0):
        raise SlotError(f"the meeting's duration must be positive, got {duration}")
    today = date(2000, 1, 3)
    longest = datetime.combine(today, hours.last_end) - datetime.combine(today, hours.first)
    if duration > longest:
        raise SlotError(f"a meeting of {duration} cannot fit between {hours.first:%H:%M} and {hours.last_end:%H:%M}")


def _spread(slots: Iterable[Slot], limit: int | None, hours: WorkingHours) -> list[Slot]:
    """The first slot of each half day (before or after the start of lunch), in the order
    given, up to `limit`."""
    seen: set[tuple[date, bool]] = set()
    kept: list[Slot] = []
    for slot in slots:
        half = (slot.start.date(), slot.start.time() >= hours.lunch[0])
        if half not in seen:
            seen.add(half)
            kept.append(slot)
            if limit is not None and len(kept) >= limit:
                break
    return kept


def _working_days(calendar: WorkCalendar, first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        if calendar.is_working(day):
            yield day
        day += timedelta(days=1)


def _at(day: date, clock: time, zone: tzinfo) -> datetime:
    # zoneinfo resolves the UTC offset of that wall-clock time on that day (summer time).
    return datetime.combine(day, clock, tzinfo=zone)


def _require_aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime):
        raise SlotError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise SlotError(f"{name} must be an aware datetime (with a time zone), got {value.isoformat()}")
