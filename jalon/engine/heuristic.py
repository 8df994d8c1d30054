"""Resource- and skill-aware list scheduling: the `heuristic` method.

How it works, in four layers:
  1. `_Instance` compiles a Problem into index-based lists (fast inner loops, no dict lookups).
  2. `_Sgs` is a serial schedule generation scheme: it takes tasks in the order of an *activity
     list* (a topological order of the links) and starts each one as early as its links, its
     release, the pools' time-indexed profiles and its people's calendars allow. People are
     chosen among the eligible free ones, the least loaded, least over-qualified and cheapest first.
  3. Forward-backward improvement (justification): the schedule is replayed right-justified on
     the mirrored problem, then left-justified again, which often closes gaps.
  4. A genetic algorithm over activity lists (two-point crossover, adjacent-swap mutation),
     seeded by priority rules (LFT, LST, MTS, GRPW) and regret-biased random sampling, runs
     within `time_budget` seconds or `max_iterations` schedules.

On pool-only problems (no task needs people or has a pinned start: PSPLIB, for one) layers 2-4
run compiled by numba (`fastsgs`, loaded lazily: see `_Kernels` and `_search_path`): the same
schedules for the same activity lists, about fifty times as many evaluations per second, and a
steady-state GA with restarts when the population has converged.

Determinism: the result depends only on the problem, `seed` and how many schedules were built.
With `max_iterations` (and `time_budget=None`) the result is fully reproducible; with a time
budget, a faster machine may fit more iterations and return a better schedule.
"""

from __future__ import annotations

import heapq
import math
import os
import random
import sys
import threading
import time
from bisect import bisect_right, insort
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from jalon.engine.cpm import _no_gc_pause, critical_path
from jalon.engine.model import (
    LinkType,
    Objective,
    Problem,
    ProblemError,
    Result,
    Status,
    TaskSchedule,
)

RULES = ("LFT", "LST", "MTS", "GRPW", "RANDOM")
_FS, _SS, _FF, _SF = 0, 1, 2, 3
_KIND = {LinkType.FS: _FS, LinkType.SS: _SS, LinkType.FF: _FF, LinkType.SF: _SF}
# Mirroring time (start' = -finish) turns SS into FF and back; FS and SF keep their type.
_MIRROR = {_FS: _FS, _SS: _FF, _FF: _SS, _SF: _SF}
_NEVER = 1 << 60


def schedule_heuristic(
    problem: Problem,
    *,
    seed: int = 0,
    time_budget: float | None = 1.0,
    max_iterations: int | None = None,
    rules: Sequence[str] = RULES,
    objective: Objective = Objective.MAKESPAN,
) -> Result:
    """Schedule every task of `problem` respecting links, pools, people, skills and absences.

    Returns status FEASIBLE (OPTIMAL when the makespan meets the lower bound), with reasons for
    missed deadlines, or INFEASIBLE with the reasons (missing skills, demand above a pool's
    capacity, pinned people lacking a skill, a cycle of links...).
    """
    began = time.perf_counter()
    try:
        cpm = critical_path(problem)
    except ProblemError as error:
        return _infeasible(problem, [str(error)], began)
    reasons = infeasibility_reasons(problem)
    if reasons:
        return _infeasible(problem, reasons, began)
    unknown = [r for r in rules if r.upper() not in RULES]
    if unknown or not rules:
        raise ProblemError(f"unknown priority rule(s) {unknown}: choose among {', '.join(RULES)}")
    instance = _Instance(problem)
    late_start = [cpm.late_start[t.id] for t in problem.tasks]
    late_finish = [cpm.late_finish[t.id] for t in problem.tasks]
    bound = lower_bound(problem, cpm.makespan)
    target: tuple[float, ...] | None = None  # a score nothing can beat: stop there
    if objective == Objective.MAKESPAN:
        target = (0, bound, 0)
    elif objective == Objective.LATENESS:
        target = (0, 0, bound)
    path = _search_path(problem, time_budget, max_iterations)
    searches = _Searches(instance, objective, random.Random(seed), began, time_budget, max_iterations, target)
    # The search allocates millions of short-lived acyclic lists: the cyclic collector's full
    # passes over them freed nothing and cost up to 60 ms at the end of a 1,000-task search.
    with _no_gc_pause():
        best = searches.run(path, [r.upper() for r in rules], late_start, late_finish)
        return _result(problem, instance, best, bound, objective, began)


class _Searches:
    """Runs the pure-Python or the compiled search, or both in turn while the kernels load."""

    def __init__(self, inst: _Instance, objective: Objective, rng: random.Random, began: float,
                 time_budget: float | None, max_iterations: int | None, target: tuple[float, ...] | None) -> None:
        self.args = (inst, objective, rng, began, time_budget)
        self.deadline = began + (time_budget or 0.0)  # used only with a budget (the hand-over)
        self.max_iterations = max_iterations
        self.target = target
        self.iterations = 0

    def make(self, kind: type[_Search], cap: int | None = None) -> _Search:
        search = kind(*self.args, self.max_iterations if cap is None else cap)
        search.target, search.iterations = self.target, self.iterations
        return search

    def run(self, path: str, rules: list[str], late_start: list[int], late_finish: list[int]) -> _Schedule:
        if path != "hand-over":
            return self.make(_FastSearch if path == "fast" else _Search).run(rules, late_start, late_finish)
        # The kernels are loading (`_Kernels`, ~0.9 s of CPU): first the priority rules in Python,
        # which often meet the lower bound at once; then leave the loading thread alone for most
        # of the time left (it needs the GIL: a Python search beside it takes half of it, and
        # loading then lasts twice as long, delaying the next calls too); then search in Python,
        # yielding the GIL to it at every evaluation; go on compiled from the best schedule as
        # soon as it is done. On a busy machine loading takes 2-3 s whatever is done meanwhile.
        cap = len(rules) if self.max_iterations is None else min(len(rules), self.max_iterations)
        first = self.make(_Search, cap)
        first.hand_over = True
        best = first.run(rules, late_start, late_finish)
        self.iterations = first.iterations
        if first.reached or first.iterations == self.max_iterations:
            return best
        _Kernels.loaded.wait(timeout=max(0.0, _LOAD_WAIT_SHARE * (self.deadline - _LOAD_STALL - time.perf_counter())))
        if not _Kernels.loaded.is_set():
            python = self.make(_Search)
            python.hand_over = True
            best = min(best, python.run(rules, late_start, late_finish), key=lambda s: s.score)
            self.iterations = python.iterations
            python.hand_over = False
            if python.reached or python.out_of_budget():
                return best
        if not _Kernels.usable() or self.deadline - time.perf_counter() <= 0:
            return best
        fast = self.make(_FastSearch)
        assert isinstance(fast, _FastSearch)
        fast.seeds = [best.order]
        return min(best, fast.run(rules, late_start, late_finish), key=lambda s: s.score)


