"""Working-day calendars: the bridge between dates and the engine's integer time units.

A `WorkCalendar` numbers the organisation's working days: index 0 is the first working day on or
after `origin`, 1 the next working day, -1 the last working day before it, and so on. Weekends,
public holidays (from the `holidays` package, French ones by default, with the regional
variants: Alsace-Moselle adds Good Friday and 26 December) and extra closed dates get no index.

Rule for non-working dates: `index_of(d)` maps a closed date to the index of the *next* working
day, so that "starts on Saturday" means "starts on Monday" and `index_of(b) - index_of(a)`
counts the working days in the half-open range [a, b).

People: absences become half-open index ranges (`absence_ranges`), which is what
`engine.model.Person.unavailable` expects. Part time is a *capacity*, not a pattern of days off:
a person at 80 % (4 days a week, see `part_time_capacity`) has `Person.capacity = 0.8`, and a
task they do lasts `ceil(duration / 0.8)` working days (`Task.duration_for`). Fixed weekly days
off are not modelled as absences on purpose: an absence may not overlap any task the person
does, so a weekly day off would forbid every task longer than four days.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import holidays as holidays_lib
import numpy as np
import numpy.typing as npt

DEFAULT_WEEKDAYS = (0, 1, 2, 3, 4)  # Monday..Friday, date.weekday() numbering

# Names people use for a region, mapped to the subdivision code of the `holidays` package.
# Bas-Rhin (67) and Haut-Rhin (68) form the Collectivité européenne d'Alsace ("6AE").
SUBDIVISION_ALIASES = {"67": "6AE", "68": "6AE", "Alsace-Moselle": "57"}

_GROW_YEARS = 2  # years added on each side when a date or index falls outside the table


class CalendarError(ValueError):
    """A calendar setting is wrong (unknown country or region, no working weekday...)."""


class WorkCalendar:
    """The organisation's working days, numbered from `origin` (see the module docstring)."""

    def __init__(
        self,
        origin: date,
        *,
        weekdays: Iterable[int] = DEFAULT_WEEKDAYS,
        hours_per_day: float = 7.0,
        country: str | None = "FR",
        subdivision: str | None = None,
        closed: Iterable[date] = (),
        worked: Iterable[date] = (),
    ) -> None:
        """`closed`: extra non-working dates (company closure, bridge days); `worked`: dates worked
        although a weekend or holiday (e.g. Whit Monday as journée de solidarité)."""
        self.origin = origin
        self.weekdays = frozenset(weekdays)
        if not self.weekdays or not self.weekdays <= set(range(7)):
            raise CalendarError(f"weekdays must be a non-empty set of 0 (Monday) .. 6 (Sunday), got {sorted(self.weekdays)}")
        if not 0 < hours_per_day <= 24:
            raise CalendarError(f"hours_per_day must be in (0, 24], got {hours_per_day}")
        self.hours_per_day = hours_per_day
        self.country = country
        self.subdivision = SUBDIVISION_ALIASES.get(subdivision, subdivision) if subdivision else None
        self.closed = frozenset(closed)
        self.worked = frozenset(worked)
        self._holiday_years: dict[int, dict[date, str]] = {}
        self._first_year = self._last_year = origin.year
        self._dates: list[date] = []
        self._date_table: npt.NDArray[np.object_] | None = None  # _dates for numpy, made on first use
        self._ordinals: list[int] = []
        self._zero = 0  # position of index 0 in the tables
        self._rebuild(origin.year - 1, origin.year + _GROW_YEARS)

    # --- dates and indices ---------------------------------------------------------------------

    def is_working(self, d: date) -> bool:
        if d in self.worked:
            return True
        return d.weekday() in self.weekdays and d not in self.closed and d not in self.holidays(d.year)

    def index_of(self, d: date) -> int:
        """Index of a working date; a non-working date gets the index of the next working day."""
        self._cover_date(d)
        return bisect.bisect_left(self._ordinals, d.toordinal()) - self._zero

    def date_of(self, i: int) -> date:
        """The working date of index `i` (negative indices lie before the origin)."""
        self._cover_index(i)
        return self._dates[i + self._zero]

    def dates_of(self, indices: Sequence[int] | npt.NDArray[np.int64]) -> list[date]:
        """`date_of` for many indices at once (a whole schedule), checking the range once and
        looking the dates up with numpy."""
        positions = np.asarray(indices, dtype=np.int64)
        if not positions.size:
            return []
        self._cover_index(int(positions.min()))
        self._cover_index(int(positions.max()))
        if self._date_table is None:
            self._date_table = np.array(self._dates, dtype=object)
        return self._date_table[positions + self._zero].tolist()

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in the half-open range [a, b); negative when b comes before a."""
        return self.index_of(b) - self.index_of(a)

    def add_working_days(self, d: date, n: int) -> date:
        """The working date `n` working days after `d` (before, if n < 0). From a non-working
        date the count starts at the next working day, so n = 0 gives that day."""
        return self.date_of(self.index_of(d) + n)

    def span_dates(self, start: int, finish: int) -> tuple[date, date]:
        """First and last working day of a task occupying units start..finish-1 (a milestone,
        finish == start, gets its start day twice): the dates a person reads on a Gantt chart."""
        return self.date_of(start), self.date_of(max(start, finish - 1))

    def hours(self, days: float) -> float:
        return days * self.hours_per_day

    # --- holidays ------------------------------------------------------------------------------

    def holidays(self, year: int) -> dict[date, str]:
        """Public holidays of one year with their French names ({} when no country is set)."""
        if year not in self._holiday_years:
            self._holiday_years[year] = self._load_holidays(year)
        return self._holiday_years[year]

    def _load_holidays(self, year: int) -> dict[date, str]:
        if self.country is None:
            return {}
        try:
            found = holidays_lib.country_holidays(self.country, subdiv=self.subdivision, years=year, language="fr")
        except NotImplementedError as error:
            raise CalendarError(f"no public holidays known for country {self.country!r}, region {self.subdivision!r}: {error}") from None
        return dict(found.items())

    # --- the tables, grown on demand -----------------------------------------------------------

    def _rebuild(self, first_year: int, last_year: int) -> None:
        first_year, last_year = max(first_year, date.min.year), min(last_year, date.max.year - 1)
        day, end = date(first_year, 1, 1), date(last_year, 12, 31)
        dates: list[date] = []
        step = timedelta(days=1)
        while day <= end:
            if self.is_working(day):
                dates.append(day)
            day += step
        self._dates, self._ordinals = dates, [d.toordinal() for d in dates]
        self._date_table = None
        self._first_year, self._last_year = first_year, last_year
        self._zero = bisect.bisect_left(self._ordinals, self.origin.toordinal())
        if not dates or self._zero == len(dates):
            raise CalendarError("the calendar has no working day after its origin: check weekdays and closed dates")

    def _cover_date(self, d: date) -> None:
        # The next working day of the last covered date may lie in the following year.
        if d.year <= self._first_year or d.year >= self._last_year:
            grow = self._growth()
            self._rebuild(min(self._first_year, d.year - grow), max(self._last_year, d.year + grow))

    def _growth(self) -> int:
        # Grow by at least the current span, so walking far away costs a logarithmic number of rebuilds.
        return max(_GROW_YEARS, self._last_year - self._first_year)

    def _cover_index(self, i: int) -> None:
        position = i + self._zero
        if 0 <= position < len(self._dates):
            return
        per_year = max(1, len(self._dates) // (self._last_year - self._first_year + 1))
        missing = -position if position < 0 else position - len(self._dates) + 1
        years = math.ceil(missing / per_year) + self._growth()
        if position < 0:
            self._rebuild(self._first_year - years, self._last_year)
        else:
            self._rebuild(self._first_year, self._last_year + years)
        if not 0 <= i + self._zero < len(self._dates):
            raise CalendarError(f"working day index {i} is out of the calendar's range")


def absence_ranges(calendar: WorkCalendar, absences: Iterable[tuple[date, date]]) -> tuple[tuple[int, int], ...]:
    """Turn absences given as (first day, last day), both included, into the sorted, merged,
    half-open index ranges of `Person.unavailable`. An absence on non-working days only vanishes."""
    ranges = []
    for first, last in absences:
        if last < first:
            raise CalendarError(f"absence from {first.isoformat()} to {last.isoformat()} ends before it starts")
        start, end = calendar.index_of(first), calendar.index_of(last + timedelta(days=1))
        if end > start:
            ranges.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def part_time_capacity(calendar: WorkCalendar, days_per_week: float) -> float:
    """`Person.capacity` of someone working `days_per_week` of the organisation's working week
    (4 days of 5 -> 0.8)."""
    full = len(calendar.weekdays)
    if not 0 < days_per_week <= full:
        raise CalendarError(f"days_per_week must be in (0, {full}], got {days_per_week}")
    return days_per_week / full
