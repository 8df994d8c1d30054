"""Earned value management (EVM), framework-free: plain dataclasses in, Decimals out.

Vocabulary (PMI, *PMBOK Guide*; French labels in brackets):
  BAC budget at completion [budget à terminaison] — what all the work is planned to cost;
  PV  planned value [valeur planifiée] — the budget of the work planned by the status date;
  EV  earned value [valeur acquise] — the budget of the work actually done (BAC × % complete);
  AC  actual cost [coût réel] — what the work done has cost;
  SV = EV − PV, CV = EV − AC, SPI = EV / PV, CPI = EV / AC;
  EAC = BAC / CPI (the cost variances so far are typical of what is left),
  ETC = EAC − AC, VAC = BAC − EAC.

Planned value grows linearly over the working days of a task's planned span: a task planned
over 4 working days has earned a quarter of its budget in PV at the end of its first day.
The status date counts as worked (figures are "at the end of" that day).

The S-curve's earned value in the past: Jalon keeps no history of % complete, so a task's
percentage on an earlier date is today's percentage scaled by the share of its actual cost
spent by then (a task half done today with 3 of its 4 days logged by Monday had earned
3/4 × 50 % on Monday). It is exact for today and for tasks that were logged evenly.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0")
HUNDRED = Decimal("100")

WorkingDays = Callable[[dt.date, dt.date], int]  # working days in [a, b], both included


def weekdays_between(first: dt.date, last: dt.date) -> int:
    """Monday-to-Friday days in [first, last], both included (0 when last < first)."""
    if last < first:
        return 0
    days = (last - first).days + 1
    full, rest = divmod(days, 7)
    count = full * 5
    for offset in range(rest):
        if (first.weekday() + full * 7 + offset) % 7 < 5:
            count += 1
    return count


@dataclass(frozen=True)
class WorkItem:
    """One task's inputs. `costs` are its actual costs, (day, amount) pairs in any order."""

    key: str
    budget: Decimal
    planned_start: dt.date | None
    planned_finish: dt.date | None
    percent_complete: Decimal = ZERO
    costs: tuple[tuple[dt.date, Decimal], ...] = ()
    group: str = ""

    def __post_init__(self) -> None:
        if self.budget < 0:
            raise ValueError(f"work item {self.key!r}: budget must be >= 0, got {self.budget}")
        if not ZERO <= self.percent_complete <= HUNDRED:
            raise ValueError(f"work item {self.key!r}: percent_complete must be 0..100, got {self.percent_complete}")
        if (self.planned_start is None) != (self.planned_finish is None):
            raise ValueError(f"work item {self.key!r}: give both planned_start and planned_finish, or neither")
        if self.planned_start and self.planned_finish and self.planned_finish < self.planned_start:
            raise ValueError(f"work item {self.key!r}: planned_finish {self.planned_finish} is before planned_start {self.planned_start}")

    def actual_cost(self, until: dt.date | None = None) -> Decimal:
        return sum((amount for day, amount in self.costs if until is None or day <= until), ZERO)

    def planned_fraction(self, status_date: dt.date, working_days: WorkingDays = weekdays_between) -> Decimal:
        """Share of the budget planned to be earned by the end of `status_date`, 0 to 1."""
        if self.planned_start is None or self.planned_finish is None or status_date < self.planned_start:
            return ZERO
        if status_date >= self.planned_finish:
            return Decimal(1)
        span = working_days(self.planned_start, self.planned_finish)
        if span <= 0:
            return Decimal(1)
        return Decimal(working_days(self.planned_start, status_date)) / Decimal(span)

    def earned(self, until: dt.date | None = None) -> Decimal:
        """EV of this item; before today, scaled by the share of its cost spent (module docstring)."""
        value = self.budget * self.percent_complete / HUNDRED
        if until is None:
            return value
        total = self.actual_cost()
        if total == 0:
            return ZERO
        return value * self.actual_cost(until) / total


@dataclass(frozen=True)
class Indicators:
    bac: Decimal
    pv: Decimal
    ev: Decimal
    ac: Decimal

    @property
    def sv(self) -> Decimal:
        return self.ev - self.pv

    @property
    def cv(self) -> Decimal:
        return self.ev - self.ac

    @property
    def spi(self) -> Decimal | None:
        """None before any work was planned (the ratio means nothing yet)."""
        return self.ev / self.pv if self.pv else None

    @property
    def cpi(self) -> Decimal | None:
        """None before any cost was spent."""
        return self.ev / self.ac if self.ac else None

    @property
    def eac(self) -> Decimal | None:
        """BAC / CPI; the BAC itself before any cost; None when cost was spent for no value
        (CPI = 0: no finite forecast can be made from the indices)."""
        if not self.ac:
            return self.bac
        if not self.ev:
            return None
        return self.bac * self.ac / self.ev

    @property
    def etc(self) -> Decimal | None:
        eac = self.eac
        return None if eac is None else eac - self.ac

    @property
    def vac(self) -> Decimal | None:
        eac = self.eac
        return None if eac is None else self.bac - eac

    @property
    def percent_complete(self) -> Decimal:
        return HUNDRED * self.ev / self.bac if self.bac else ZERO


