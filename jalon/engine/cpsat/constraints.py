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

    def add_all(self, *, cliques: bool = True) -> None:
        """Every family; `cliques` adds the redundant no-overlaps of `pool_disjunctions`."""
        self.links()
        self.dates()
        self.pools()
        if cliques:
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
        """Redundant no-overlap constraints over cliques of tasks that can never run together.

        Two tasks cannot overlap when, on some pool, their demands add up to more than its
        capacity, or when one must finish before the other starts (a chain of FS links with
        non-negative lags). A clique of such pairs is a disjunctive resource: CP-SAT's no-overlap
        propagation (edge finding, detectable precedences, not-first/not-last) is much stronger
        than the cumulative's, which helps a complete search run beside CP-SAT's neighbourhood
        searches on the hard PSPLIB groups (tight pools, every task on every pool); the proofs
        of small pool-only problems by complete searches alone go without (`cpsat._proof_alone`).
        Cliques are grown greedily from each task, tasks with most pool conflicts first;
        a clique held together by links alone is only a chain, already enforced, and is skipped."""
        conflict = self._pool_conflicts()
        if not conflict:
            return
        before = self._precedence_closure()
        n = len(self.problem.tasks)
        apart = [conflict[j] | before[j] for j in range(n)]
        for i in range(n):
            for j in before[i]:
                apart[j].add(i)
        # Candidates by how many pool conflicts they have: ranking them against each root's
        # clique instead would cost O(n³) set operations on a large plan.
        heaviest_first = sorted(range(n), key=lambda j: (-len(conflict[j]), j))
        seen: set[frozenset[int]] = set()
        for root in heaviest_first:
            if not conflict[root]:
                break
            clique = [root]
            common = set(apart[root])
            for j in heaviest_first:
                if j in common:
                    clique.append(j)
                    common &= apart[j]
            key = frozenset(clique)
            if len(clique) > 1 and key not in seen and any(conflict[j] & key for j in clique):
                seen.add(key)
                self.model.add_no_overlap([self.vars.tasks[j].interval for j in sorted(clique)])

    def _pool_conflicts(self) -> list[set[int]]:
        """For each task (of positive duration), the tasks it exceeds some pool's capacity with."""
        tasks, pools = self.problem.tasks, self.problem.pools
        conflict: list[set[int]] = [set() for _ in tasks]
        found = False
        for pool in pools:
            users = [(j, t.demands.get(pool.id, 0)) for j, t in enumerate(tasks) if t.duration > 0 and t.demands.get(pool.id, 0) > 0]
            users.sort(key=lambda u: -u[1])
            for a, (i, qi) in enumerate(users):
                for j, qj in users[a + 1 :]:
                    if qi + qj <= pool.capacity:
                        break  # sorted by demand: no lighter task conflicts with i either
                    conflict[i].add(j)
                    conflict[j].add(i)
                    found = True
        return conflict if found else []

    def _precedence_closure(self) -> list[set[int]]:
        """For each task, every task that must start after it finishes (FS chains, lag >= 0)."""
        index = {t.id: j for j, t in enumerate(self.problem.tasks)}
        after: list[set[int]] = [set() for _ in self.problem.tasks]
        for link in self.problem.links:
            if link.type == LinkType.FS and link.lag >= 0:
                after[index[link.predecessor]].add(index[link.successor])
        closed: list[set[int] | None] = [None] * len(after)

        def reach(j: int) -> set[int]:
            done = closed[j]
            if done is None:
                done = set()
                stack = list(after[j])
                while stack:
                    k = stack.pop()
                    if k not in done:
                        done.add(k)
                        stack.extend(after[k])
                closed[j] = done
            return done

        return [reach(j) for j in range(len(after))]

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
