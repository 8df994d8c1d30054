"""The `optimize` method: a CP-SAT model warm-started from the heuristic.

Separation as in PyJobShop: `variables` (intervals, assignment literals), `constraints` (one
method per family), `objective`, and `model` (build, hint, solve, read back). `optimize` is the
only entry point; it never returns a schedule worse than the heuristic's.
"""

from __future__ import annotations

import threading
import time
from typing import TypeVar

from jalon.engine.cpsat.model import CpSatModel, SolverOutcome
from jalon.engine.heuristic import (
    compiled_search_applies,
    deadline_reasons,
    infeasibility_reasons,
    lower_bound,
    schedule_heuristic,
)
from jalon.engine.model import Objective, Problem, Result, Status, TaskSchedule
from jalon.engine.reverse import mirror, reverse, reversible

__all__ = ["optimize", "objective_key"]

_Bound = TypeVar("_Bound", int, float)

# Time given to the heuristic when no initial schedule is passed in. Small instances go to CP-SAT
# at once (it often proves them optimal in a fraction of a second); on large ones the genetic
# search improves makespans faster per second than CP-SAT's neighbourhood search with one or two
# workers (PSPLIB j120: see docs/benchmarks.md), so it gets a share growing with the cube of the
# size (0.05 s for 32 tasks, 0.4 s for 62, 3 s for 122), capped at 40 % of the limit.
# Problems above PROOF_TASKS that the compiled genetic search can take (pool-only) get at least
# 30 % of the limit: on the ten j60 instances left unproven at 10 s, 3-4 s of it gave makespans
# 6-7 units lower in all than 0.4 s (1,029 and 1,028 against 1,035); j120 at 60 s, 18 s instead
# of 3 s, gave 1.00 and 0.81 % against 1.04 % (15 instances; the machine's speed varied between
# the runs: docs/benchmarks.md).
HEURISTIC_SHARE = 0.4
HEURISTIC_SECONDS_PER_TASK_CUBED = 1.65e-6
POOL_HEURISTIC_SHARE = 0.3
# CP-SAT then runs in two phases: a complete search, which proves small instances optimal, for a
# share of the time left that shrinks with the size ((PROOF_TASKS / tasks)², within the limits
# below: all of it up to 32 tasks, a quarter at 62, a tenth from 100), then neighbourhood search
# only around its best schedule for the rest.
PROOF_TASKS = 32
PROOF_SHARE_MIN, PROOF_SHARE_MAX = 0.1, 1.0
MIN_IMPROVE_SECONDS = 0.2


def optimize(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    objective: Objective = Objective.MAKESPAN,
    workers: int = 2,
    initial: Result | None = None,
    seed: int = 0,
) -> Result:
    """Minimise `objective` within `time_limit` seconds (wall clock, heuristic included)."""
    began = time.perf_counter()
    reasons = infeasibility_reasons(problem)
    if reasons:
        return Result("optimize", Status.INFEASIBLE, reasons=reasons, seconds=time.perf_counter() - began)
    if initial is None:
        initial = schedule_heuristic(
            problem, seed=seed, time_budget=_heuristic_budget(problem, time_limit), objective=objective
        )
    if not initial.tasks:  # e.g. a cycle of links: nothing to improve
        return _relabel(initial, began)
    bound = initial.lower_bound if initial.lower_bound is not None else lower_bound(problem)
    usable = initial.status != Status.INFEASIBLE  # pin conflicts: the solver may still find a way
    share = _proof_share(problem)
    proof_alone = _proof_alone(problem, share)
    horizon = _horizon(problem, initial, objective, usable)
    model = CpSatModel(problem, objective=objective, horizon=horizon, makespan_floor=bound, cliques=not proof_alone)
    model.hint(initial.tasks)
    remaining = time_limit - (time.perf_counter() - began)
    if proof_alone and workers >= 2 and usable and reversible(problem, objective):
        backwards = CpSatModel(
            reverse(problem), objective=objective, horizon=horizon, makespan_floor=bound, cliques=False
        )
        backwards.hint(mirror(initial.tasks))
        outcome = _race(model, backwards, time_limit=share * remaining, workers=workers, seed=seed)
    else:
        outcome = model.solve(time_limit=share * remaining, workers=workers, seed=seed, complete_only=proof_alone)
    remaining = time_limit - (time.perf_counter() - began)
    if outcome.status in (Status.OPTIMAL, Status.INFEASIBLE) or remaining < MIN_IMPROVE_SECONDS:
        return _best_of(problem, initial, outcome, objective, bound, began)
    if outcome.tasks:
        model.rehint(outcome.tasks)
    improved = model.solve(time_limit=remaining, workers=workers, seed=seed + 1, improve_only=True)
    return _best_of(problem, initial, _better(outcome, improved), objective, bound, began)


