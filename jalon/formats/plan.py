"""A project plan as exchange files carry it: the common shape of MSPDI, CSV/XLSX and MPXJ reads.

Readers fill a `PlanDocument`; writers take one; `jalon.interop` maps it to and from the
database. Nothing here imports Django.

Conventions:
  * Tasks keep the file's order; `outline_level` 1 is the top of the breakdown (MSPDI's project
    summary task, level 0, is never a `PlanTask`). A task with children is a summary task.
  * `uid` is the file's identifier of a task or resource, as text (MSPDI UID, CSV row id).
  * Durations, work and lags are in working days of the file's own day length
    (`minutes_per_day`, 7 h = 420 min by default, as in France); `work_days` is person-days.
  * Dates are naive local date-times, as the files write them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from jalon.engine.graph import find_cycle
from jalon.engine.model import LinkType
from jalon.formats import FormatError

DEFAULT_MINUTES_PER_DAY = 7 * 60
DEFAULT_WEEKDAYS = (0, 1, 2, 3, 4)  # Monday = 0, like date.weekday()


@dataclass
class CalendarException:
    """Days off (holidays, closures) or extra working days, both ends included."""

    first: dt.date
    last: dt.date
    working: bool = False
    name: str = ""


@dataclass
class PlanCalendar:
    uid: str
    name: str
    weekdays: tuple[int, ...] = DEFAULT_WEEKDAYS
    exceptions: list[CalendarException] = field(default_factory=list)
    base_uid: str | None = None
    # Working periods of a working day, e.g. ((09:00, 12:00), (14:00, 18:00)).
    periods: tuple[tuple[dt.time, dt.time], ...] = ((dt.time(9), dt.time(12)), (dt.time(14), dt.time(18)))

    def closed_dates(self) -> list[dt.date]:
        return [d for e in self.exceptions if not e.working for d in _days(e.first, e.last)]

    def worked_dates(self) -> list[dt.date]:
        return [d for e in self.exceptions if e.working for d in _days(e.first, e.last)]


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass
class PlanTask:
    uid: str
    name: str
    outline_level: int = 1
    outline_number: str = ""
    summary: bool = False
    milestone: bool = False
    start: dt.datetime | None = None
    finish: dt.datetime | None = None
    duration_days: float = 0.0
    work_days: float | None = None  # effort (person-days); None when the file says nothing
    fixed_duration: bool = True  # False when the duration only follows from the effort (CSV)
    start_no_earlier_than: dt.date | None = None
    pinned_start: dt.date | None = None  # "must start on"
    deadline: dt.date | None = None  # "finish no later than" or the task's deadline
    constraint: str = "ASAP"  # the file's constraint, kept for messages and round trips
    priority: int | None = None  # Jalon's scale 1..5
    notes: str = ""
    skills: list[tuple[str, int]] = field(default_factory=list)  # (skill, minimum level)
    line: int | None = None  # where the reader found it, for error messages

    def label(self) -> str:
        return f"« {self.name} »" if self.name else f"UID {self.uid}"


@dataclass
class PlanLink:
    predecessor: str
    successor: str
    type: LinkType = LinkType.FS
    lag_days: float = 0.0
    line: int | None = None


@dataclass
class PlanResource:
    uid: str
    name: str
    kind: str = "work"  # work, material or cost (MSPDI Type 1, 0, 2)
    max_units: float = 1.0
    email: str = ""
    initials: str = ""
    line: int | None = None


@dataclass
class PlanAssignment:
    task: str
    resource: str
    units: float = 1.0  # 1.0 = full time
    work_days: float | None = None
    line: int | None = None


@dataclass
class PlanDocument:
    name: str = ""
    source: str = ""  # file name, for messages
    start: dt.datetime | None = None
    finish: dt.datetime | None = None
    minutes_per_day: int = DEFAULT_MINUTES_PER_DAY
    minutes_per_week: int = 5 * DEFAULT_MINUTES_PER_DAY
    days_per_month: int = 20
    default_calendar: str | None = None
    calendars: list[PlanCalendar] = field(default_factory=list)
    tasks: list[PlanTask] = field(default_factory=list)
    links: list[PlanLink] = field(default_factory=list)
    resources: list[PlanResource] = field(default_factory=list)
    assignments: list[PlanAssignment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def hours_per_day(self) -> float:
        return self.minutes_per_day / 60

    def calendar(self) -> PlanCalendar | None:
        """The project's calendar (the default one), if the file has calendars."""
        for calendar in self.calendars:
            if calendar.uid == self.default_calendar:
                return calendar
        return self.calendars[0] if self.calendars else None

    def task_index(self) -> dict[str, PlanTask]:
        return {t.uid: t for t in self.tasks}

    def children(self) -> dict[str, list[str]]:
        """Summary task uid -> uids of its direct children, from the outline levels."""
        kids: dict[str, list[str]] = {}
        stack: list[PlanTask] = []
        for task in self.tasks:
            while stack and stack[-1].outline_level >= task.outline_level:
                stack.pop()
            if stack:
                kids.setdefault(stack[-1].uid, []).append(task.uid)
            stack.append(task)
        return kids

    def mark_summaries(self) -> None:
        """A task with children is a summary task, whatever its flag says (ProjectLibre and
        OpenProj write no Summary flag)."""
        parents = self.children()
        for task in self.tasks:
            task.summary = task.summary or task.uid in parents

    def check(self) -> None:
        """Refuse what no plan can hold: duplicate ids, links or assignments naming unknown
        tasks or resources, a task linked to itself, a jump in the outline, a cycle."""
        where = self.source or "plan"
        tasks = self._unique_tasks(where)
        resources = {r.uid for r in self.resources}
        previous_level = 0
        for task in self.tasks:
            if task.outline_level < 1 or task.outline_level > previous_level + 1:
                raise FormatError(where, task.line, f"task {task.label()}: outline level {task.outline_level} "
                                  f"follows level {previous_level}; a task can only go one level deeper than the one above it")
            previous_level = task.outline_level
        for link in self.links:
            for end in (link.predecessor, link.successor):
                if end not in tasks:
                    raise FormatError(where, link.line, f"link {link.predecessor} → {link.successor}: "
                                      f"no task has the id {end!r}")
            if link.predecessor == link.successor:
                raise FormatError(where, link.line, f"task {tasks[link.successor].label()} cannot depend on itself")
        for assignment in self.assignments:
            if assignment.task not in tasks:
                raise FormatError(where, assignment.line, f"assignment: no task has the id {assignment.task!r}")
            if assignment.resource not in resources:
                raise FormatError(where, assignment.line, f"assignment to task {tasks[assignment.task].label()}: "
                                  f"no resource has the id {assignment.resource!r}")
        self._check_cycle(where, tasks)

    def _unique_tasks(self, where: str) -> dict[str, PlanTask]:
        tasks: dict[str, PlanTask] = {}
        for task in self.tasks:
            if task.uid in tasks:
                raise FormatError(where, task.line, f"two tasks have the id {task.uid!r}: "
                                  f"{tasks[task.uid].label()} and {task.label()}")
            tasks[task.uid] = task
        return tasks

    def _check_cycle(self, where: str, tasks: dict[str, PlanTask]) -> None:
        cycle = find_cycle((link.predecessor, link.successor) for link in self.links)
        if cycle:
            # Start with the task that comes first in the file: the cycle reads in its order.
            rank = {uid: n for n, uid in enumerate(tasks)}
            nodes = cycle[:-1]
            at = min(range(len(nodes)), key=lambda i: rank[nodes[i]])
            cycle = nodes[at:] + nodes[:at] + [nodes[at]]
            names = " → ".join(tasks[uid].name or uid for uid in cycle)
            first = next((l for l in self.links if l.predecessor == cycle[0] and l.successor == cycle[1]), None)
            raise FormatError(where, first.line if first else None, f"the dependencies form a cycle: {names}")
