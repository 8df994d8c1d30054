"""The CP-SAT model: builds variables, constraints and objective from a Problem, takes a hint,
solves, and reads the schedule back."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from ortools.sat.python.cp_model import FEASIBLE, INFEASIBLE, OPTIMAL, CpModel, CpSolver, IntVar

from jalon.engine.cpsat.constraints import Constraints
from jalon.engine.cpsat.objective import ObjectiveBuilder
from jalon.engine.cpsat.variables import Variables
from jalon.engine.model import Objective, Problem, Status, TaskSchedule


# Complete searches for a proof on several workers, in the order they are given workers: the two
# first without the LP relaxation, which holds nothing on pool-only models (CP-SAT linearises
# cumulatives only at linearization level 2; on PSPLIB j30 its LP has no row) and only slows
# each search down. Measured on the 20 j30 instances of groups 13 and 29 (the hardest), 10 s,
# 2 workers: 14 proven, mean 4.55 s, against 11 and 5.56 s with one complete search beside the
# neighbourhood searches, 13 with `default_lp` + `no_lp`, and 17 with these two and no
# redundant cliques (docs/benchmarks.md).
COMPLETE_SUBSOLVERS = ("no_lp", "quick_restart_no_lp", "default_lp", "quick_restart", "pseudo_costs", "max_lp")
# A single complete search (each side of the forward/backward race) analyses its conflicts with
# CP-SAT's integer conflict resolution (on bounds such as "start >= 12" rather than on their
# Boolean encoding) and without the disjunctions CP-SAT derives inside each cumulative. Measured
# on single proofs of the hardest j30 instances, one worker without LP, one after the other: the
# conflict resolution alone halves the conflicts of j3029_3 backwards (59,000 against 140,000)
# and cuts four others from 285,000 to 179,000; dropping the disjunctions then makes each
# conflict cheaper (six proofs: 47.7 s against 62.0 s). Groups 13 and 29, 10 s, 2 workers: 20 of
# 20 proven against 17 with neither (docs/benchmarks.md, "What changed on 2 December 2026 (day)").
INTEGER_CONFLICT_RESOLUTION = True
DISJUNCTIVE_IN_CUMULATIVE = False


@dataclass
class SolverOutcome:
    status: Status
    tasks: dict[str, TaskSchedule]
    objective: float | None  # the primary criterion (makespan, lateness or cost)
    bound: float | None  # CP-SAT's proven bound on the whole objective
    makespan_bound: int | None  # proven bound on the makespan (makespan objective only)


class CpSatModel:
    def __init__(
        self, problem: Problem, *, objective: Objective, horizon: int, makespan_floor: int, cliques: bool = True
    ) -> None:
        self.problem = problem
        self.objective = objective
        self.model = CpModel()
        self.vars = Variables(self.model, problem, horizon, makespan_floor)
        Constraints(self.model, problem, self.vars).add_all(cliques=cliques)
        self.primary = ObjectiveBuilder(self.model, problem, self.vars).add(objective)
        self._solver: CpSolver | None = None
        self._stopped = threading.Event()

    def hint(self, tasks: dict[str, TaskSchedule]) -> None:
        """Hint a complete schedule (start and team of every task) as the first solution."""
        v = self.vars
        for j, task in enumerate(self.problem.tasks):
            placed = tasks.get(task.id)
            if placed is None:
                continue
            tv = v.tasks[j]
            self.model.add_hint(tv.start, placed.start)
            self.model.add_hint(tv.end, placed.finish)
            team = {v.person_index[p] for p in placed.assignees}
            for p, lit in v.assign[j].items():
                self.model.add_hint(lit, p in team)
            if isinstance(tv.size, IntVar):  # an int size is fixed: nothing to hint
                self.model.add_hint(tv.size, placed.finish - placed.start)
            self._hint_seats(j, team)
        self.model.add_hint(v.makespan, max((t.finish for t in tasks.values()), default=0))

    def _hint_seats(self, j: int, team: set[int]) -> None:
        seat = self.vars.seat[j]
        if not seat:
            return
        taken: set[int] = set()
        for k, req in enumerate(self.problem.tasks[j].skills):
            filled = 0
            for p in self.vars.eligible[j][k]:
                chosen = p in team and p not in taken and filled < req.count
                if chosen:
                    taken.add(p)
                    filled += 1
                self.model.add_hint(seat[k, p], chosen)

    def rehint(self, tasks: dict[str, TaskSchedule]) -> None:
        """Replace the hint by another complete schedule (e.g. the best one found so far)."""
        self.model.clear_hints()
        self.hint(tasks)

    def solve(
        self, *, time_limit: float, workers: int, seed: int, improve_only: bool = False, complete_only: bool = False
    ) -> SolverOutcome:
        """Search for `time_limit` seconds: by default a complete search that can prove
        optimality next to CP-SAT's neighbourhood searches; with `improve_only`, only large
        neighbourhood search around the hint; with `complete_only`, every worker runs a complete
        search (see `COMPLETE_SUBSOLVERS`; a single worker runs the first of them, with the
        conflict analysis of `INTEGER_CONFLICT_RESOLUTION`).

        CP-SAT's default propagation is kept on purpose. Its optional cumulative reasoning
        (timetable edge finding, overload checker, hard precedences, exploit_all_precedences)
        was measured on PSPLIB: proofs of j30 got slower (46/48 proven, mean 0.62 s, against
        47/48 and 0.37 s without), and each neighbourhood of the search took up to 5 s of wall
        time for a 0.1 s deterministic budget on j120, so far fewer were explored."""
        solver = self._solver = CpSolver()
        params = solver.parameters
        params.max_time_in_seconds = max(0.05, time_limit)
        params.num_workers = max(1, workers)
        params.random_seed = seed
        params.use_lns_only = improve_only
        if complete_only and workers > 1:
            chosen = COMPLETE_SUBSOLVERS[:workers]
            params.use_lns = False
            params.num_full_subsolvers = len(chosen)
            params.subsolvers.extend(chosen)
        elif complete_only:
            params.linearization_level = 0  # what the "no_lp" subsolver is
            params.use_new_integer_conflict_resolution = INTEGER_CONFLICT_RESOLUTION
            params.use_disjunctive_constraint_in_cumulative = DISJUNCTIVE_IN_CUMULATIVE
        if self._stopped.is_set():  # stopped before the search began
            return SolverOutcome(Status.UNKNOWN, {}, None, None, None)
        code = solver.solve(self.model)
        if code not in (OPTIMAL, FEASIBLE):
            status = Status.INFEASIBLE if code == INFEASIBLE else Status.UNKNOWN
            return SolverOutcome(status, {}, None, None, None)
        bound = solver.best_objective_bound
        makespan_bound = int(round(bound)) if self.objective == Objective.MAKESPAN else None
        return SolverOutcome(
            Status.OPTIMAL if code == OPTIMAL else Status.FEASIBLE,
            self._schedule(solver),
            float(solver.value(self.primary)),
            bound,
            makespan_bound,
        )

    def stop(self) -> None:
        """End the search under way (from another thread) as soon as CP-SAT notices; `solve`
        then returns what it has. A search that has not begun yet will not run."""
        self._stopped.set()
        if self._solver is not None:
            self._solver.stop_search()

    def unstop(self) -> None:
        """Let later searches run after a `stop`."""
        self._stopped.clear()

    def _schedule(self, solver: CpSolver) -> dict[str, TaskSchedule]:
        v, people = self.vars, self.problem.people
        tasks: dict[str, TaskSchedule] = {}
        for j, task in enumerate(self.problem.tasks):
            team = tuple(people[p].id for p, lit in v.assign[j].items() if solver.boolean_value(lit))
            start = solver.value(v.tasks[j].start)
            finish = solver.value(v.tasks[j].end)
            tasks[task.id] = TaskSchedule(task.id, start, finish, team)
        return tasks