# Loading numba and the compiled kernels costs about 0.9 s of CPU once per process: worth it only
# for about that much pure-Python work (see `_search_path`).
_FAST_LOAD_SECONDS = 0.5
_LOAD_WAIT_SHARE = 0.75  # of the time left after the priority rules, left to the loading thread
# numba's set-up holds the GIL for up to ~0.1 s at a time (measured; more on a busy machine):
# while it loads, the search stops that much before its deadline.
_LOAD_STALL = 0.1
_PYTHON_SECONDS_PER_TASK = 15e-6  # one pure-Python evaluation (3 passes), per task (j30-j120)


def compiled_search_applies(problem: Problem) -> bool:
    """Whether the compiled kernels of `fastsgs` can search this problem: pool-only problems
    (no task needs people or has a pinned start) of three tasks or more."""
    return len(problem.tasks) >= 3 and not any(
        t.skills or t.pinned_people or t.pinned_start is not None for t in problem.tasks
    )


def _search_path(problem: Problem, time_budget: float | None, max_iterations: int | None) -> str:
    """"fast" to search with the compiled kernels of `fastsgs`, "python" for the pure-Python
    search, "hand-over" for the Python search while the kernels load in the background, then the
    compiled one. Only pool-only problems (no task needs people or has a pinned start) can go
    compiled, and only when the pure-Python search would take longer than loading the kernels.
    Without a time budget the choice depends on the problem and the iteration cap alone (the
    kernels are then loaded on the spot), so seeded runs are the same in every process."""
    if not compiled_search_applies(problem):
        return "python"
    if time_budget is None:
        pays = max_iterations is None or max_iterations * len(problem.tasks) * _PYTHON_SECONDS_PER_TASK > _FAST_LOAD_SECONDS
        return "fast" if pays and _Kernels.usable(wait=True) else "python"
    if _Kernels.usable():
        return "fast"
    if time_budget >= _FAST_LOAD_SECONDS and _Kernels.start():
        return "hand-over"
    return "python"


class _Kernels:
    """numba and the kernels of `fastsgs`, loaded once per process by a background thread: the
    import of numba (≈0.35-0.5 s), its compiler's set-up (≈0.45 s) and the cached machine code,
    ≈0.9 s of CPU in all; or a compilation of ≈20 s the very first time, when numba writes its
    cache. Under a time budget the search goes on meanwhile (`_Searches.run`), so even the first
    call keeps its budget; loading failures fall back to the pure-Python search."""

    lock = threading.Lock()
    loaded = threading.Event()
    thread: threading.Thread | None = None
    failure: Exception | None = None

    @classmethod
    def start(cls) -> bool:
        """Start loading unless done or under way; False when loading failed."""
        with cls.lock:
            if cls.thread is None:
                cls.thread = threading.Thread(target=cls._load, name="jalon-fastsgs", daemon=True)
                cls.thread.start()
        return cls.failure is None

    @classmethod
    def usable(cls, wait: bool = False) -> bool:
        if wait:
            cls.start()
            cls.loaded.wait()
        return cls.loaded.is_set() and cls.failure is None

    @classmethod
    def _forget_unfinished_load(cls) -> None:
        """In a forked child the loading thread is gone: start afresh if it had not finished."""
        if cls.thread is not None and not cls.loaded.is_set():
            cls.lock, cls.loaded, cls.thread = threading.Lock(), threading.Event(), None

    @classmethod
    def _load(cls) -> None:
        # The loading thread gives up the GIL at each of the hundreds of files it reads; with
        # the default 5 ms switch interval it waits that long to get it back from the search.
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, 0.0005))
        try:
            from jalon.engine import fastsgs

            fastsgs.warm_up()
        except Exception as error:  # numba missing or broken: the pure-Python search still works
            cls.failure = error
        finally:
            sys.setswitchinterval(interval)
            cls.loaded.set()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_Kernels._forget_unfinished_load)


def load_compiled_kernels() -> bool:
    """Load numba and the compiled search now, as one imports a library, rather than at the
    first pool-only problem (a long-running process, a benchmark worker). False if unavailable."""
    return _Kernels.usable(wait=True)


