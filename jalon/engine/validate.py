"""Independent checker of a schedule against its problem.

Written without reference to any scheduling method, so that tests can hold every method (CPM,
heuristic, CP-SAT) to the same rules. Time semantics are those of `engine.model`: a task occupies
units `start .. finish-1`; a milestone occupies nothing.

Violation kinds:
  missing, unknown_task, negative_start, duration, precedence, earliest_start, release, pin,
  unknown_person, skill, person_overlap, absence, pool_capacity, deadline.

Deadlines are soft in resource scheduling (a method reports a miss instead of failing), so
`deadline` violations are always listed, after every other violation, and their message says
whether the caller treats deadlines as hard; `is_valid` ignores them unless `deadlines_hard`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from jalon.engine.model import Link, LinkType, Person, Problem, Result, Task, TaskSchedule

SOFT_KINDS = frozenset({"deadline"})

Schedule = Mapping[str, TaskSchedule]


@dataclass(frozen=True)
class Violation:
    kind: str
    message: str
    tasks: tuple[str, ...]


def validate(problem: Problem, schedule: Schedule | Result, *, deadlines_hard: bool = False) -> list[Violation]:
    """Every rule the schedule breaks; an empty list means a valid schedule.

    Missed deadlines come last, their message marked hard or soft after `deadlines_hard`.
    """
    plan: Schedule = schedule.tasks if isinstance(schedule, Result) else schedule
    return _Checker(problem, plan, deadlines_hard).run()


def is_valid(problem: Problem, schedule: Schedule | Result, *, deadlines_hard: bool = False) -> bool:
    """True when nothing is broken, ignoring missed deadlines unless `deadlines_hard`."""
    found = validate(problem, schedule, deadlines_hard=deadlines_hard)
    return not [v for v in found if deadlines_hard or v.kind not in SOFT_KINDS]


def _label(task: Task) -> str:
    return f"{task.name!r} ({task.id})" if task.name else repr(task.id)


class _Checker:
    def __init__(self, problem: Problem, plan: Schedule, deadlines_hard: bool) -> None:
        self.problem = problem
        self.deadlines_hard = deadlines_hard
        self.plan = plan
        self.tasks = {t.id: t for t in problem.tasks}
        self.people = {p.id: p for p in problem.people}
        self.releases = {p.id: p.release for p in problem.projects}
        self.found: list[Violation] = []

    def add(self, kind: str, message: str, *tasks: str) -> None:
        self.found.append(Violation(kind, message, tasks))

    def run(self) -> list[Violation]:
        self.check_coverage()
        for task_id, entry in self.plan.items():
            task = self.tasks.get(task_id)
            if task is not None:
                self.check_task(task, entry)
        for link in self.problem.links:
            self.check_link(link)
        self.check_people()
        self.check_pools()
        self.check_deadlines()
        return self.found

    def check_deadlines(self) -> None:
        hardness = "hard" if self.deadlines_hard else "soft"
        for task_id, entry in self.plan.items():
            task = self.tasks.get(task_id)
            if task is not None and task.deadline is not None and entry.finish > task.deadline:
                late = entry.finish - task.deadline
                message = f"task {_label(task)} finishes at {entry.finish}, {late} after its deadline {task.deadline} ({hardness})"
                self.add("deadline", message, task.id)

    def check_coverage(self) -> None:
        for task in self.problem.tasks:
            if task.id not in self.plan:
                self.add("missing", f"task {_label(task)} is not scheduled", task.id)
        for task_id in self.plan:
            if task_id not in self.tasks:
                self.add("unknown_task", f"the schedule has task {task_id!r}, which the problem does not know", task_id)

    def check_task(self, task: Task, entry: TaskSchedule) -> None:
        label = _label(task)
        if entry.start < 0:
            self.add("negative_start", f"task {label} starts at {entry.start}, before the planning window (0)", task.id)
        expected = task.duration_for(self.capacities(entry.assignees)) if entry.assignees else task.duration
        if entry.finish - entry.start != expected:
            self.add("duration", f"task {label} lasts {entry.finish - entry.start} ({entry.start}..{entry.finish}), expected {expected}", task.id)
        if task.earliest_start is not None and entry.start < task.earliest_start:
            self.add("earliest_start", f"task {label} starts at {entry.start}, before its earliest start {task.earliest_start}", task.id)
        release = self.releases.get(task.project)
        if release is not None and entry.start < release:
            self.add("release", f"task {label} starts at {entry.start}, before its project {task.project!r} is released at {release}", task.id)
        if task.pinned_start is not None and entry.start != task.pinned_start:
            self.add("pin", f"task {label} starts at {entry.start}, but it is pinned to {task.pinned_start}", task.id)
        absent = [p for p in task.pinned_people if p not in entry.assignees]
        if absent:
            self.add("pin", f"task {label} lacks its pinned people {', '.join(absent)}", task.id)
        unknown = [p for p in entry.assignees if p not in self.people]
        for person in unknown:
            self.add("unknown_person", f"task {label} is assigned to unknown person {person!r}", task.id)
        if task.skills and not unknown:
            problem = _skill_gap(task, [self.people[p] for p in entry.assignees])
            if problem:
                self.add("skill", f"task {label}: {problem}", task.id)

    def capacities(self, assignees: Iterable[str]) -> list[float]:
        return [self.people[p].capacity for p in assignees if p in self.people]

    def check_link(self, link: Link) -> None:
        pred, succ = self.plan.get(link.predecessor), self.plan.get(link.successor)
        if pred is None or succ is None:
            return  # reported as missing
        before = {LinkType.FS: pred.finish, LinkType.SS: pred.start, LinkType.FF: pred.finish, LinkType.SF: pred.start}[link.type]
        after = succ.start if link.type in (LinkType.FS, LinkType.SS) else succ.finish
        if after < before + link.lag:
            a, b = self.tasks[link.predecessor], self.tasks[link.successor]
            self.add(
                "precedence",
                f"link {link.type.value} {_label(a)} -> {_label(b)} (lag {link.lag}) needs {before + link.lag} or later, got {after}",
                link.predecessor,
                link.successor,
            )

    def check_people(self) -> None:
        busy: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for task_id, entry in self.plan.items():
            if task_id not in self.tasks or entry.finish <= entry.start:
                continue  # milestones occupy nobody
            for person in dict.fromkeys(entry.assignees):
                if person in self.people:
                    busy[person].append((entry.start, entry.finish, task_id))
        for person_id, spans in busy.items():
            self.check_overlap(person_id, sorted(spans))
            self.check_absence(self.people[person_id], spans)

    def check_overlap(self, person_id: str, spans: Sequence[tuple[int, int, str]]) -> None:
        # Sorted by start: a span overlaps the earlier work iff it starts before the latest finish so far.
        reach, holder = spans[0][1], spans[0][2]
        for start, finish, task_id in spans[1:]:
            if start < reach:
                self.add("person_overlap", f"person {person_id!r} is on {holder!r} and {task_id!r} at the same time (unit {start})", holder, task_id)
            if finish > reach:
                reach, holder = finish, task_id

    def check_absence(self, person: Person, spans: Sequence[tuple[int, int, str]]) -> None:
        for start, finish, task_id in spans:
            for off_start, off_end in person.unavailable:
                # An empty range (start == end) blocks nothing, wherever it lies.
                if off_start < off_end and start < off_end and off_start < finish:
                    self.add("absence", f"person {person.id!r} is unavailable {off_start}..{off_end} during task {task_id!r} ({start}..{finish})", task_id)

    def check_pools(self) -> None:
        capacity = {p.id: p.capacity for p in self.problem.pools}
        events: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for task_id, entry in self.plan.items():
            task = self.tasks.get(task_id)
            if task is None or entry.finish <= entry.start:
                continue
            for pool, units in task.demands.items():
                if units:
                    # At equal times the release (-units) sorts first: a finish frees the unit it ends on.
                    events[pool].append((entry.start, units, task_id))
                    events[pool].append((entry.finish, -units, task_id))
        for pool, pool_events in events.items():
            self.sweep(pool, capacity.get(pool, 0), sorted(pool_events))

    def sweep(self, pool: str, capacity: int, events: list[tuple[int, int, str]]) -> None:
        level, overloaded = 0, False
        active: dict[str, int] = {}
        for k, (time, units, task_id) in enumerate(events):
            level += units
            if units > 0:
                active[task_id] = units
            else:
                active.pop(task_id, None)
            if k + 1 < len(events) and events[k + 1][0] == time:
                continue  # judge the level once all events at this time are in
            if level > capacity and not overloaded:
                self.add("pool_capacity", f"pool {pool!r} needs {level} units at {time}, capacity {capacity}", *sorted(active))
            overloaded = level > capacity


def _skill_gap(task: Task, people: Sequence[Person]) -> str:
    """Why these assignees do not cover the task's requirements, or '' when they do.

    Each requirement asks for `count` distinct people; one person fills one slot only, so this is a
    bipartite matching of people to slots (Kuhn's augmenting paths; a task has few people).
    """
    ids = [p.id for p in people]
    if len(set(ids)) != len(ids):
        return f"the same person is assigned twice ({', '.join(ids)})"
    if len(people) != task.headcount:
        return f"{len(people)} assignees for a headcount of {task.headcount}"
    slots = [req for req in task.skills for _ in range(req.count)]
    owner: list[int | None] = [None] * len(slots)

    def place(p: int, seen: set[int]) -> bool:
        for s, req in enumerate(slots):
            if s in seen or people[p].level(req.skill) < req.min_level:
                continue
            seen.add(s)
            holder = owner[s]
            if holder is None or place(holder, seen):
                owner[s] = p
                return True
        return False

    for p in range(len(people)):
        if not place(p, set()):
            return f"person {people[p].id!r} fills no open skill requirement ({_requirements(task)})"
    return ""


def _requirements(task: Task) -> str:
    return ", ".join(f"{r.count} x {r.skill} >= {r.min_level}" for r in task.skills)