def measure(items: Iterable[WorkItem], status_date: dt.date, working_days: WorkingDays = weekdays_between) -> Indicators:
    """The indicators of these items at the end of `status_date`."""
    items = list(items)
    return Indicators(
        bac=sum((i.budget for i in items), ZERO),
        pv=sum((i.budget * i.planned_fraction(status_date, working_days) for i in items), ZERO),
        ev=sum((i.earned() for i in items), ZERO),
        ac=sum((i.actual_cost(status_date) for i in items), ZERO),
    )


def measure_by_group(items: Iterable[WorkItem], status_date: dt.date, working_days: WorkingDays = weekdays_between) -> dict[str, Indicators]:
    """`measure` per group (the phases of a project), groups in order of first appearance."""
    groups: dict[str, list[WorkItem]] = defaultdict(list)
    for item in items:
        groups[item.group].append(item)
    return {name: measure(members, status_date, working_days) for name, members in groups.items()}


@dataclass(frozen=True)
class CurvePoint:
    day: dt.date
    pv: Decimal
    ev: Decimal | None  # None after the status date: the future has earned nothing yet
    ac: Decimal | None


def s_curve(items: Sequence[WorkItem], days: Sequence[dt.date], status_date: dt.date,
            working_days: WorkingDays = weekdays_between) -> list[CurvePoint]:
    """Cumulative PV, EV and AC at each of `days`: the S-curve. EV and AC stop at the status
    date (a point on it is always included when it falls inside the range)."""
    wanted = sorted(set(days) | ({status_date} if days and days[0] <= status_date <= days[-1] else set()))
    points = []
    for day in wanted:
        pv = sum((i.budget * i.planned_fraction(day, working_days) for i in items), ZERO)
        if day > status_date:
            points.append(CurvePoint(day, pv, None, None))
            continue
        ev = sum((i.earned(None if day == status_date else day) for i in items), ZERO)
        ac = sum((i.actual_cost(day) for i in items), ZERO)
        points.append(CurvePoint(day, pv, ev, ac))
    return points


def week_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """The Fridays from the week of `first` to the week of `last`: one S-curve point a week."""
    friday = first + dt.timedelta(days=(4 - first.weekday()) % 7)
    days = []
    while friday <= last + dt.timedelta(days=6):
        days.append(friday)
        friday += dt.timedelta(weeks=1)
    return days or [first]


# --------------------------------------------------------------------------- météo

# Thresholds of the météo projet. An index of 1 is exactly on plan; the usual reading of
# EVM (PMI; Fleming & Koppelman) tolerates ±5 % as "on track" and treats 10–15 % behind as
# a problem the client must hear about.
SUNNY_AT_LEAST = Decimal("0.95")  # SPI and CPI at or above: on plan
STORMY_BELOW = Decimal("0.85")  # SPI or CPI below: serious drift
STORMY_LATE_MILESTONES = 2  # this many late milestones make a storm whatever the indices


@dataclass(frozen=True)
class WeatherReading:
    weather: str  # sunny / cloudy / stormy
    reasons: list[str] = field(default_factory=list)  # machine codes: spi_low, cpi_low, milestone_late...


def weather(spi: Decimal | None, cpi: Decimal | None, late_milestones: int) -> WeatherReading:
    """Sunny when both indices are ≥ 0.95 (or not measurable yet) and no milestone is late;
    stormy when one index is < 0.85 or two milestones or more are late; cloudy otherwise."""
    if late_milestones < 0:
        raise ValueError(f"late_milestones must be >= 0, got {late_milestones}")
    reasons = []
    stormy = False
    for code, index in (("spi", spi), ("cpi", cpi)):
        if index is None or index >= SUNNY_AT_LEAST:
            continue
        reasons.append(f"{code}_low")
        stormy = stormy or index < STORMY_BELOW
    if late_milestones:
        reasons.append("milestone_late")
        stormy = stormy or late_milestones >= STORMY_LATE_MILESTONES
    return WeatherReading("stormy" if stormy else "cloudy" if reasons else "sunny", reasons)
