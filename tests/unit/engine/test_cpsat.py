"""The CP-SAT optimizer on tiny problems (time limits of a second or two, one or two workers)."""

from __future__ import annotations

from itertools import product
from pathlib import Path

import pytest
from ortools.sat.python.cp_model import CpModel

from jalon.engine.cpsat import _heuristic_budget, _proof_alone, objective_key, optimize
from jalon.engine.cpsat.constraints import Constraints
from jalon.engine.cpsat.model import CpSatModel
from jalon.engine.cpsat.variables import Variables
from jalon.engine.heuristic import schedule_heuristic
from jalon.engine.model import (
    Link,
    LinkType,
    Objective,
    Person,
    Pool,
    Problem,
    Project,
    Result,
    SkillRequirement,
    Status,
    Task,
    TaskSchedule,
)
from jalon.engine.validate import is_valid
from jalon.formats.imopse import read_def
from jalon.formats.psplib import read_sm


def optimized(problem: Problem, **options):
    result = optimize(problem, **{"time_limit": 2.0, "workers": 1, **options})
    assert result.status != Status.INFEASIBLE, result.reasons
    assert is_valid(problem, result)
    return result


def test_it_proves_the_optimum_of_a_small_pool_problem() -> None:
    tasks = [Task("a", 3, demands={"R": 2}), Task("b", 3, demands={"R": 2}), Task("c", 2, demands={"R": 1})]
    problem = Problem(tasks=tasks, links=[Link("a", "c")], pools=[Pool("R", 3)])
    result = optimized(problem)
    assert result.status == Status.OPTIMAL
    assert result.makespan == result.lower_bound == 6


def test_small_pool_problems_give_every_worker_a_complete_search() -> None:
    tasks = [Task("a", 3, demands={"R": 2}), Task("b", 3, demands={"R": 2}), Task("c", 2, demands={"R": 1})]
    problem = Problem(tasks=tasks, links=[Link("a", "c")], pools=[Pool("R", 3)])
    staffed = Problem(tasks=[Task("d", 1)], people=[Person("p")])
    assert _proof_alone(problem, 1.0) and not _proof_alone(problem, 0.5) and not _proof_alone(staffed, 1.0)
    model = CpSatModel(problem, objective=Objective.MAKESPAN, horizon=10, makespan_floor=0)
    outcome = model.solve(time_limit=2.0, workers=2, seed=0, complete_only=True)
    assert outcome.status == Status.OPTIMAL and outcome.objective == 6 and outcome.makespan_bound == 6
    schedule = Result("optimize", outcome.status, outcome.tasks, makespan=6)
    assert is_valid(problem, schedule)
    # Such a proof goes without the redundant cliques (here a and b, 2 + 2 units on a pool of 3).
    with_cliques = CpSatModel(problem, objective=Objective.MAKESPAN, horizon=10, makespan_floor=0)
    assert _no_overlaps(with_cliques) == 1 and _no_overlaps(model) == 1
    assert _no_overlaps(CpSatModel(problem, objective=Objective.MAKESPAN, horizon=10, makespan_floor=0, cliques=False)) == 0


def _no_overlaps(model: CpSatModel) -> int:
    return sum(c.has_no_overlap() for c in model.model.proto.constraints)


def test_it_chooses_people_and_handles_part_time_and_absences() -> None:
    people = [
        Person("full", skills={"dev": 3}, unavailable=((0, 4),)),
        Person("half", skills={"dev": 3}, capacity=0.5),
    ]
    problem = Problem(tasks=[Task("feature", 2, skills=(SkillRequirement("dev", 2),))], people=people)
    result = optimized(problem)
    # The full-timer is back at 4 and finishes at 6; the part-timer would finish at 4.
    assert result.makespan == 4 and result.tasks["feature"].assignees == ("half",)
    assert result.status == Status.OPTIMAL


def test_it_fills_several_requirements_with_distinct_people() -> None:
    people = [Person("a", skills={"dev": 3, "qa": 3}), Person("b", skills={"dev": 3}), Person("c", skills={"qa": 1})]
    task = Task("release", 2, skills=(SkillRequirement("dev", 2), SkillRequirement("qa", 2)))
    result = optimized(Problem(tasks=[task], people=people))
    assert sorted(result.tasks["release"].assignees) == ["a", "b"]


def test_it_keeps_all_link_types_pins_and_releases() -> None:
    tasks = [Task("a", 3, project="p"), Task("b", 2, project="p"), Task("c", 4, project="p", pinned_start=6)]
    links = [Link("a", "b", LinkType.SF, 4), Link("b", "c", LinkType.FF, 0), Link("a", "c", LinkType.SS, -2)]
    problem = Problem(tasks=tasks, links=links, projects=[Project("p", release=2)])
    result = optimized(problem)
    assert result.tasks["a"].start == 2 and result.tasks["c"].start == 6


def test_the_lateness_objective_serves_the_higher_priority_project() -> None:
    people = [Person("solo", skills={"web": 2})]
    need = (SkillRequirement("web", 1),)
    problem = Problem(
        tasks=[Task("shop", 4, project="big", skills=need, deadline=4), Task("blog", 4, project="small", skills=need, deadline=4)],
        people=people,
        projects=[Project("big", priority=3), Project("small", priority=1)],
    )
    result = optimized(problem, objective=Objective.LATENESS)
    assert result.tasks["shop"].start == 0
    assert result.objective == 4  # the blog is 4 days late, at weight 1
    assert any("'blog'" in reason for reason in result.reasons)