def _race(forwards: CpSatModel, backwards: CpSatModel, *, time_limit: float, workers: int, seed: int) -> SolverOutcome:
    """Prove the same makespan forwards and backwards at once (see `jalon.engine.reverse`), half
    the workers each; the first proof stops the other search. Which direction is faster varies
    from instance to instance and cannot be told beforehand, so the race takes the faster of the
    two. PSPLIB j30, 10 s, 2 workers: 479 of 480 proven against 475-477 with both workers on the
    forward problem; groups 13 and 29 (the hardest), in one sitting: 17 of 20 against 15; with
    the conflict analysis of `model.INTEGER_CONFLICT_RESOLUTION`, all 480 (docs/benchmarks.md)."""
    share = max(1, workers // 2)
    outcomes: list[SolverOutcome | None] = [None, None]
    failures: list[BaseException] = []
    finished = threading.Event()

    def run(side: int, model: CpSatModel, count: int) -> None:
        try:
            outcomes[side] = model.solve(time_limit=time_limit, workers=count, seed=seed, complete_only=True)
        except BaseException as error:  # re-raised in the caller's thread below
            failures.append(error)
        finally:
            finished.set()

    threads = [
        threading.Thread(target=run, args=(0, forwards, workers - share), daemon=True),
        threading.Thread(target=run, args=(1, backwards, share), daemon=True),
    ]
    for thread in threads:
        thread.start()
    finished.wait()
    # CP-SAT may miss a stop asked just as its search begins: ask again until both have ended.
    while any(thread.is_alive() for thread in threads):
        forwards.stop()
        backwards.stop()
        for thread in threads:
            thread.join(0.02)
    forwards.unstop()
    backwards.unstop()
    if failures:
        raise failures[0]
    ahead, behind = outcomes
    assert ahead is not None and behind is not None
    if behind.tasks:
        behind.tasks = mirror(behind.tasks)
    return _merge(ahead, behind)


def _merge(a: SolverOutcome, b: SolverOutcome) -> SolverOutcome:
    """Two searches of the same makespan problem: the better schedule, the stronger bound, and
    an optimal status as soon as one of them proved it (or the bound meets the schedule)."""
    if Status.INFEASIBLE in (a.status, b.status):
        return a if a.status == Status.INFEASIBLE else b
    best, other = (a, b) if b.objective is None or (a.objective is not None and a.objective <= b.objective) else (b, a)
    best.bound = _higher(best.bound, other.bound)
    best.makespan_bound = _higher(best.makespan_bound, other.makespan_bound)
    if best.tasks and best.objective is not None and best.bound is not None and best.objective <= best.bound:
        best.status = Status.OPTIMAL
    return best


def _better(proof: SolverOutcome, improved: SolverOutcome) -> SolverOutcome:
    """The neighbourhood search's schedule when it has one and is no worse (it starts from the
    proof phase's best), with the stronger of the two proven bounds."""
    if not improved.tasks:
        return proof
    before, after = proof.objective, improved.objective
    if proof.tasks and before is not None and after is not None and after > before:
        proof.bound = _higher(proof.bound, improved.bound)
        return proof
    improved.bound = _higher(proof.bound, improved.bound)
    improved.makespan_bound = _higher(proof.makespan_bound, improved.makespan_bound)
    return improved


def _higher(a: _Bound | None, b: _Bound | None) -> _Bound | None:
    """The stronger of two lower bounds, either possibly unknown."""
    return b if a is None else a if b is None else max(a, b)


def _heuristic_budget(problem: Problem, time_limit: float) -> float:
    size = len(problem.tasks)
    seconds = HEURISTIC_SECONDS_PER_TASK_CUBED * size**3
    if size > PROOF_TASKS and compiled_search_applies(problem):
        seconds = max(seconds, POOL_HEURISTIC_SHARE * time_limit)
    return min(HEURISTIC_SHARE * time_limit, seconds)


def _proof_alone(problem: Problem, share: float) -> bool:
    """Every worker on a complete search when the proof gets the whole time and the problem has
    pools only: on such small problems the heuristic's schedule is at or near the optimum, and
    what is left to do is the proof (and the last step down, which the complete searches also
    find). Problems with people keep CP-SAT's portfolio: the assignment choices are where its
    neighbourhood searches pay, and that trade-off has not been measured otherwise.
    Such a proof goes without the redundant cliques of `Constraints.pool_disjunctions`: they
    help one complete search beside the neighbourhood searches, but slow the two searches
    without LP down more than they guide them (PSPLIB j30, all 480 at 10 s: 477 proven
    without, 475 with)."""
    return share >= PROOF_SHARE_MAX and not problem.people


def _proof_share(problem: Problem) -> float:
    share = (PROOF_TASKS / max(1, len(problem.tasks))) ** 2
    return min(PROOF_SHARE_MAX, max(PROOF_SHARE_MIN, share))


def objective_key(problem: Problem, tasks: dict[str, TaskSchedule], objective: Objective) -> tuple[float, int]:
    """(primary criterion, makespan) of a schedule; smaller is better."""
    makespan = max((t.finish for t in tasks.values()), default=0)
    if objective == Objective.MAKESPAN:
        return (makespan, makespan)
    if objective == Objective.LATENESS:
        priority = {p.id: p.priority for p in problem.projects}
        late = sum(
            task.weight * priority.get(task.project, 1) * max(0, tasks[task.id].finish - task.deadline)
            for task in problem.tasks
            if task.deadline is not None
        )
        return (late, makespan)
    people = {p.id: p for p in problem.people}
    cost = sum(people[p].daily_cost * (t.finish - t.start) for t in tasks.values() for p in t.assignees)
    return (round(cost, 2), makespan)


def _horizon(problem: Problem, initial: Result, objective: Objective, usable: bool) -> int:
    """For makespan, the heuristic's makespan is a valid and tight horizon. Other objectives may
    trade a longer project for less lateness or cost, so they get room for a serial schedule."""
    makespan = initial.makespan or 0
    if usable and objective == Objective.MAKESPAN:
        return makespan
    slowest = min((p.capacity for p in problem.people), default=1.0)
    work = sum(int(t.duration / slowest) + 1 for t in problem.tasks)
    lags = sum(max(0, link.lag) for link in problem.links)
    dated = max(
        [t.earliest_start or 0 for t in problem.tasks]
        + [t.pinned_start or 0 for t in problem.tasks]
        + [p.release for p in problem.projects]
        + [end for p in problem.people for _, end in p.unavailable],
        default=0,
    )
    return max(makespan, dated + work + lags)


def _best_of(
    problem: Problem,
    initial: Result,
    outcome: SolverOutcome,
    objective: Objective,
    bound: int,
    began: float,
) -> Result:
    """The solver's schedule when it is at least as good as the heuristic's, else the heuristic's."""
    if outcome.status == Status.INFEASIBLE:
        reasons = list(initial.reasons) + ["The optimizer proved that no schedule meets every pin and link"]
        return Result("optimize", Status.INFEASIBLE, reasons=reasons, seconds=time.perf_counter() - began)
    if outcome.makespan_bound is not None:
        bound = max(bound, outcome.makespan_bound)
    tasks, status = initial.tasks, initial.status
    if outcome.tasks and (
        initial.status == Status.INFEASIBLE
        or objective_key(problem, outcome.tasks, objective) <= objective_key(problem, initial.tasks, objective)
    ):
        tasks, status = outcome.tasks, outcome.status
    elif outcome.status == Status.OPTIMAL:
        status = Status.OPTIMAL  # the heuristic's schedule is as good as the proven optimum
    makespan = max((t.finish for t in tasks.values()), default=0)
    if objective == Objective.MAKESPAN and makespan <= bound and status != Status.INFEASIBLE:
        status = Status.OPTIMAL
    conflicts = [r for r in initial.reasons if "pinned" in r] if status == Status.INFEASIBLE else []
    return Result(
        method="optimize",
        status=status,
        tasks=tasks,
        makespan=makespan,
        lower_bound=min(bound, makespan),
        objective=float(objective_key(problem, tasks, objective)[0]),
        seconds=time.perf_counter() - began,
        reasons=conflicts + deadline_reasons(problem, tasks),
    )


def _relabel(result: Result, began: float) -> Result:
    return Result(
        "optimize", result.status, result.tasks, result.makespan, result.lower_bound,
        result.objective, time.perf_counter() - began, list(result.reasons),
    )
