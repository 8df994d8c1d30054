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

The passes work on integer indices in one topological order: Kahn's algorithm, first in first
out, fused with the forward pass. That order is a sequence of levels (a task's level is the
longest chain of links before it), so while the levels are wide numpy relaxes a whole level's
links at once (`np.maximum.at` forward, `np.minimum.reduceat` backward); when they get thin (a
deep chain, or a small network) a Python loop over lists takes over, a per-level numpy step
costing more than the loop there. Both give the same order, dates and driving links. Figures
are printed by `benchmarks/cpm_bench.py`.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, compress, repeat
from operator import attrgetter, is_not
from typing import Any

import numpy as np
import numpy.typing as npt

from jalon.engine.graph import find_cycle
from jalon.engine.model import Link, LinkType, Problem, ProblemError, Result, Status, Task, TaskSchedule

Ints = npt.NDArray[np.int64]

# Link type -> code; by code, whether the predecessor's duration counts in the start-to-start
# offset, and whether the successor's is subtracted.
_KIND_CODES: dict[str, int] = {LinkType.FS: 0, LinkType.SS: 1, LinkType.FF: 2, LinkType.SF: 3}
_PRED_TERM = np.array([1, 0, 1, 0], dtype=np.int64)
_SUCC_TERM = np.array([0, 0, 1, 1], dtype=np.int64)

# A numpy step over a level costs about 80 microseconds whatever its size, the Python loop about
# half a microsecond per task or link: levels are done with numpy only in networks of at least
# _VECTOR_MIN_WORK tasks + links, and only while the last _WINDOW levels average _LEVEL_WORK
# tasks + links or more (so one thin level, a start milestone or a phase gate, does not stop
# them; a deep chain stops them after _WINDOW levels).
_VECTOR_MIN_WORK = 1_000
_LEVEL_WORK = 150
_WINDOW = 4

_HASH_MATCH_MIN = 15_000  # tasks; see _link_ends


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


class CpmResult:
    """Dates and floats by task id, the critical tasks and the misses of one critical path.

    The six per-task columns are computed by the passes as arrays and turned into dictionaries
    on first use: at 100,000 tasks each dictionary costs as much as a pass, and most callers
    read two or three of them (a Gantt needs the early dates, the heuristic the late ones).
    The deadline misses, with their driving chains in words, are also worked out on first use:
    a network with many missed deadlines spends longer on explaining them than on its passes."""

    def __init__(
        self,
        ids: list[str],
        columns: dict[str, Ints],
        *,
        critical: list[str],
        makespan: int,
        pin_conflicts: list[PinConflict],
        pin_reasons: list[str],
        explain_misses: Callable[[], tuple[list[DeadlineMiss], list[str]]],
    ) -> None:
        self._ids = ids
        self._columns = columns
        self.critical = critical  # tasks with total float <= 0, in topological order
        self.makespan = makespan
        self.pin_conflicts = pin_conflicts
        self._pin_reasons = pin_reasons
        self._explain_misses: Callable[[], tuple[list[DeadlineMiss], list[str]]] | None = explain_misses

    _FIELDS = ("early_start", "early_finish", "late_start", "late_finish", "total_float", "free_float",
               "critical", "makespan", "deadline_misses", "pin_conflicts", "reasons")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CpmResult):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self._FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaced

    def __repr__(self) -> str:
        return f"CpmResult(makespan={self.makespan}, tasks={len(self._ids)}, critical={self.critical!r})"

    def _column(self, name: str) -> dict[str, int]:
        return dict(zip(self._ids, self._columns[name].tolist(), strict=True))

    @cached_property
    def _misses(self) -> tuple[list[DeadlineMiss], list[str]]:
        assert self._explain_misses is not None
        explained = self._explain_misses()
        self._explain_misses = None  # let the network go
        return explained

    @property
    def deadline_misses(self) -> list[DeadlineMiss]:
        return self._misses[0]

    @cached_property
    def reasons(self) -> list[str]:
        """The missed deadlines and the pin conflicts, in words."""
        return self._misses[1] + self._pin_reasons

    @cached_property
    def early_start(self) -> dict[str, int]:
        return self._column("early_start")

    @cached_property
    def early_finish(self) -> dict[str, int]:
        return self._column("early_finish")

    @cached_property
    def late_start(self) -> dict[str, int]:
        return self._column("late_start")

    @cached_property
    def late_finish(self) -> dict[str, int]:
        return self._column("late_finish")

    @cached_property
    def total_float(self) -> dict[str, int]:
        return self._column("total_float")

    @cached_property
    def free_float(self) -> dict[str, int]:
        return self._column("free_float")

    def span_indices(self) -> tuple[Ints, Ints]:
        """First and last working day of every early-start task, in the order of the problem's
        tasks (a milestone gets its day twice): what a Gantt chart draws. Give them to
        `WorkCalendar.dates_of` for dates."""
        first = self._columns["early_start"]
        return first, np.maximum(first, self._columns["early_finish"] - 1)

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
        makespan = int((early + net.duration).max()) if net.n else origin
        late = net.backward(makespan)
        return net.result(order, early, late, makespan)


