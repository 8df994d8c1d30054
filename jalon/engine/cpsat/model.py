"""The CP-SAT model: builds variables, constraints and objective from a Problem, takes a hint,
solves, and reads the schedule back."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python.cp_model import FEASIBLE, INFEASIBLE, OPTIMAL, CpModel, CpSolver

from jalon.engine.cpsat.constraints import Constraints
from jalon.engine.cpsat.objective import ObjectiveBuilder
from jalon.engine.cpsat.variables import Variables
from jalon.engine.model import Objective, Problem, Status, TaskSchedule


@dataclass
class SolverOutcome:
    status: Status
    tasks: dict[str, TaskSchedule]
    objective: float | None  # the primary criterion (makespan, lateness or cost)
    bound: float | None  # CP-SAT's proven bound on the whole objective
    makespan_bound: int | None  # proven bound on the makespan (makespan objective only)


class CpSatModel:
    def __init__(self, problem: Problem, *, objective: Objective, horizon: int, makespan_floor: int) -> None:
        self.problem = problem
        self.objective = objective
        self.model = CpModel()
        self.vars = Variables(self.model, problem, horizon, makespan_floor)
        Constraints(self.model, problem, self.vars).add_all()
        self.primary = ObjectiveBuilder(self.model, problem, self.vars).add(objective)

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
            if not isinstance(tv.size, int):
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

    def solve(self, *, time_limit: float, workers: int, seed: int) -> SolverOutcome:
        solver = CpSolver()
        params = solver.parameters
        params.max_time_in_seconds = max(0.05, time_limit)
        params.num_workers = max(1, workers)
        params.random_seed = seed
        # Scheduling-friendly propagation; cheap next to what it prunes on PSPLIB.
        params.use_timetable_edge_finding_in_cumulative = True
        params.use_overload_checker_in_cumulative = True
        params.use_hard_precedences_in_cumulative = True
        params.exploit_all_precedences = True
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

    def _schedule(self, solver: CpSolver) -> dict[str, TaskSchedule]:
        v, people = self.vars, self.problem.people
        tasks: dict[str, TaskSchedule] = {}
        for j, task in enumerate(self.problem.tasks):
            team = tuple(people[p].id for p, lit in v.assign[j].items() if solver.boolean_value(lit))
            start = solver.value(v.tasks[j].start)
            finish = solver.value(v.tasks[j].end)
            tasks[task.id] = TaskSchedule(task.id, start, finish, team)
        return tasks