def test_the_cost_objective_picks_the_cheaper_person() -> None:
    people = [Person("senior", skills={"dev": 5}, daily_cost=800), Person("junior", skills={"dev": 3}, daily_cost=400)]
    problem = Problem(tasks=[Task("page", 3, skills=(SkillRequirement("dev", 3),))], people=people)
    result = optimized(problem, objective=Objective.COST)
    assert result.tasks["page"].assignees == ("junior",) and result.objective == 1200


def test_it_is_never_worse_than_the_heuristic_it_starts_from(benchmarks: Path) -> None:
    problem = read_sm(benchmarks / "psplib/j60/j6013_1.sm")
    initial = schedule_heuristic(problem, time_budget=None, max_iterations=20)
    result = optimized(problem, initial=initial, time_limit=1.0)
    assert result.makespan is not None and initial.makespan is not None
    assert result.makespan <= initial.makespan
    assert objective_key(problem, result.tasks, Objective.MAKESPAN) <= objective_key(problem, initial.tasks, Objective.MAKESPAN)


def test_it_proves_a_j30_optimum(benchmarks: Path) -> None:
    problem = read_sm(benchmarks / "psplib/j30/j301_1.sm")
    result = optimized(problem, workers=2)
    assert result.status == Status.OPTIMAL and result.makespan == 43


def test_it_schedules_a_multi_skill_instance(benchmarks: Path) -> None:
    problem = read_def(benchmarks / "imopse/Small/10_3_5_3.def")
    result = optimized(problem)
    assert result.lower_bound is not None and result.makespan is not None
    assert result.lower_bound <= result.makespan


def test_it_reports_infeasibility_with_reasons() -> None:
    problem = Problem(tasks=[Task("x", 1, skills=(SkillRequirement("rust", 4),))], people=[Person("p", skills={"go": 5})])
    result = optimize(problem, time_limit=1.0, workers=1)
    assert result.status == Status.INFEASIBLE
    assert "'rust' level ≥ 4" in result.reasons[0]


def test_redundant_cliques_join_only_tasks_that_can_never_overlap() -> None:
    tasks = [
        Task("x", 2, demands={"R": 2}),
        Task("y", 2, demands={"R": 2}),
        Task("z", 2, demands={"R": 1}),
        Task("w", 2, demands={"R": 1}),
    ]
    links = [
        Link("x", "z", LinkType.FS, -2),  # a lead: z may run alongside x
        Link("z", "w", LinkType.SS, 0),  # start-to-start: may overlap
        Link("y", "w"),  # finish-to-start: y and w never overlap
    ]
    problem = Problem(tasks=tasks, links=links, pools=[Pool("R", 3)])
    model = CpModel()
    constraints = Constraints(model, problem, Variables(model, problem, horizon=20, makespan_floor=0))
    assert constraints._pool_conflicts() == [{1}, {0}, set(), set()]  # 2 + 2 > 3; 2 + 1 fits
    assert constraints._precedence_closure() == [set(), {3}, set(), set()]
    assert optimized(problem).makespan == _brute_force_makespan(problem, horizon=8)


def _brute_force_makespan(problem: Problem, horizon: int) -> int:
    """The optimum by trying every start time: independent of both schedulers."""
    best = None
    for starts in product(range(horizon), repeat=len(problem.tasks)):
        tasks = {t.id: TaskSchedule(t.id, s, s + t.duration, ()) for t, s in zip(problem.tasks, starts)}
        makespan = max(t.finish for t in tasks.values())
        if (best is None or makespan < best) and is_valid(problem, Result("brute", Status.FEASIBLE, tasks, makespan)):
            best = makespan
    assert best is not None
    return best


def test_the_genetic_search_gets_at_least_30_percent_of_the_limit_on_pool_problems_above_32_tasks() -> None:
    def pool_problem(size: int) -> Problem:
        return Problem([Task(f"t{j}", 1, demands={"R": 1}) for j in range(size)], [], [Pool("R", 2)])

    assert _heuristic_budget(pool_problem(32), 10.0) < 0.1  # small: CP-SAT proves it at once
    assert _heuristic_budget(pool_problem(62), 10.0) == pytest.approx(3.0)  # the cube rule alone: 0.4 s
    assert _heuristic_budget(pool_problem(62), 60.0) == pytest.approx(18.0)
    assert _heuristic_budget(pool_problem(200), 10.0) == pytest.approx(4.0)  # the cube rule, capped at 40 %
    staffed = Problem(
        [Task(f"t{j}", 1, skills=(SkillRequirement("dev"),)) for j in range(62)],
        [],
        people=[Person("ana", skills={"dev": 3})],
    )
    assert _heuristic_budget(staffed, 10.0) < 0.5  # people: the Python search keeps the cube rule
    pinned = pool_problem(62)
    pinned = Problem([Task("p", 1, demands={"R": 1}, pinned_start=0), *pinned.tasks[1:]], [], pinned.pools)
    assert _heuristic_budget(pinned, 10.0) < 0.5  # a pinned start: the Python search too