@contextmanager
def _no_gc_pause() -> Iterator[None]:
    """Hold the cyclic garbage collector during the passes: they allocate hundreds of thousands
    of small acyclic objects (the result dictionaries' entries, the fallback's lists), which would
    trigger full collections that walk the whole problem and free nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _label(task: Task) -> str:
    return task.name or task.id


def _present(values: list[Any]) -> dict[int, int]:
    """The set entries of an optional column, by task index. Most columns are all None, which
    one C-level count tells; otherwise C-level calls pick the set ones."""
    if values.count(None) == len(values):
        return {}
    return {k: values[k] for k in compress(range(len(values)), map(is_not, values, repeat(None)))}


def _ranges(starts: Ints, counts: Ints) -> Ints:
    """The concatenation of range(start, start + count) for each pair, without a Python loop."""
    total = int(counts.sum())
    if not total:
        return np.empty(0, dtype=np.int64)
    ends = np.cumsum(counts)
    return np.repeat(starts - ends + counts, counts) + np.arange(total, dtype=np.int64)


def _link_ends(ids: list[str], links: list[Link]) -> tuple[Ints, Ints]:
    """The index in `ids` of each link's predecessor and of its successor; ProblemError for an
    end that names no task.

    Ends are matched on their hash values with numpy (a sorted array and a binary search)
    rather than through a dictionary: at 100,000 tasks the 400,000 dictionary look-ups of the
    link ends took half the time of the whole critical path, in cache misses. String hashes are
    computed once and kept by the strings. Equal hashes mean equal ids because `Problem`
    checked on construction that every link end names a task, and the ids' hashes are checked
    to be distinct (if two collide, the dictionary does the job). An unknown end, possible only
    in a problem changed after construction, is caught unless its 64-bit hash collides with an
    id's. Below _HASH_MATCH_MIN tasks the dictionary fits the caches and is the faster."""
    m = len(links)
    if not m:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    if len(ids) < _HASH_MATCH_MIN:
        return _link_ends_by_dict(ids, links)
    hashes = np.fromiter(map(hash, ids), dtype=np.int64, count=len(ids))
    by_hash = np.argsort(hashes)
    sorted_hashes = hashes[by_hash]
    if bool((sorted_hashes[1:] == sorted_hashes[:-1]).any()):
        return _link_ends_by_dict(ids, links)
    wanted = np.empty(2 * m, dtype=np.int64)
    wanted[:m] = np.fromiter(map(hash, map(_PREDECESSOR, links)), dtype=np.int64, count=m)
    wanted[m:] = np.fromiter(map(hash, map(_SUCCESSOR, links)), dtype=np.int64, count=m)
    at = np.searchsorted(sorted_hashes, wanted)
    np.minimum(at, len(ids) - 1, out=at)
    unknown = np.flatnonzero(sorted_hashes[at] != wanted)
    if unknown.size:
        k = int(unknown[0])
        end = links[k].predecessor if k < m else links[k - m].successor
        raise ProblemError(f"a link refers to unknown task {end!r}")
    positions = by_hash[at]
    return positions[:m], positions[m:]


