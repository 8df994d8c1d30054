"""Critical path method: early and late dates, floats and the critical path, resources ignored.

Every link type reduces to one difference constraint between start times, with the offset
  FS: d(pred) + lag      SS: lag      FF: d(pred) + lag - d(succ)      SF: lag - d(succ)
so that `start(succ) >= start(pred) + offset` (see `engine.model` for the link semantics).

Forward pass: a task starts at the latest of `origin`, its `earliest_start`, its project's
`release` and what its incoming links demand; a `pinned_start` overrides all of these (as a
"must start on" constraint does in MS Project) and a pin that the rest would push later is
reported as a conflict. Backward pass: late dates are computed from the project finish (the
makespan), as MS Project does; deadlines do not move late dates, so without pins every total
float is >= 0 and a missed deadline is reported as a `DeadlineMiss` with the chain that drives it.

The passes work on integer indices in one topological order (Kahn's algorithm fused with the
forward pass); the links' offsets and grouping are prepared with numpy. Figures are printed by
`benchmarks/cpm_bench.py`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter

import numpy as np

from jalon.engine.graph import find_cycle
from jalon.engine.model import LinkType, Problem, ProblemError, Result, Status, Task, TaskSchedule

# Link type -> (pred duration counts, succ duration counts) in the start-to-start offset.
_OFFSET_TERMS: dict[str, tuple[int, int]] = {
    LinkType.FS: (1, 0),
    LinkType.SS: (0, 0),
    LinkType.FF: (1, 1),
    LinkType.SF: (0, 1),
}


class CycleError(ProblemError):
    """The links form a cycle; `cycle` lists the task ids in order, the first repeated at the end."""

    def __init__(self, cycle: list[str], labels: list[str]) -> None:
        self.cycle = cycle
        super().__init__(f"the dependencies form a cycle: {' → '.join(labels)}")


@dataclass(frozen=True)
class DeadlineMiss:
    task: str
    deadline: int
    earliest_finish: int
    days_missing: int
    chain: list[str]  # the driving predecessors, first task first, ending with `task`


@dataclass(frozen=True)
class PinConflict:
    task: str
    pinned_start: int
    earliest_start: int  # what links, origin, earliest_start and release demand


@dataclass
class CpmResult:
    early_start: dict[str, int]
    early_finish: dict[str, int]
    late_start: dict[str, int]
    late_finish: dict[str, int]
    total_float: dict[str, int]
    free_float: dict[str, int]
    critical: list[str]  # tasks with total float <= 0, in topological order
    makespan: int
    deadline_misses: list[DeadlineMiss] = field(default_factory=list)
    pin_conflicts: list[PinConflict] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # misses and conflicts, in words

    def to_result(self) -> Result:
        """The early-start schedule as the common result type of every method."""
        schedule = {
            task_id: TaskSchedule(task_id, start, self.early_finish[task_id])
            for task_id, start in self.early_start.items()
        }
        # Without resources the early schedule is the shortest one, unless a pin breaks a link.
        status = Status.INFEASIBLE if self.pin_conflicts else Status.OPTIMAL
        return Result(
            method="cpm",
            status=status,
            tasks=schedule,
            makespan=self.makespan,
            lower_bound=self.makespan,
            objective=float(self.makespan),
            reasons=list(self.reasons),
        )


def critical_path(problem: Problem, *, origin: int = 0) -> CpmResult:
    """Early/late dates, floats, critical tasks and deadline misses; raises CycleError on a cycle."""
    with _no_gc_pause():
        net = _Network(problem, origin)
        order, early = net.forward()
        duration = net.duration
        makespan = max((early[i] + duration[i] for i in order), default=origin)
        late, free = net.backward(order, early, makespan)
        return net.result(order, early, late, free, makespan)


@contextmanager
def _no_gc_pause() -> Iterator[None]:
    """Hold the cyclic garbage collector during the passes: they allocate hundreds of thousands
    of small acyclic lists and tuples, which would trigger full collections that walk the whole
    problem (a third of the time at 100,000 tasks) and free nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _label(task: Task) -> str:
    return task.name or task.id


