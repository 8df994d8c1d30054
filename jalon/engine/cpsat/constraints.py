"""CP-SAT constraints, one method per family (PyJobShop style)."""

from __future__ import annotations

from ortools.sat.python.cp_model import CpModel

from jalon.engine.cpsat.variables import Variables
from jalon.engine.model import LinkType, Problem


class Constraints:
    def __init__(self, model: CpModel, problem: Problem, variables: Variables) -> None:
        self.model = model
        self.problem = problem
        self.vars = variables

    def add_all(self) -> None:
        self.links()
        self.dates()
        self.pools()
        self.pool_disjunctions()
        self.seats()
        self.team_pace()
        self.people_no_overlap()
        self.makespan()

    def links(self) -> None:
        """FS/SS/FF/SF with lags (negative = lead)."""
        index = {t.id: j for j, t in enumerate(self.problem.tasks)}
        tv = self.vars.tasks
        for link in self.problem.links:
            pred, succ = tv[index[link.predecessor]], tv[index[link.successor]]
            before = pred.end if link.type in (LinkType.FS, LinkType.FF) else pred.start
            after = succ.start if link.type in (LinkType.FS, LinkType.SS) else succ.end
            self.model.add(after >= before + link.lag)

    def dates(self) -> None:
        """Earliest starts, project releases and pinned starts."""
        release = {p.id: p.release for p in self.problem.projects}
        for task, tv in zip(self.problem.tasks, self.vars.tasks, strict=True):
            floor = max(task.earliest_start or 0, release.get(task.project, 0))
            if floor > 0:
                self.model.add(tv.start >= floor)
            if task.pinned_start is not None:
                self.model.add(tv.start == task.pinned_start)

    def pools(self) -> None:
        """Cumulative capacity of each pool; milestones use nothing."""
        for pool in self.problem.pools:
            users = [
                (tv.interval, task.demands[pool.id])
                for task, tv in zip(self.problem.tasks, self.vars.tasks, strict=True)
                if task.demands.get(pool.id, 0) > 0 and task.duration > 0
            ]
            if not users:
                continue
            if sum(q for _, q in users) <= pool.capacity:
                continue  # never binding
            self.model.add_cumulative([i for i, _ in users], [q for _, q in users], pool.capacity)

    def pool_disjunctions(self) -> None:
        """Redundant: tasks that each take more than half of a pool can never overlap, so they
        form a no-overlap clique, whose propagation is much stronger than the cumulative's."""
        for pool in self.problem.pools:
            heavy = [
                tv.interval
                for task, tv in zip(self.problem.tasks, self.vars.tasks, strict=True)
                if task.duration > 0 and 2 * task.demands.get(pool.id, 0) > pool.capacity
            ]
            if len(heavy) > 1:
                self.model.add_no_overlap(heavy)

    def seats(self) -> None:
        """Exactly `count` distinct people per requirement; pinned people are on the team."""
        model, v = self.model, self.vars
        for j, task in enumerate(self.problem.tasks):
            assign = v.assign[j]
            for pid in task.pinned_people:
                model.add(assign[v.person_index[pid]] == 1)
            if not task.skills:
                continue
            if len(task.skills) == 1:
                model.add(sum(assign[p] for p in v.eligible[j][0]) == task.skills[0].count)
                outside = [lit for p, lit in assign.items() if p not in set(v.eligible[j][0])]
            else:
                seat = v.seat[j]
                for k, req in enumerate(task.skills):
                    model.add(sum(seat[k, p] for p in v.eligible[j][k]) == req.count)
                for p, lit in assign.items():
                    model.add(lit == sum(seat[k, q] for (k, q) in seat if q == p))
                outside = []
            for lit in outside:
                model.add(lit == 0)

    def team_pace(self) -> None:
        """A part-time person stretches the task: its size is the slowest assignee's pace."""
        model, v = self.model, self.vars
        for j, tv in enumerate(v.tasks):
            if isinstance(tv.size, int):
                continue
            model.add_max_equality(tv.size, [tv.paces[p] * lit for p, lit in v.assign[j].items()])

    def people_no_overlap(self) -> None:
        """One task at a time per person, never during their absences."""
        model, v = self.model, self.vars
        for i, person in enumerate(self.problem.people):
            intervals = [
                v.person_interval[j][i]
                for j, task in enumerate(self.problem.tasks)
                if i in v.person_interval[j] and task.duration > 0
            ]
            if not intervals:
                continue
            for off_start, off_end in person.unavailable:
                if off_end > off_start and off_start < v.horizon:
                    intervals.append(model.new_fixed_size_interval_var(off_start, off_end - off_start, f"off_{person.id}_{off_start}"))
            if len(intervals) > 1:
                model.add_no_overlap(intervals)

    def makespan(self) -> None:
        self.model.add_max_equality(self.vars.makespan, [tv.end for tv in self.vars.tasks])