def infeasibility_reasons(problem: Problem) -> list[str]:
    """Reasons no schedule can exist whatever the dates: missing skills or people, demands above
    a pool's capacity, pinned people who lack the skills. Empty when none is found."""
    reasons: list[str] = []
    capacity = {p.id: p.capacity for p in problem.pools}
    people = {p.id: p for p in problem.people}
    for task in problem.tasks:
        found = len(reasons)
        for pool, units in task.demands.items():
            if units > capacity[pool]:
                reasons.append(
                    f"Task {_label(task)} needs {units} units of pool '{pool}'; its capacity is {capacity[pool]}"
                )
        for req in task.skills:
            holders = [p for p in problem.people if p.level(req.skill) >= req.min_level]
            if len(holders) < req.count:
                who = ", ".join(p.name or p.id for p in holders) or "nobody"
                noun = "person" if req.count == 1 else "people"
                reasons.append(
                    f"Task {_label(task)} needs {req.count} {noun} with '{req.skill}' level ≥ {req.min_level}; "
                    f"only {len(holders)} exist{'s' if len(holders) == 1 else ''}: {who}"
                )
        if len(reasons) == found and task.skills:
            if _match_slots(_slots_of(task, problem), list(problem.people), fixed=()) is None:
                reasons.append(f"Task {_label(task)} needs {task.headcount} distinct people for its skills; too few hold them")
        if task.skills and task.pinned_people:
            pinned = [people[p] for p in task.pinned_people]
            if _match_slots(_slots_of(task, problem), list(problem.people), fixed=pinned) is None:
                names = ", ".join(p.name or p.id for p in pinned)
                reasons.append(f"Task {_label(task)}: pinned people ({names}) lack the required skills {_skills_text(task)}")
    return reasons


def lower_bound(problem: Problem, cpm_makespan: int | None = None) -> int:
    """A makespan no schedule can beat: the largest of the critical path, each pool's energy
    (demand × duration / capacity) and each skill group's workload (the person-days only people of
    a set S can do, divided by |S|, as in the iMOPSE bounds)."""
    bound = cpm_makespan if cpm_makespan is not None else critical_path(problem).makespan
    for pool in problem.pools:
        energy = sum(t.duration * t.demands.get(pool.id, 0) for t in problem.tasks)
        if pool.capacity > 0:
            bound = max(bound, math.ceil(energy / pool.capacity))
    return max(bound, _workload_bound(problem))


def _workload_bound(problem: Problem) -> int:
    bit = {p.id: 1 << i for i, p in enumerate(problem.people)}
    work: dict[int, int] = {}
    for task in problem.tasks:
        for req in task.skills:
            mask = 0
            for person in problem.people:
                if person.level(req.skill) >= req.min_level:
                    mask |= bit[person.id]
            work[mask] = work.get(mask, 0) + task.duration * req.count
    best = 0
    everyone = (1 << len(problem.people)) - 1
    for group in set(work) | {everyone}:
        size = group.bit_count()
        if size:
            inside = sum(w for mask, w in work.items() if mask & ~group == 0)
            best = max(best, math.ceil(inside / size))
    return best


# --------------------------------------------------------------------------- compiled instance


@dataclass(frozen=True)
class _Slot:
    """One requirement of a task: `count` people among `eligible` (person indices)."""

    skill: str
    min_level: int
    count: int
    eligible: tuple[int, ...]


def _slots_of(task, problem: Problem) -> list[_Slot]:
    index = {p.id: i for i, p in enumerate(problem.people)}
    return [
        _Slot(r.skill, r.min_level, r.count, tuple(index[p.id] for p in problem.people if p.level(r.skill) >= r.min_level))
        for r in task.skills
    ]


def _match_slots(slots: list[_Slot], people: list, fixed: Sequence) -> list[int] | None:
    """Whether the fixed people can each fill a distinct seat of the slots, and the rest be
    filled by anyone eligible: a bipartite matching by augmenting paths. Returns the seat owners."""
    index = {p.id: i for i, p in enumerate(people)}
    seats = [k for k, s in enumerate(slots) for _ in range(s.count)]
    owner: list[int | None] = [None] * len(seats)

    def place(person: int, seen: set[int]) -> bool:
        for seat, slot in enumerate(seats):
            if seat in seen or person not in slots[slot].eligible:
                continue
            seen.add(seat)
            if owner[seat] is None or place(owner[seat], seen):  # type: ignore[arg-type]
                owner[seat] = person
                return True
        return False

    for person in fixed:
        if not place(index[person.id], set()):
            return None
    used = {o for o in owner if o is not None}
    for person in range(len(people)):
        if None not in owner:
            break
        if person not in used and place(person, set()):
            used.add(person)
    return None if None in owner else [o for o in owner if o is not None]


