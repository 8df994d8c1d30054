"""CP-SAT decision variables: one interval per task, one optional interval per (task, eligible
person), seat literals for tasks with several skill requirements, and the makespan."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python.cp_model import CpModel, Domain, IntervalVar, IntVar, LinearExprT

from jalon.engine.model import Problem, Task


@dataclass
class TaskVars:
    start: IntVar
    end: IntVar
    size: LinearExprT  # an int when every possible team works at the same pace
    interval: IntervalVar
    paces: dict[int, int]  # person index -> task duration at that person's pace


class Variables:
    """All variables of the model, indexed like `problem.tasks` and `problem.people`."""

    def __init__(self, model: CpModel, problem: Problem, horizon: int, makespan_floor: int) -> None:
        self.model = model
        self.problem = problem
        self.horizon = horizon
        self.person_index = {p.id: i for i, p in enumerate(problem.people)}
        self.eligible = [self._eligible(t) for t in problem.tasks]
        self.tasks = [self._task_vars(j, t) for j, t in enumerate(problem.tasks)]
        # assign[j][p]: person p works on task j; person_interval[j][p] its optional interval.
        self.assign: list[dict[int, IntVar]] = []
        self.person_interval: list[dict[int, IntervalVar]] = []
        for j, task in enumerate(problem.tasks):
            self._people_vars(j, task)
        # seat[j][(k, p)]: person p fills requirement k of task j (only with several requirements).
        self.seat: list[dict[tuple[int, int], IntVar]] = [self._seat_vars(j, t) for j, t in enumerate(problem.tasks)]
        self.makespan = model.new_int_var(min(makespan_floor, horizon), horizon, "makespan")

    def _eligible(self, task: Task) -> list[list[int]]:
        """Per requirement, the people holding the skill at the level."""
        return [
            [i for i, p in enumerate(self.problem.people) if p.level(r.skill) >= r.min_level] for r in task.skills
        ]

    def _task_vars(self, j: int, task: Task) -> TaskVars:
        model, h = self.model, self.horizon
        pinned = [self.person_index[p] for p in task.pinned_people]
        candidates = sorted({p for group in self.eligible[j] for p in group} | set(pinned))
        people = self.problem.people
        paces = {p: task.duration_for([people[p].capacity]) for p in candidates}
        start = model.new_int_var(0, h, f"start_{task.id}")
        end = model.new_int_var(0, h, f"end_{task.id}")
        if not task.skills:  # pinned people alone (or nobody) do it: the pace is known
            size: LinearExprT = task.duration_for([people[p].capacity for p in pinned])
        else:
            possible = sorted(set(paces.values()))
            floor = max((paces[p] for p in pinned), default=possible[0])
            possible = [d for d in possible if d >= floor] or [floor]
            if len(possible) == 1:
                size = possible[0]
            else:
                size = model.new_int_var_from_domain(Domain.from_values(possible), f"size_{task.id}")
        interval = model.new_interval_var(start, size, end, f"task_{task.id}")
        return TaskVars(start, end, size, interval, paces)

    def _people_vars(self, j: int, task: Task) -> None:
        model, tv = self.model, self.tasks[j]
        assign: dict[int, IntVar] = {}
        intervals: dict[int, IntervalVar] = {}
        for p in tv.paces:
            lit = model.new_bool_var(f"assign_{task.id}_{p}")
            assign[p] = lit
            intervals[p] = model.new_optional_interval_var(tv.start, tv.size, tv.end, lit, f"work_{task.id}_{p}")
        self.assign.append(assign)
        self.person_interval.append(intervals)

    def _seat_vars(self, j: int, task: Task) -> dict[tuple[int, int], IntVar]:
        if len(task.skills) < 2:
            return {}
        return {
            (k, p): self.model.new_bool_var(f"seat_{task.id}_{k}_{p}")
            for k, group in enumerate(self.eligible[j])
            for p in group
        }