def _link_ends_by_dict(ids: list[str], links: list[Link]) -> tuple[Ints, Ints]:
    index = dict(zip(ids, range(len(ids))))
    m = len(links)
    ends = chain(map(_PREDECESSOR, links), map(_SUCCESSOR, links))
    try:
        positions = np.fromiter(map(index.__getitem__, ends), dtype=np.int64, count=2 * m)
    except KeyError as error:
        raise ProblemError(f"a link refers to unknown task {error.args[0]!r}") from None
    return positions[:m], positions[m:]


_TASK_COLUMNS = attrgetter("id", "duration", "earliest_start", "pinned_start", "deadline")
_LINK_COLUMNS = attrgetter("type", "lag")
_PREDECESSOR, _SUCCESSOR = attrgetter("predecessor"), attrgetter("successor")
_PROJECT = attrgetter("project")


def _columns(getter: attrgetter[tuple[object, ...]], rows: list[Any], width: int) -> list[list[Any]]:
    """The attributes of `getter` as one list each. One pass over the objects that takes every
    attribute at once is about twice as fast as a pass per attribute: at 100,000 tasks the
    objects no longer fit in the caches, and each pass would fetch them from memory again."""
    flat = list(chain.from_iterable(map(getter, rows)))
    return [flat[k::width] for k in range(width)]