class _Instance:
    """Index-based view of a Problem, plus its mirror image for backward passes."""

    def __init__(self, problem: Problem, mirror_of: _Instance | None = None) -> None:
        self.problem = problem
        tasks = problem.tasks
        self.n = len(tasks)
        self.ids = [t.id for t in tasks]
        pos = {t.id: i for i, t in enumerate(tasks)}
        self.person_ids = [p.id for p in problem.people]
        self.capacity = [p.capacity for p in problem.people]
        self.cost = [p.daily_cost for p in problem.people]
        self.pool_capacity = [p.capacity for p in problem.pools]
        pool_index = {p.id: k for k, p in enumerate(problem.pools)}
        self.demands = [[(pool_index[p], q) for p, q in t.demands.items() if q > 0] for t in tasks]
        self.duration = [t.duration for t in tasks]
        self.preds: list[list[tuple[int, int, int]]] = [[] for _ in tasks]
        self.succs: list[list[tuple[int, int, int]]] = [[] for _ in tasks]
        for link in problem.links:
            a, b = pos[link.predecessor], pos[link.successor]
            self.preds[b].append((a, _KIND[link.type], link.lag))
            self.succs[a].append((b, _KIND[link.type], link.lag))
        person_index = {p.id: i for i, p in enumerate(problem.people)}
        self.slots = [_slots_of(t, problem) for t in tasks]
        self.pinned_people = [tuple(person_index[p] for p in t.pinned_people) for t in tasks]
        release = {p.id: p.release for p in problem.projects}
        self.release = [max(0, t.earliest_start or 0, release.get(t.project, 0)) for t in tasks]
        self.pinned_start = [t.pinned_start for t in tasks]
        self.unavailable = [_merge(p.unavailable) for p in problem.people]
        priority = {p.id: p.priority for p in problem.projects}
        self.lateness_weight = [t.weight * priority.get(t.project, 1) for t in tasks]
        self.deadline = [t.deadline for t in tasks]
        self.headcount = [max(t.headcount, len(t.pinned_people)) for t in tasks]
        self.candidates = [sorted({p for s in slots for p in s.eligible} | set(pins)) for slots, pins in zip(self.slots, self.pinned_people)]
        # Each person's own pace on each task they may do (part time stretches the task).
        self.own_duration: list[dict[int, int]] = [{} for _ in tasks]
        for j in range(self.n):
            for p in self.candidates[j]:
                self.own_duration[j][p] = self.duration_for(j, (p,))
        self.horizon = self._horizon(problem)
        self._neighbours()
        if mirror_of is None:
            self.mirror = self._mirrored()

    def _neighbours(self) -> None:
        """Distinct predecessor counts and successor lists, for topological sorts (hot loops)."""
        self.pred_count = [len({p for p, _, _ in links}) for links in self.preds]
        # A set's iteration order, as before this was precomputed: the biased random sampling's
        # draws depend on the order tasks become ready, so seeded results stay the same.
        self.next_tasks = [list({s for s, _, _ in links}) for links in self.succs]

    def duration_for(self, j: int, team: Sequence[int]) -> int:
        d = self.duration[j]
        if d == 0 or not team:
            return d
        slowest = min(self.capacity[p] for p in team)
        return d if slowest >= 1 else math.ceil(d / slowest - 1e-9)

    def levels(self, j: int, candidates: Sequence[int], forced: Sequence[int]) -> list[int]:
        """The task durations worth trying, shortest first: one per distinct pace among the
        candidates, none below the pace of the slowest forced person."""
        own = self.own_duration[j]
        for p in candidates:
            if p not in own:
                own[p] = self.duration_for(j, (p,))
        levels = sorted({own[p] for p in candidates})
        if forced:
            floor = max(own[p] for p in forced)
            levels = [lv for lv in levels if lv >= floor]
        return levels

    def _horizon(self, problem: Problem) -> int:
        """A time by which any serial schedule has finished: sizes the pools' profiles."""
        slowest = min(self.capacity, default=1.0)
        total = sum(math.ceil(d / slowest) for d in self.duration)
        lags = sum(max(0, link.lag) for link in problem.links)
        absences = max((end for ranges in self.unavailable for _, end in ranges), default=0)
        pinned = max((s + math.ceil(d / slowest) for s, d in zip(self.pinned_start, self.duration) if s is not None), default=0)
        return max(self.release, default=0) + total + lags + absences + pinned + 1

    def _mirrored(self) -> _Instance:
        """Same tasks on reversed time: links reversed (SS <-> FF), no releases or pins. Used
        only to derive activity orders, so dropping the date constraints is harmless."""
        mirror = object.__new__(_Instance)
        mirror.__dict__.update(self.__dict__)
        mirror.preds = [[(s, _MIRROR[k], lag) for s, k, lag in self.succs[j]] for j in range(self.n)]
        mirror.succs = [[(p, _MIRROR[k], lag) for p, k, lag in self.preds[j]] for j in range(self.n)]
        mirror.release = [0] * self.n
        mirror.pinned_start = [None] * self.n
        mirror.unavailable = [[] for _ in self.unavailable]  # absences are dated: meaningless mirrored
        mirror._neighbours()
        return mirror


