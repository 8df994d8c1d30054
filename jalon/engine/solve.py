"""One entry point for every scheduling method: `solve(problem, method=...)`."""

from __future__ import annotations

import time

from jalon.engine.cpm import critical_path
from jalon.engine.model import Objective, Problem, ProblemError, Result, Status

METHODS = ("cpm", "heuristic", "optimize")


def solve(
    problem: Problem,
    *,
    method: str = "heuristic",
    time_limit: float | None = None,
    seed: int = 0,
    objective: Objective = Objective.MAKESPAN,
    workers: int = 2,
    max_iterations: int | None = None,
) -> Result:
    """Schedule `problem` with one method; every method returns the same Result type.

    * `cpm`: no resources; early dates, float and the critical path.
    * `heuristic`: resource- and skill-aware list scheduling; `time_limit` (default 1 s) bounds
      its improvement search, `max_iterations` makes it reproducible whatever the machine speed.
    * `optimize`: CP-SAT warm-started from the heuristic; `time_limit` defaults to 10 s.
    """
    if method == "cpm":
        began = time.perf_counter()
        try:
            result = critical_path(problem).to_result()
        except ProblemError as error:
            return Result("cpm", Status.INFEASIBLE, reasons=[str(error)], seconds=time.perf_counter() - began)
        result.seconds = time.perf_counter() - began
        return result
    if method == "heuristic":
        from jalon.engine.heuristic import schedule_heuristic

        budget = 1.0 if time_limit is None and max_iterations is None else time_limit
        return schedule_heuristic(
            problem, seed=seed, time_budget=budget, max_iterations=max_iterations, objective=objective
        )
    if method == "optimize":
        from jalon.engine.cpsat import optimize

        return optimize(
            problem, time_limit=10.0 if time_limit is None else time_limit, objective=objective, workers=workers, seed=seed
        )
    raise ProblemError(f"unknown method {method!r}: choose among {', '.join(METHODS)}")