class _Network:
    """The problem on integer indices, its links grouped by predecessor (CSR arrays: the links of
    task i are positions bounds[i]:bounds[i + 1] of `succ` and `offset`)."""

    def __init__(self, problem: Problem, origin: int) -> None:
        self.problem = problem
        tasks, links = problem.tasks, problem.links
        self.n = n = len(tasks)
        m = len(links)
        # Columns are pulled out with C-level calls: at 100,000 tasks any Python loop over the
        # objects costs more than the passes themselves.
        self.ids, durations, earliest, pins, deadlines = _columns(_TASK_COLUMNS, tasks, 5)
        self.duration: Ints = np.array(durations, dtype=np.int64)
        self.lower = self.lower_bounds(earliest, origin)
        self.pins, self.deadlines = _present(pins), _present(deadlines)
        self.pin_mask = np.zeros(n, dtype=bool)
        self.pin_value = np.zeros(n, dtype=np.int64)
        if self.pins:
            pinned = np.fromiter(self.pins, dtype=np.int64, count=len(self.pins))
            self.pin_mask[pinned] = True
            self.pin_value[pinned] = np.fromiter(self.pins.values(), dtype=np.int64, count=len(self.pins))
        kinds, lags = _columns(_LINK_COLUMNS, links, 2)
        preds, succs = _link_ends(self.ids, links)
        codes = np.fromiter(map(_KIND_CODES.__getitem__, kinds), dtype=np.int64, count=m)
        offsets = np.array(lags, dtype=np.int64)
        offsets += self.duration[preds] * _PRED_TERM[codes] - self.duration[succs] * _SUCC_TERM[codes]
        # Group the links by predecessor; a stable sort keeps their order within a task.
        by_pred = np.argsort(preds, kind="stable")
        self.succ: Ints = succs[by_pred]
        self.offset: Ints = offsets[by_pred]
        self.out_count: Ints = np.bincount(preds, minlength=n)
        self.bounds: Ints = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(self.out_count, out=self.bounds[1:])
        self.in_count: Ints = np.bincount(succs, minlength=n)
        # Filled by the forward pass: the levels done with numpy (tasks, their links' positions,
        # their link counts), the tasks done by the Python loop after them, and the pushed pins.
        self.levels: list[tuple[Ints, Ints, Ints]] = []
        self.tail: list[int] = []
        self.out: list[list[tuple[int, int]]] = []
        self.pushed: dict[int, int] = {}

    def lower_bounds(self, earliest: list[Any], origin: int) -> Ints:
        """Per task, the latest of origin, its own earliest start and its project's release."""
        tasks = self.problem.tasks
        lower = np.full(self.n, origin, dtype=np.int64)
        starts = _present(earliest)
        if starts:
            keys = np.fromiter(starts, dtype=np.int64, count=len(starts))
            values = np.fromiter(starts.values(), dtype=np.int64, count=len(starts))
            lower[keys] = np.maximum(values, origin)
        releases = {p.id: p.release for p in self.problem.projects if p.release > origin}
        if releases:
            held = map(releases.get, map(_PROJECT, tasks), repeat(origin))
            np.maximum(lower, np.fromiter(held, dtype=np.int64, count=self.n), out=lower)
        return lower

    # --- forward pass ---------------------------------------------------------------------------

    def forward(self) -> tuple[Ints, Ints]:
        """Kahn's topological order (first-in first-out) and the early starts. Levels of the
        order are done with numpy while they are wide enough; whatever is left (a deep, narrow
        network, or a small one) goes through a Python loop over the same order."""
        early = self.lower.copy()
        waiting = self.in_count.copy()  # links not yet relaxed, per task
        frontier = np.flatnonzero(waiting == 0)
        if self.n + len(self.succ) >= _VECTOR_MIN_WORK:
            frontier = self.forward_levels(frontier, early, waiting)
        if frontier.size:
            self.tail = self.forward_tail(frontier.tolist(), early, waiting)
        parts = [tasks for tasks, _, _ in self.levels] + [np.array(self.tail, dtype=np.int64)]
        order = np.concatenate(parts)
        if len(order) < self.n:
            raise self.cycle_error(order)
        return order, early

    def forward_levels(self, frontier: Ints, early: Ints, waiting: Ints) -> Ints:
        """Relax the links of a whole level of the order at once; returns the level left over
        when the levels get too thin for numpy to pay (empty when the order is complete).

        The next level is the set of successors whose last waiting link is in this level,
        sorted by the position of that link: the order in which the first-in first-out loop
        would have queued them, so both ways give the same order."""
        bounds, succ, offset = self.bounds, self.succ, self.offset
        last_link = np.full(self.n, -1, dtype=np.int64)  # per task, the link that released it
        work: list[int] = []  # tasks + links of each level
        while frontier.size:
            if len(work) >= _WINDOW and sum(work[-_WINDOW:]) < _LEVEL_WORK * _WINDOW:
                break
            self.pin_level(frontier, early)
            counts = self.out_count[frontier]
            links = _ranges(bounds[frontier], counts)
            self.levels.append((frontier, links, counts))
            work.append(len(frontier) + len(links))
            targets = succ[links]
            np.maximum.at(early, targets, np.repeat(early[frontier], counts) + offset[links])
            np.subtract.at(waiting, targets, 1)
            # A task is released once, so its entry of `last_link` is written in one level only.
            releasing = np.flatnonzero(waiting[targets] == 0)
            released = targets[releasing]
            np.maximum.at(last_link, released, releasing)
            frontier = released[last_link[released] == releasing]
        return frontier

    def pin_level(self, tasks: Ints, early: Ints) -> None:
        """A pin overrides the early start; a pin earlier than the rest demands is recorded."""
        if not self.pins:
            return
        pinned = tasks[self.pin_mask[tasks]]
        if pinned.size:
            demanded, wanted = early[pinned], self.pin_value[pinned]
            over = demanded > wanted
            self.pushed.update(zip(pinned[over].tolist(), demanded[over].tolist(), strict=True))
            early[pinned] = wanted

    def forward_tail(self, queue: list[int], early: Ints, waiting: Ints) -> list[int]:
        """The first-in first-out loop from `queue` on, one task at a time; `queue` grows into
        the rest of the order, which it returns. `early` is updated in place."""
        out, pins, pushed = self.out_lists(), self.pins, self.pushed
        starts, left = early.tolist(), waiting.tolist()
        for i in queue:  # `queue` grows while we walk it
            es = starts[i]
            if pins and i in pins:
                if es > pins[i]:
                    pushed[i] = es
                es = starts[i] = pins[i]
            for s, offset in out[i]:
                value = es + offset
                if value > starts[s]:
                    starts[s] = value
                count = left[s] - 1
                left[s] = count
                if not count:
                    queue.append(s)
        early[:] = starts
        return queue

    def out_lists(self) -> list[list[tuple[int, int]]]:
        """Per task, its outgoing links as (successor, offset) tuples, for the Python loops."""
        if not self.out and self.n:
            pairs = list(zip(self.succ.tolist(), self.offset.tolist(), strict=True))
            cuts = self.bounds.tolist()
            self.out = [pairs[a:b] for a, b in zip(cuts, cuts[1:])]
        return self.out

    # --- backward pass --------------------------------------------------------------------------

    def backward(self, makespan: int) -> Ints:
        """Late starts from the project finish, in reverse topological order: the Python tail
        first, then the numpy levels from the last. The tasks of one level have no link between
        them, so each level takes the minimum over its links in one step."""
        late = makespan - self.duration
        if self.tail:
            late = self.backward_tail(late)
        succ, offset = self.succ, self.offset
        for tasks, links, counts in reversed(self.levels):
            if len(links):
                linked = counts > 0
                heads, sizes = tasks[linked], counts[linked]
                through = late[succ[links]] - offset[links]
                nearest = np.minimum.reduceat(through, np.cumsum(sizes) - sizes)
                late[heads] = np.minimum(late[heads], nearest)
            if self.pins:
                pinned = tasks[self.pin_mask[tasks]]
                late[pinned] = self.pin_value[pinned]
        return late

    def backward_tail(self, late: Ints) -> Ints:
        """The tasks of the Python loop, last first: their successors are all among them."""
        out, pins = self.out, self.pins
        starts = late.tolist()
        for i in reversed(self.tail):
            links = out[i]
            if links:
                ls = starts[i]
                for s, offset in links:
                    value = starts[s] - offset
                    if value < ls:
                        ls = value
                starts[i] = ls
            if pins and i in pins:
                starts[i] = pins[i]
        return np.array(starts, dtype=np.int64)

    def free_floats(self, early: Ints, makespan: int) -> Ints:
        """Free float = min over outgoing links of (early start of succ - offset) - own early
        start, capped by the project finish. It needs no order, so numpy does it at once."""
        free = makespan - early - self.duration
        if len(self.succ):
            starts = self.bounds[:-1]
            has_links = self.out_count > 0
            through = early[self.succ] - self.offset
            nearest = np.minimum.reduceat(through, starts[has_links])
            free[has_links] = np.minimum(free[has_links], nearest - early[has_links])
        return free

    def drivers(self, order: Ints, early: Ints) -> Ints:
        """Per task, the predecessor whose link set its early start (-1 when its own bound holds
        it): of the links that reach the early start, the first the forward pass relaxed, as a
        one-task-at-a-time pass keeping the first strict improvement would record."""
        driver = np.full(self.n, -1, dtype=np.int64)
        counts = self.out_count[order]
        links = _ranges(self.bounds[order], counts)  # every link, in the order they were relaxed
        if len(links):
            preds, targets = np.repeat(order, counts), self.succ[links]
            reach = early[preds] + self.offset[links]
            binding = np.flatnonzero((reach == early[targets]) & (reach > self.lower[targets]))
            first = np.full(self.n, len(links), dtype=np.int64)
            np.minimum.at(first, targets[binding], binding)
            driven = np.flatnonzero(first < len(links))
            driver[driven] = preds[first[driven]]
        return driver

    def cycle_error(self, order: Ints) -> CycleError:
        ids = self.ids
        left = np.ones(self.n, dtype=bool)
        left[order] = False
        preds = np.repeat(np.arange(self.n, dtype=np.int64), self.out_count)
        inside = left[preds] & left[self.succ]
        edges = [(ids[p], ids[s]) for p, s in zip(preds[inside].tolist(), self.succ[inside].tolist(), strict=True)]
        cycle = find_cycle(edges) or []
        return CycleError(cycle, [_label(self.problem.task(t)) for t in cycle])

    # --- result ---------------------------------------------------------------------------------

    def result(self, order: Ints, early: Ints, late: Ints, makespan: int) -> CpmResult:
        ids, duration = self.ids, self.duration
        total = late - early
        finish = early + duration
        conflicts = [PinConflict(ids[k], self.pins[k], pushed) for k, pushed in sorted(self.pushed.items())]
        critical = order[total[order] <= 0].tolist()
        columns = {
            "early_start": early,
            "early_finish": finish,
            "late_start": late,
            "late_finish": late + duration,
            "total_float": total,
            "free_float": self.free_floats(early, makespan),
        }
        return CpmResult(
            ids,
            columns,
            critical=list(map(ids.__getitem__, critical)),
            makespan=makespan,
            pin_conflicts=conflicts,
            pin_reasons=[self.pin_words(c) for c in conflicts],
            explain_misses=lambda: self.deadline_misses(order, early, finish),
        )

    def deadline_misses(self, order: Ints, early: Ints, finish: Ints) -> tuple[list[DeadlineMiss], list[str]]:
        """The missed deadlines, by task index, and their explanations."""
        keys = np.fromiter(self.deadlines, dtype=np.int64, count=len(self.deadlines))
        limits = np.fromiter(self.deadlines.values(), dtype=np.int64, count=len(self.deadlines))
        missed = keys[finish[keys] > limits].tolist()
        if not missed:
            return [], []
        parent = self.chain_parents(order, early)
        chains = [self.driving_chain(k, parent) for k in missed]
        tasks, ids = self.problem.tasks, self.ids
        labels = {i: _label(tasks[i]) for i in set(chain.from_iterable(chains))}  # chains share tasks
        misses, words = [], []
        for k, path in zip(missed, chains, strict=True):
            deadline, finishes = self.deadlines[k], int(finish[k])
            miss = DeadlineMiss(ids[k], deadline, finishes, finishes - deadline, list(map(ids.__getitem__, path)))
            misses.append(miss)
            words.append(self.miss_words(miss, [labels[i] for i in path], tasks[path[0]], int(self.lower[path[0]])))
        return misses, words

    def chain_parents(self, order: Ints, early: Ints) -> list[int]:
        """Per task, the next task back along its driving chain: the predecessor whose link set
        its early start, or -1 where the chain stops (a pin, or a task held by its own bound)."""
        driver = self.drivers(order, early)
        stops = self.pin_mask | (early <= self.lower) | (driver < 0)
        return np.where(stops, -1, driver).tolist()

    @staticmethod
    def driving_chain(k: int, parent: list[int]) -> list[int]:
        """Walk back along the links that set each early start, up to a task held by its own bound."""
        path = [k]
        k = parent[k]
        while k >= 0:
            path.append(k)
            k = parent[k]
        path.reverse()
        return path

    @staticmethod
    def miss_words(miss: DeadlineMiss, labels: list[str], first: Task, first_lower: int) -> str:
        """`labels` are those of the chain, first task first; `first_lower` is the first task's
        lower bound, which says whether its own earliest start holds it."""
        days = "day" if miss.days_missing == 1 else "days"
        who = "the chain " + " → ".join(labels) if len(labels) > 1 else "the task on its own"
        held = ""
        if first.earliest_start is not None and first_lower == first.earliest_start > 0:
            held = f" ({_label(first)} cannot start before day {first.earliest_start})"
        return (
            f"Deadline of '{labels[-1]}' (day {miss.deadline}) cannot be met: "
            f"{who} finishes on day {miss.earliest_finish}, {miss.days_missing} {days} late{held}"
        )

    def pin_words(self, conflict: PinConflict) -> str:
        label = _label(self.problem.task(conflict.task))
        return (
            f"'{label}' is pinned to start on day {conflict.pinned_start}, "
            f"but its dependencies and constraints allow day {conflict.earliest_start} at the earliest"
        )
