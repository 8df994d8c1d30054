"""CP-SAT objectives. Secondary criteria are folded in lexicographically: the primary term is
multiplied by (horizon + 1), so one unit of it always outweighs any makespan difference."""

from __future__ import annotations

from ortools.sat.python.cp_model import CpModel, LinearExpr, LinearExprT

from jalon.engine.cpsat.variables import Variables
from jalon.engine.model import Objective, Problem

COST_SCALE = 100  # daily costs are money with cents; CP-SAT wants integers


class ObjectiveBuilder:
    def __init__(self, model: CpModel, problem: Problem, variables: Variables) -> None:
        self.model = model
        self.problem = problem
        self.vars = variables

    def add(self, objective: Objective) -> LinearExprT:
        """Set the model's objective and return the primary criterion's expression."""
        makespan = self.vars.makespan
        if objective == Objective.MAKESPAN:
            self.model.minimize(makespan)
            return makespan
        primary = self.weighted_lateness() if objective == Objective.LATENESS else self.cost()
        # Lexicographic: any gain on the primary criterion outweighs the whole makespan range.
        self.model.minimize(LinearExpr.weighted_sum([primary, makespan], [self.vars.horizon + 1, 1]))
        return primary

    def weighted_lateness(self) -> LinearExprT:
        """Σ task weight × project priority × days late."""
        priority = {p.id: p.priority for p in self.problem.projects}
        terms = []
        for task, tv in zip(self.problem.tasks, self.vars.tasks, strict=True):
            if task.deadline is None:
                continue
            late = self.model.new_int_var(0, self.vars.horizon, f"late_{task.id}")
            self.model.add(late >= tv.end - task.deadline)
            terms.append(late * (task.weight * priority.get(task.project, 1)))
        return LinearExpr.sum(terms) if terms else LinearExpr.constant(0)

    def cost(self) -> LinearExprT:
        """Σ daily cost × days worked, over every assignee."""
        terms = []
        people, model, v = self.problem.people, self.model, self.vars
        for j, tv in enumerate(v.tasks):
            for p, lit in v.assign[j].items():
                rate = round(people[p].daily_cost * COST_SCALE)
                if rate == 0:
                    continue
                if isinstance(tv.size, int):
                    terms.append(lit * (rate * tv.size))
                else:  # days worked = the team's pace when assigned, 0 otherwise
                    days = model.new_int_var(0, max(tv.paces.values()), f"days_{j}_{p}")
                    model.add(days == tv.size).only_enforce_if(lit)
                    model.add(days == 0).only_enforce_if(~lit)
                    terms.append(days * rate)
        return LinearExpr.sum(terms) if terms else LinearExpr.constant(0)
