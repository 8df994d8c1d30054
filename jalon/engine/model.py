"""Problem and result types shared by every scheduling method.

Time is counted in whole *time units*: working days of the organisation's calendar for Jalon
projects (index 0 = the first working day of the planning window), or the file's unit for
benchmark instances. A task that starts at `s` with duration `d` occupies units `s .. s+d-1` and
finishes at `s + d` (exclusive end); a milestone has `d == 0` and finishes where it starts.

Link semantics, with lag `l` (negative = lead):
  FS: start(succ) >= finish(pred) + l      SS: start(succ) >= start(pred) + l
  FF: finish(succ) >= finish(pred) + l     SF: finish(succ) >= start(pred) + l

Resources come in two shapes, which may be mixed:
  * pools (PSPLIB): a cumulative capacity; a task demands some units for its whole duration;
  * people (multi-skill): one task at a time each; a task's skill requirement asks for `count`
    distinct people holding the skill at `min_level` or above. A person with capacity < 1
    (part time) stretches the tasks they do: see `Task.duration_for`. Unavailable ranges
    (absences, leave) may not overlap any task the person does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class LinkType(StrEnum):
    FS = "FS"
    SS = "SS"
    FF = "FF"
    SF = "SF"


class Status(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


class Objective(StrEnum):
    MAKESPAN = "makespan"
    LATENESS = "lateness"  # weighted lateness against deadlines, then makespan
    COST = "cost"  # sum of daily cost of assignees, then makespan


class ProblemError(ValueError):
    """The problem is malformed (unknown id, negative duration...). The message names the field."""


@dataclass(frozen=True)
class SkillRequirement:
    skill: str
    min_level: int = 1
    count: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.min_level <= 5:
            raise ProblemError(f"skill {self.skill!r}: min_level must be 1..5, got {self.min_level}")
        if self.count < 1:
            raise ProblemError(f"skill {self.skill!r}: count must be >= 1, got {self.count}")


@dataclass(frozen=True)
class Link:
    predecessor: str
    successor: str
    type: LinkType = LinkType.FS
    lag: int = 0


@dataclass(frozen=True)
class Pool:
    """A cumulative resource (PSPLIB R1..R4)."""

    id: str
    capacity: int


@dataclass(frozen=True)
class Person:
    id: str
    name: str = ""
    skills: Mapping[str, int] = field(default_factory=dict)  # skill -> level 1..5
    capacity: float = 1.0  # share of each working day (0.8 = 4 days a week)
    unavailable: tuple[tuple[int, int], ...] = ()  # half-open [start, end) ranges
    daily_cost: float = 0.0

    def __post_init__(self) -> None:
        if not 0 < self.capacity <= 1:
            raise ProblemError(f"person {self.id!r}: capacity must be in (0, 1], got {self.capacity}")
        for start, end in self.unavailable:
            if end < start:
                raise ProblemError(f"person {self.id!r}: unavailable range ({start}, {end}) ends before it starts")

    def level(self, skill: str) -> int:
        return self.skills.get(skill, 0)


@dataclass(frozen=True)
class Task:
    id: str
    duration: int = 0  # time units at full capacity; 0 for a milestone
    name: str = ""
    project: str = ""
    demands: Mapping[str, int] = field(default_factory=dict)  # pool id -> units
    skills: tuple[SkillRequirement, ...] = ()
    earliest_start: int | None = None  # "start no earlier than"
    deadline: int | None = None  # "finish no later than"; soft in resource scheduling, reported
    weight: int = 1  # lateness weight (task priority)
    pinned_start: int | None = None  # the PM fixed the start
    pinned_people: tuple[str, ...] = ()  # the PM fixed (some of) the assignees

    def __post_init__(self) -> None:
        if self.duration < 0:
            raise ProblemError(f"task {self.id!r}: duration must be >= 0, got {self.duration}")
        for pool, units in self.demands.items():
            if units < 0:
                raise ProblemError(f"task {self.id!r}: demand on {pool!r} must be >= 0, got {units}")

    @property
    def milestone(self) -> bool:
        return self.duration == 0

    @property
    def headcount(self) -> int:
        return sum(r.count for r in self.skills)

    def duration_for(self, capacities: Sequence[float]) -> int:
        """Duration when done by people of these capacities: the slowest sets the pace."""
        if not capacities or self.duration == 0:
            return self.duration
        slowest = min(capacities)
        return self.duration if slowest >= 1 else math.ceil(self.duration / slowest - 1e-9)


@dataclass(frozen=True)
class Project:
    id: str
    name: str = ""
    priority: int = 1  # weight of its tasks' lateness in a portfolio
    release: int = 0  # no task of the project starts before


@dataclass
class Problem:
    tasks: list[Task]
    links: list[Link] = field(default_factory=list)
    pools: list[Pool] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    name: str = ""

    def __post_init__(self) -> None:
        ids = [t.id for t in self.tasks]
        if len(set(ids)) != len(ids):
            dup = sorted({i for i in ids if ids.count(i) > 1})
            raise ProblemError(f"duplicate task ids: {', '.join(dup)}")
        known, pools = set(ids), {p.id for p in self.pools}
        people = {p.id for p in self.people}
        projects = {p.id for p in self.projects}
        for link in self.links:
            for end in (link.predecessor, link.successor):
                if end not in known:
                    raise ProblemError(f"link {link.predecessor}->{link.successor}: unknown task {end!r}")
            if link.predecessor == link.successor:
                raise ProblemError(f"task {link.predecessor!r} cannot depend on itself")
        for task in self.tasks:
            for pool in task.demands:
                if pool not in pools:
                    raise ProblemError(f"task {task.id!r}: unknown pool {pool!r}")
            for pid in task.pinned_people:
                if pid not in people:
                    raise ProblemError(f"task {task.id!r}: pinned person {pid!r} is unknown")
            if task.project and projects and task.project not in projects:
                raise ProblemError(f"task {task.id!r}: unknown project {task.project!r}")

    def task(self, task_id: str) -> Task:
        return self._by_id()[task_id]

    def _by_id(self) -> dict[str, Task]:
        cache = self.__dict__.get("_task_index")
        if cache is None or len(cache) != len(self.tasks):
            cache = {t.id: t for t in self.tasks}
            self.__dict__["_task_index"] = cache
        return cache


@dataclass(frozen=True)
class TaskSchedule:
    task: str
    start: int
    finish: int
    assignees: tuple[str, ...] = ()


@dataclass
class Result:
    """What every method returns."""

    method: str
    status: Status
    tasks: dict[str, TaskSchedule] = field(default_factory=dict)
    makespan: int | None = None
    lower_bound: int | None = None
    objective: float | None = None
    seconds: float = 0.0
    reasons: list[str] = field(default_factory=list)  # infeasibility and missed deadlines, in words

    @property
    def gap(self) -> float | None:
        if self.makespan is None or self.lower_bound is None or self.makespan == 0:
            return None
        return (self.makespan - self.lower_bound) / self.makespan