def _merge(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# --------------------------------------------------------------------------- schedule generation


@dataclass
class _Schedule:
    order: list[int]
    start: list[int]
    finish: list[int]
    team: list[tuple[int, ...]]
    score: tuple[float, ...] = ()
    conflicts: list[str] = field(default_factory=list)  # pinned tasks that could not be honoured


class _Sgs:
    """Serial schedule generation over one activity list."""

    def __init__(self, inst: _Instance, fixed_team: Sequence[tuple[int, ...]] | None = None) -> None:
        self.inst = inst
        self.fixed_team = fixed_team
        self.free = [[c] * (inst.horizon + 1) for c in inst.pool_capacity]
        self.busy_start = [[s for s, _ in r] for r in inst.unavailable]
        self.busy_end = [[e for _, e in r] for r in inst.unavailable]
        self.load = [0] * len(inst.person_ids)
        self.start = [0] * inst.n
        self.finish = [0] * inst.n
        self.team: list[tuple[int, ...]] = [()] * inst.n
        self.conflicts: list[str] = []

    def run(self, order: Sequence[int]) -> _Schedule:
        inst = self.inst
        pinned = [j for j in order if inst.pinned_start[j] is not None]
        for j in pinned:  # pinned tasks first: they hold their dates whatever the order says
            self._place_pinned(j)
        for j in order:
            if inst.pinned_start[j] is None:
                start, team = self._earliest(j, self._earliest_start(j))
                self._book(j, start, team)
        for j in pinned:  # now every predecessor is placed: do the links allow the pinned date?
            needed = self._earliest_start(j)
            if needed > self.start[j]:
                task = inst.problem.tasks[j]
                self.conflicts.append(f"Task {_label(task)} is pinned at {self.start[j]} but its links require {needed} or later")
        return _Schedule(list(order), self.start, self.finish, self.team, conflicts=self.conflicts)

    def _earliest_start(self, j: int) -> int:
        inst, start, finish = self.inst, self.start, self.finish
        d = inst.duration[j]  # FF/SF use the full-pace duration: a slower team only finishes later
        est = inst.release[j]
        for p, kind, lag in inst.preds[j]:
            if kind == _FS:
                t = finish[p] + lag
            elif kind == _SS:
                t = start[p] + lag
            elif kind == _FF:
                t = finish[p] + lag - d
            else:
                t = start[p] + lag - d
            if t > est:
                est = t
        return est

    def _place_pinned(self, j: int) -> None:
        inst = self.inst
        at = inst.pinned_start[j]
        assert at is not None
        start, team = self._earliest(j, at)
        if start != at:
            what = "its people or pools are taken" if start > at else "it cannot start there"
            self.conflicts.append(f"Task {_label(inst.problem.tasks[j])} is pinned at {at} but {what}; earliest possible {start}")
            pinned_team, _ = self._team_at(j, at, max_level=True)
            team = pinned_team or ()
        self._book(j, at, team)

    def _book(self, j: int, start: int, team: tuple[int, ...]) -> None:
        inst = self.inst
        d = inst.duration_for(j, team) if team else inst.duration[j]
        self.start[j], self.finish[j], self.team[j] = start, start + d, team
        for k, q in inst.demands[j]:
            row = self.free[k]
            for t in range(start, start + d):
                row[t] -= q
        if d:
            for p in team:
                insort(self.busy_start[p], start)
                insort(self.busy_end[p], start + d)
                self.load[p] += d

    def _pool_conflict(self, j: int, t: int, d: int) -> int:
        """The last time in [t, t+d) where a pool lacks room for task j, or -1."""
        for k, q in self.inst.demands[j]:
            row = self.free[k]
            for tau in range(t + d - 1, t - 1, -1):
                if row[tau] < q:
                    return tau
        return -1

    def _earliest(self, j: int, est: int) -> tuple[int, tuple[int, ...]]:
        inst = self.inst
        needs_people = bool(inst.slots[j] or inst.pinned_people[j] or (self.fixed_team and self.fixed_team[j]))
        t = max(est, 0)
        if not needs_people:
            d = inst.duration[j]
            while True:
                tau = self._pool_conflict(j, t, d)
                if tau < 0:
                    return t, ()
                t = tau + 1
        while True:
            ok, nxt = self._team_at(j, t)
            if ok is not None:
                return t, ok
            t = nxt

    def _team_at(self, j: int, t: int, max_level: bool = False) -> tuple[tuple[int, ...] | None, int]:
        """The team that can start task j at t (shortest duration first), else the next time
        worth trying. Past that time a blocked person becomes free or a pool frees room."""
        inst = self.inst
        if self.fixed_team is not None and self.fixed_team[j]:
            candidates = list(self.fixed_team[j])
            slots: list[_Slot] = []
            forced = candidates
        else:
            slots = inst.slots[j]
            forced = list(inst.pinned_people[j])
            candidates = inst.candidates[j]
        own = inst.own_duration
        levels = inst.levels(j, candidates, forced)
        if max_level:
            levels = levels[-1:]
        next_try = _NEVER
        for level in levels:
            blocked_until = t + 1
            tau = self._pool_conflict(j, t, level)
            pool_blocked = tau >= 0
            if pool_blocked:
                blocked_until = tau + 1
            free, person_wait = [], _NEVER
            for p in candidates:
                if own[j][p] > level:
                    continue
                wait = self._busy_until(p, t, level)
                if wait < 0:
                    free.append(p)
                elif wait < person_wait:
                    person_wait = wait
            team = self._choose(j, slots, free, forced)
            if team is not None and (not pool_blocked or max_level):
                return team, t
            if team is None:
                blocked_until = max(blocked_until, person_wait)
            next_try = min(next_try, blocked_until)
        return None, max(next_try, t + 1)

    def _busy_until(self, p: int, t: int, d: int) -> int:
        """-1 when person p is free over [t, t+d), else the first time after t from which they
        are free for d units (the start of their first long enough gap)."""
        if d == 0:
            return -1
        ends, starts = self.busy_end[p], self.busy_start[p]
        i = bisect_right(ends, t)
        if i == len(ends) or starts[i] >= t + d:
            return -1
        at = ends[i]
        for k in range(i + 1, len(starts)):
            if starts[k] >= at + d:
                break
            at = ends[k]
        return at

    def _choose(self, j: int, slots: list[_Slot], free: list[int], forced: list[int]) -> tuple[int, ...] | None:
        """Fill the task's seats from the free people: forced ones first, then the least loaded,
        least over-qualified and cheapest. Falls back to a matching when greedy filling fails."""
        if len(free) < self.inst.headcount[j]:
            return None
        free_set = set(free)
        if any(p not in free_set for p in forced):
            return None
        if not slots:
            return tuple(forced)
        inst = self.inst
        level_of = inst.problem.people
        chosen: list[int] = []
        remaining = [s.count for s in slots]
        for p in forced:  # give each forced person a seat they qualify for
            k = next((k for k, s in enumerate(slots) if remaining[k] and p in s.eligible), None)
            if k is None:
                return self._matched(j, slots, free, forced)
            remaining[k] -= 1
            chosen.append(p)
        taken = set(chosen)
        for k in sorted(range(len(slots)), key=lambda k: len(slots[k].eligible)):
            slot = slots[k]
            if not remaining[k]:
                continue
            pool = [p for p in slot.eligible if p in free_set and p not in taken]
            if len(pool) < remaining[k]:
                return self._matched(j, slots, free, forced) if len(slots) > 1 else None
            pool.sort(key=lambda p: (self.load[p], level_of[p].level(slot.skill) - slot.min_level, inst.cost[p], p))
            for p in pool[: remaining[k]]:
                chosen.append(p)
                taken.add(p)
        return tuple(sorted(chosen))

    def _matched(self, j: int, slots: list[_Slot], free: list[int], forced: list[int]) -> tuple[int, ...] | None:
        people = self.inst.problem.people
        free_slots = [_Slot(s.skill, s.min_level, s.count, tuple(p for p in s.eligible if p in set(free))) for s in slots]
        owners = _match_slots(free_slots, people, fixed=[people[p] for p in forced])
        return None if owners is None else tuple(sorted(owners))


# --------------------------------------------------------------------------- improvement search


class _Search:
    """Priority rules, forward-backward improvement and a genetic algorithm over activity lists."""

    def __init__(
        self,
        inst: _Instance,
        objective: Objective,
        rng: random.Random,
        began: float,
        time_budget: float | None,
        max_iterations: int | None,
    ) -> None:
        self.inst = inst
        self.objective = objective
        self.rng = rng
        self.deadline = None if time_budget is None else began + time_budget
        self.max_iterations = max_iterations
        self.iterations = 0
        self.related = [{s for s, _, _ in inst.succs[j]} for j in range(inst.n)]
        self.target: tuple[float, ...] | None = None  # a score nothing can beat: stop there
        self.reached = False
        self.pass_seconds = 0.0  # what an evaluation costs (3 passes): do not start one that would overrun
        self.whole_seconds = 0.0  # the last whole evaluation's time
        self.hand_over = False  # stop as soon as the compiled kernels are loaded (see `_Kernels`)

    def out_of_budget(self) -> bool:
        margin = 0.0
        if self.hand_over:
            if _Kernels.loaded.is_set():
                return True
            # Let the loading thread take the GIL now: it gives it up at each file it reads and
            # would otherwise wait a whole switch interval (5 ms) each time to get it back.
            time.sleep(0)
            margin = _LOAD_STALL
        if self.reached:
            return True
        if self.max_iterations is not None and self.iterations >= self.max_iterations:
            return True
        return self.deadline is not None and time.perf_counter() + self.pass_seconds + margin >= self.deadline

    def run(self, rules: list[str], late_start: list[int], late_finish: list[int]) -> _Schedule:
        population: list[_Schedule] = []
        for rule in rules:
            if population and self.out_of_budget():
                break
            if rule == "RANDOM":
                population.append(self.evaluate(self.biased_random_order(late_finish)))
            else:
                population.append(self.evaluate(self.rule_order(rule, late_start, late_finish)))
        best = min(population, key=lambda s: s.score)
        size = max(10, min(40, 2 * len(population) + self.inst.n // 3))
        while len(population) < size and "RANDOM" in rules and not self.out_of_budget():
            population.append(self.evaluate(self.biased_random_order(late_finish)))
        if len(population) < 2 or self.inst.n < 3:
            return min(population, key=lambda s: s.score)
        return self.evolve(population, size, best)

    def evolve(self, population: list[_Schedule], size: int, best: _Schedule) -> _Schedule:
        seen = {tuple(s.start) for s in population}
        while not self.out_of_budget():
            mother, father = self.rng.sample(population, 2)
            for child_order in self.crossover(mother.order, father.order):
                self.mutate(child_order)
                child = self.evaluate(child_order)
                key = tuple(child.start)
                if key not in seen:
                    seen.add(key)
                    population.append(child)
                if self.out_of_budget():
                    break
            population.sort(key=lambda s: s.score)
            del population[size:]
        return min([best, *population], key=lambda s: s.score)

    def evaluate(self, order: list[int]) -> _Schedule:
        """Forward pass, then backward-forward justification; keeps the better one."""
        inst = self.inst
        began = time.perf_counter()
        forward = _Sgs(inst).run(order)
        # A whole evaluation is three passes; the backward one, with its team fixed, may cost
        # more than a forward one, so the last whole evaluation's time counts too.
        self.pass_seconds = max(3 * (time.perf_counter() - began), self.whole_seconds)
        self.iterations += 1
        forward.score = self.score(forward)
        if inst.n < 3 or self._stops_at(forward) or self.out_of_budget():
            return forward
        by_finish = _topological(inst.mirror, key=lambda j: -forward.finish[j])
        backward = _Sgs(inst.mirror, fixed_team=forward.team).run(by_finish)
        again_order = _topological(inst, key=lambda j: -backward.finish[j])
        again = _Sgs(inst).run(again_order)
        again.score = self.score(again)
        self._stops_at(again)
        self.whole_seconds = time.perf_counter() - began
        return again if again.score <= forward.score else forward

    def _stops_at(self, schedule: _Schedule) -> bool:
        if self.target is not None and schedule.score <= self.target:
            self.reached = True
        return self.reached

    def score(self, s: _Schedule) -> tuple[float, ...]:
        inst = self.inst
        makespan = max(s.finish, default=0)
        late = sum(
            w * max(0, f - d) for w, f, d in zip(inst.lateness_weight, s.finish, inst.deadline) if d is not None
        )
        pins = len(s.conflicts)  # an unhonoured pin outweighs everything else
        if self.objective == Objective.LATENESS:
            return (pins, late, makespan)
        if self.objective == Objective.COST:
            cost = sum(inst.cost[p] * (f - st) for st, f, team in zip(s.start, s.finish, s.team) for p in team)
            return (pins, cost, makespan)
        return (pins, makespan, late)

    def rule_order(self, rule: str, late_start: list[int], late_finish: list[int]) -> list[int]:
        inst = self.inst
        if rule == "LFT":
            return _topological(inst, key=lambda j: (late_finish[j], late_start[j]))
        if rule == "LST":
            return _topological(inst, key=lambda j: (late_start[j], late_finish[j]))
        if rule == "MTS":
            total = _successor_counts(inst)
            return _topological(inst, key=lambda j: (-total[j], late_finish[j]))
        if rule == "GRPW":
            weight = [inst.duration[j] + sum(inst.duration[s] for s, _, _ in inst.succs[j]) for j in range(inst.n)]
            return _topological(inst, key=lambda j: (-weight[j], late_finish[j]))
        raise ProblemError(f"unknown priority rule {rule!r}")

    def biased_random_order(self, late_finish: list[int]) -> list[int]:
        """Regret-based biased random sampling: tasks with an earlier latest finish are likelier."""
        inst = self.inst
        missing = list(inst.pred_count)
        ready = [j for j in range(inst.n) if missing[j] == 0]
        order: list[int] = []
        while ready:
            worst = max(late_finish[j] for j in ready)
            weights = [(worst - late_finish[j] + 1) ** 2 for j in ready]
            pick = self.rng.choices(range(len(ready)), weights=weights)[0]
            j = ready.pop(pick)
            order.append(j)
            for s in inst.next_tasks[j]:
                missing[s] -= 1
                if missing[s] == 0:
                    ready.append(s)
        return order

    def crossover(self, mother: list[int], father: list[int]) -> list[list[int]]:
        """Two-point crossover (Hartmann 1998): keeps every child a topological order."""
        n = len(mother)
        q1, q2 = sorted(self.rng.sample(range(n + 1), 2))
        return [self._cross(mother, father, q1, q2), self._cross(father, mother, q1, q2)]

    @staticmethod
    def _cross(first: list[int], second: list[int], q1: int, q2: int) -> list[int]:
        child = first[:q1]
        taken = set(child)
        for j in second:
            if len(child) == q2:
                break
            if j not in taken:
                child.append(j)
                taken.add(j)
        child.extend(j for j in first if j not in taken)
        return child

    def mutate(self, order: list[int], rate: float = 0.05) -> None:
        for i in range(len(order) - 1):
            if self.rng.random() < rate and order[i + 1] not in self.related[order[i]]:
                order[i], order[i + 1] = order[i + 1], order[i]


class _FastSearch(_Search):
    """The same search on pool-only problems, with schedule generation, justification and the
    genetic algorithm compiled by numba (`fastsgs`): the same schedules for the same activity
    lists, about fifty times as many per second (3-4 % of a Python evaluation's CPU time on
    j30-j120). The GA runs in chunks of evaluations between which the time budget is checked."""

    # Measured on the stratified j30 and j120 samples at 10,000-40,000 evaluations: more rounds
    # of justification did not help; a mutation rate of 0.1 did a little better than 0.05 and
    # 0.02; restarts took j30 from 0.25 % to 0.03 % at 40,000 (5 and 20 did not do better than 10).
    rounds = 1  # backward-forward justifications per evaluation, as the Python search
    rate = 0.1  # mutation: chance of swapping each pair of neighbours
    restart_factor = 10  # restart when the best has not improved for this many population sizes of children

    def __init__(self, inst: _Instance, objective: Objective, rng: random.Random, began: float,
                 time_budget: float | None, max_iterations: int | None) -> None:
        super().__init__(inst, objective, rng, began, time_budget, max_iterations)
        from jalon.engine import fastsgs  # numba: loaded only now (see the module's docstring)

        self.fast = fastsgs
        mirror = inst.mirror
        self.forward = fastsgs.network(inst.duration, inst.demands, inst.pool_capacity, inst.release, inst.preds, inst.pred_count, inst.next_tasks)
        self.backward = fastsgs.network(inst.duration, inst.demands, inst.pool_capacity, mirror.release, mirror.preds, mirror.pred_count, mirror.next_tasks)
        self.free = fastsgs.profile(inst.pool_capacity, inst.horizon)
        self.weight = np.asarray(inst.lateness_weight, np.int64)
        self.due = np.asarray([_NEVER if d is None else d for d in inst.deadline], np.int64)
        self.code = {Objective.MAKESPAN: 0, Objective.LATENESS: 1}.get(objective, 2)
        self.state = np.array([rng.getrandbits(63) | 1], np.uint64)
        self.seeds: list[list[int]] = []  # activity lists to start the population with

    def run(self, rules: list[str], late_start: list[int], late_finish: list[int]) -> _Schedule:
        inst, fast = self.inst, self.fast
        target = self.target[1:] if self.target is not None else (-1, -1)
        self.goal = (int(target[0]), int(target[1]))
        finish_by = np.asarray(late_finish, np.int64)
        self.late_finish = finish_by
        self.stale = np.zeros(1, np.int64)
        members = [self.evaluate_array(np.asarray(order, np.int64)) for order in self.seeds]
        for rule in rules:
            if members and self.out_of_budget():
                break
            if rule == "RANDOM":
                members.append(self.evaluate_array(self.random_array(finish_by)))
            else:
                members.append(self.evaluate_array(np.asarray(self.rule_order(rule, late_start, late_finish), np.int64)))
        size = self.population_size(len(members))
        self.restart_after = int(self.restart_factor * size)
        while len(members) < size and "RANDOM" in rules and not self.out_of_budget():
            members.append(self.evaluate_array(self.random_array(finish_by)))
        orders = np.array([m[0] for m in members])
        starts = np.array([m[1] for m in members])
        score1 = np.array([m[2] for m in members], np.int64)
        score2 = np.array([m[3] for m in members], np.int64)
        if len(members) >= 2 and inst.n >= 3:
            self.evolve_arrays(orders, starts, score1, score2)
        best = min(range(len(score1)), key=lambda i: (score1[i], score2[i], i))
        start = [int(x) for x in starts[best]]
        finish = [s + d for s, d in zip(start, inst.duration)]
        return _Schedule([int(x) for x in orders[best]], start, finish, [()] * inst.n, score=(0, int(score1[best]), int(score2[best])))

    def population_size(self, seeded: int) -> int:
        return max(10, min(40, 2 * seeded + self.inst.n // 3))

    def random_array(self, late_finish: np.ndarray) -> np.ndarray:
        order = np.empty(self.inst.n, np.int64)
        self.fast.biased_random_order(self.forward, late_finish, self.state, order)
        return order

    def evaluate_array(self, order: np.ndarray) -> tuple[np.ndarray, np.ndarray, int, int]:
        """One forward pass and its justification; the kept activity list, starts and score."""
        n = self.inst.n
        kept, start, finish = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
        began = time.perf_counter()
        s1, s2 = self.fast.evaluate(
            self.forward, self.backward, self.free, self.weight, self.due, self.code, *self.goal, self.rounds, order, kept, start, finish
        )
        # The first call in a process also loads the kernels from numba's cache: not a pace.
        self.pass_seconds = time.perf_counter() - began if self.iterations else 0.0
        self.iterations += 1
        self.reached = self.reached or (s1, s2) <= self.goal
        return kept, start, int(s1), int(s2)

    def evolve_arrays(self, orders: np.ndarray, starts: np.ndarray, score1: np.ndarray, score2: np.ndarray) -> None:
        prints = self.fast.fingerprints(starts)
        while not self.out_of_budget():
            chunk = self.chunk()
            began = time.perf_counter()
            done, reached = self.fast.evolve(
                self.forward, self.backward, self.free, self.weight, self.due, self.code, *self.goal, self.rounds,
                orders, starts, score1, score2, prints, self.state, self.rate, chunk,
                self.late_finish, self.restart_after, self.stale,
            )
            self.pass_seconds = (time.perf_counter() - began) / max(done, 1)
            self.iterations += done
            self.reached = self.reached or reached

    def chunk(self) -> int:
        """Evaluations for the next compiled call: all that remain without a time budget, else
        about 5 ms of work and never more than the time left."""
        chunk = 1 << 40
        if self.max_iterations is not None:
            chunk = self.max_iterations - self.iterations
        if self.deadline is not None:
            each = max(self.pass_seconds, 1e-7)
            left = self.deadline - time.perf_counter() - 0.002  # leaves time to build the result
            chunk = min(chunk, int(0.005 / each), int(left / each))
        return max(1, chunk)


def _topological(inst: _Instance, key) -> list[int]:
    """Kahn's algorithm taking the ready task with the smallest key first."""
    missing = list(inst.pred_count)
    next_tasks = inst.next_tasks
    heap = [(key(j), j) for j in range(inst.n) if missing[j] == 0]
    heapq.heapify(heap)
    order: list[int] = []
    push, pop = heapq.heappush, heapq.heappop
    while heap:
        _, j = pop(heap)
        order.append(j)
        for s in next_tasks[j]:
            missing[s] -= 1
            if missing[s] == 0:
                push(heap, (key(s), s))
    return order


def _successor_counts(inst: _Instance) -> list[int]:
    reach = [0] * inst.n
    for j in reversed(_topological(inst, key=lambda j: j)):
        for s, _, _ in inst.succs[j]:
            reach[j] |= reach[s] | (1 << s)
    return [r.bit_count() for r in reach]


# --------------------------------------------------------------------------- result


def _result(problem: Problem, inst: _Instance, best: _Schedule, bound: int, objective: Objective, began: float) -> Result:
    tasks = {
        inst.ids[j]: TaskSchedule(inst.ids[j], best.start[j], best.finish[j], tuple(inst.person_ids[p] for p in best.team[j]))
        for j in range(inst.n)
    }
    makespan = max(best.finish, default=0)
    reasons = list(best.conflicts) + deadline_reasons(problem, tasks)
    if best.conflicts:
        status = Status.INFEASIBLE
    elif objective == Objective.MAKESPAN and makespan <= bound:
        status = Status.OPTIMAL
    else:
        status = Status.FEASIBLE
    return Result(
        method="heuristic",
        status=status,
        tasks=tasks,
        makespan=makespan,
        lower_bound=bound,
        objective=float(best.score[1]) if len(best.score) > 1 else None,
        seconds=time.perf_counter() - began,
        reasons=reasons,
    )


def deadline_reasons(problem: Problem, schedule: dict[str, TaskSchedule]) -> list[str]:
    """One sentence per task finishing after its deadline, naming the task and the days missing."""
    reasons = []
    for task in problem.tasks:
        placed = schedule.get(task.id)
        if task.deadline is not None and placed is not None and placed.finish > task.deadline:
            days = placed.finish - task.deadline
            reasons.append(
                f"Task {_label(task)} finishes at {placed.finish}, {days} day{'s' if days > 1 else ''} "
                f"after its deadline ({task.deadline})"
            )
    return reasons


def _infeasible(problem: Problem, reasons: list[str], began: float) -> Result:
    return Result(method="heuristic", status=Status.INFEASIBLE, reasons=reasons, seconds=time.perf_counter() - began)


def _label(task) -> str:
    return f"'{task.name}' ({task.id})" if task.name and task.name != task.id else f"'{task.id}'"


def _skills_text(task) -> str:
    return ", ".join(f"'{r.skill}' ≥ {r.min_level}" for r in task.skills)