_ID, _DURATION, _EARLIEST = attrgetter("id"), attrgetter("duration"), attrgetter("earliest_start")
_PROJECT, _PINNED, _DEADLINE = attrgetter("project"), attrgetter("pinned_start"), attrgetter("deadline")
_PRED, _SUCC, _TYPE, _LAG = attrgetter("predecessor"), attrgetter("successor"), attrgetter("type"), attrgetter("lag")


class _Network:
    """The problem on integer indices: per task, its outgoing links as (successor, offset)."""

    def __init__(self, problem: Problem, origin: int) -> None:
        self.problem = problem
        tasks, links = problem.tasks, problem.links
        # Columns are pulled out with C-level map() calls: at 100,000 tasks a Python loop over
        # the objects costs more than both passes together.
        self.ids = list(map(_ID, tasks))
        self.duration = list(map(_DURATION, tasks))
        self.lower = [origin if e is None or e < origin else e for e in map(_EARLIEST, tasks)]
        releases = {p.id: p.release for p in problem.projects if p.release > origin}
        if releases:
            for k, project in enumerate(map(_PROJECT, tasks)):
                if releases.get(project, origin) > self.lower[k]:
                    self.lower[k] = releases[project]
        self.pins = {k: v for k, v in enumerate(map(_PINNED, tasks)) if v is not None}
        self.deadlines = {k: v for k, v in enumerate(map(_DEADLINE, tasks)) if v is not None}
        self.index = index = {task_id: k for k, task_id in enumerate(self.ids)}
        n, duration = len(tasks), np.asarray(self.duration, dtype=np.int64)
        try:
            preds = np.fromiter(map(index.__getitem__, map(_PRED, links)), dtype=np.int64, count=len(links))
            succs = np.fromiter(map(index.__getitem__, map(_SUCC, links)), dtype=np.int64, count=len(links))
        except KeyError as error:
            raise ProblemError(f"a link refers to unknown task {error.args[0]!r}") from None
        terms = np.array([_OFFSET_TERMS[kind] for kind in map(_TYPE, links)], dtype=np.int64).reshape(-1, 2)
        offsets = np.fromiter(map(_LAG, links), dtype=np.int64, count=len(links))
        offsets += duration[preds] * terms[:, 0] - duration[succs] * terms[:, 1]
        # Group the links by predecessor (CSR); a stable sort keeps their order within a task.
        by_pred = np.argsort(preds, kind="stable")
        bounds = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(preds, minlength=n), out=bounds[1:])
        self.sorted_succs, self.sorted_offsets, self.bounds = succs[by_pred], offsets[by_pred], bounds
        pairs = list(zip(self.sorted_succs.tolist(), self.sorted_offsets.tolist(), strict=True))
        cuts = bounds.tolist()
        self.out: list[list[tuple[int, int]]] = [pairs[a:b] for a, b in zip(cuts, cuts[1:])]
        self.waiting: list[int] = np.bincount(succs, minlength=n).tolist()  # links left, for Kahn

    def forward(self) -> tuple[list[int], list[int]]:
        """Kahn's topological order, computing early starts as each task is released."""
        out, pins, waiting = self.out, self.pins, self.waiting
        early = list(self.lower)
        self.driver = driver = [-1] * len(early)  # the predecessor whose link set the early start
        self.pushed: dict[int, int] = {}
        order = [k for k, count in enumerate(waiting) if not count]
        for i in order:  # `order` grows while we walk it
            es = early[i]
            if pins and i in pins:
                if es > pins[i]:
                    self.pushed[i] = es
                es = early[i] = pins[i]
            for s, offset in out[i]:
                value = es + offset
                if value > early[s]:
                    early[s] = value
                    driver[s] = i
                left = waiting[s] - 1
                waiting[s] = left
                if not left:
                    order.append(s)
        if len(order) < len(early):
            raise self.cycle_error(set(order))
        return order, early

    def backward(self, order: list[int], early: list[int], makespan: int) -> tuple[list[int], list[int]]:
        """Late starts from the project finish, in reverse topological order, and free floats."""
        out, pins = self.out, self.pins
        late = [makespan - d for d in self.duration]
        for i in reversed(order):
            links = out[i]
            if links:
                ls = late[i]
                for s, offset in links:
                    value = late[s] - offset
                    if value < ls:
                        ls = value
                late[i] = ls
            if pins and i in pins:
                late[i] = pins[i]
        return late, self.free_floats(early, makespan)

    def free_floats(self, early: list[int], makespan: int) -> list[int]:
        """Free float = min over outgoing links of (early start of succ - offset) - own early
        start, capped by the project finish. It needs no order, so numpy does it at once."""
        es = np.asarray(early, dtype=np.int64)
        free = makespan - es - np.asarray(self.duration, dtype=np.int64)
        if len(self.sorted_succs):
            starts = self.bounds[:-1]
            has_links = self.bounds[1:] > starts
            through = es[self.sorted_succs] - self.sorted_offsets
            nearest = np.minimum.reduceat(through, starts[has_links])
            free[has_links] = np.minimum(free[has_links], nearest - es[has_links])
        return free.tolist()

    def cycle_error(self, done: set[int]) -> CycleError:
        ids = self.ids
        edges = [(ids[p], ids[s]) for p, links in enumerate(self.out) if p not in done for s, _ in links if s not in done]
        cycle = find_cycle(edges) or []
        return CycleError(cycle, [_label(self.problem.task(t)) for t in cycle])

    def result(self, order: list[int], early: list[int], late: list[int], free: list[int], makespan: int) -> CpmResult:
        ids, duration = self.ids, self.duration
        total = [ls - es for ls, es in zip(late, early, strict=True)]
        finish_early = [es + d for es, d in zip(early, duration, strict=True)]
        finish_late = [ls + d for ls, d in zip(late, duration, strict=True)]
        misses = self.deadline_misses(early, finish_early)
        conflicts = [PinConflict(ids[k], self.pins[k], pushed) for k, pushed in sorted(self.pushed.items())]
        return CpmResult(
            early_start=dict(zip(ids, early, strict=True)),
            early_finish=dict(zip(ids, finish_early, strict=True)),
            late_start=dict(zip(ids, late, strict=True)),
            late_finish=dict(zip(ids, finish_late, strict=True)),
            total_float=dict(zip(ids, total, strict=True)),
            free_float=dict(zip(ids, free, strict=True)),
            critical=[ids[k] for k in order if total[k] <= 0],
            makespan=makespan,
            deadline_misses=misses,
            pin_conflicts=conflicts,
            reasons=[self.miss_words(m) for m in misses] + [self.pin_words(c) for c in conflicts],
        )

    def deadline_misses(self, early: list[int], finish: list[int]) -> list[DeadlineMiss]:
        misses = []
        for k, deadline in self.deadlines.items():
            if finish[k] > deadline:
                chain = self.driving_chain(k, early)
                misses.append(DeadlineMiss(self.ids[k], deadline, finish[k], finish[k] - deadline, chain))
        return misses

    def driving_chain(self, k: int, early: list[int]) -> list[str]:
        """Walk back along the links that set each early start, up to a task held by its own bound."""
        chain = [k]
        while k not in self.pins and early[k] > self.lower[k] and self.driver[k] >= 0:
            k = self.driver[k]
            chain.append(k)
        return [self.ids[i] for i in reversed(chain)]

    def miss_words(self, miss: DeadlineMiss) -> str:
        task = self.problem.task
        days = "day" if miss.days_missing == 1 else "days"
        if len(miss.chain) > 1:
            who = "the chain " + " → ".join(_label(task(t)) for t in miss.chain)
        else:
            who = "the task on its own"
        first = task(miss.chain[0])
        held = ""
        if first.earliest_start is not None and self.lower[self.index[first.id]] == first.earliest_start > 0:
            held = f" ({_label(first)} cannot start before day {first.earliest_start})"
        return (
            f"Deadline of '{_label(task(miss.task))}' (day {miss.deadline}) cannot be met: "
            f"{who} finishes on day {miss.earliest_finish}, {miss.days_missing} {days} late{held}"
        )

    def pin_words(self, conflict: PinConflict) -> str:
        label = _label(self.problem.task(conflict.task))
        return (
            f"'{label}' is pinned to start on day {conflict.pinned_start}, "
            f"but its dependencies and constraints allow day {conflict.earliest_start} at the earliest"
        )
