"""Time reversal, and the optimizer's race between the forward and the backward proof."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jalon.engine.cpsat as cpsat
import jalon.engine.cpsat.model as cpsat_model
from jalon.engine.cpsat.model import CpSatModel, SolverOutcome
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
    Status,
    Task,
    TaskSchedule,
)
from jalon.engine.reverse import mirror, reverse, reversible
from jalon.engine.validate import validate


def test_every_link_is_read_backwards() -> None:
    tasks = [Task("a", 2), Task("b", 3)]
    links = [
        Link("a", "b", LinkType.FS, 1),
        Link("a", "b", LinkType.SS, -2),
        Link("a", "b", LinkType.FF, 0),
        Link("a", "b", LinkType.SF, 4),
    ]
    backwards = reverse(Problem(tasks, links))
    assert [(k.predecessor, k.successor, k.type, k.lag) for k in backwards.links] == [
        ("b", "a", LinkType.FS, 1),
        ("b", "a", LinkType.FF, -2),
        ("b", "a", LinkType.SS, 0),
        ("b", "a", LinkType.SF, 4),
    ]


def test_reversal_keeps_durations_and_demands_and_drops_the_report_only_deadlines() -> None:
    problem = Problem([Task("a", 2, demands={"R": 1}, deadline=3, weight=2)], pools=[Pool("R", 1)])
    (task,) = reverse(problem).tasks
    assert (task.duration, dict(task.demands), task.weight, task.deadline) == (2, {"R": 1}, 2, None)


def test_only_problems_that_nothing_anchors_in_time_are_reversible() -> None:
    free = Problem([Task("a", 2, deadline=1)], projects=[Project("p")])
    assert reversible(free, Objective.MAKESPAN)
    assert not reversible(free, Objective.LATENESS)
    assert not reversible(free, Objective.COST)
    assert not reversible(Problem([Task("a", 2, earliest_start=1)]), Objective.MAKESPAN)
    assert not reversible(Problem([Task("a", 2, pinned_start=0)]), Objective.MAKESPAN)
    released = Problem([Task("a", 2, project="p")], projects=[Project("p", release=2)])
    assert not reversible(released, Objective.MAKESPAN)
    assert not reversible(Problem([Task("a", 2)], people=[Person("x")]), Objective.MAKESPAN)


def test_mirror_reads_a_schedule_backwards_within_its_makespan() -> None:
    schedule = {"a": TaskSchedule("a", 0, 2), "b": TaskSchedule("b", 2, 5), "m": TaskSchedule("m", 5, 5)}
    backwards = {"a": TaskSchedule("a", 3, 5), "b": TaskSchedule("b", 0, 3), "m": TaskSchedule("m", 0, 0)}
    assert mirror(schedule) == backwards
    assert mirror(mirror(schedule)) == schedule


@st.composite
def pool_problems(draw) -> Problem:
    pools = [Pool(f"R{k}", draw(st.integers(1, 4))) for k in range(draw(st.integers(1, 2)))]
    n = draw(st.integers(2, 7))
    tasks = [
        Task(
            f"t{j}",
            draw(st.integers(0, 5)),
            demands={p.id: u for p in pools if (u := draw(st.integers(0, p.capacity)))},
        )
        for j in range(n)
    ]
    links = [
        Link(f"t{a}", f"t{b}", draw(st.sampled_from(list(LinkType))), draw(st.integers(-2, 3)))
        for a in range(n)
        for b in range(a + 1, n)
        if draw(st.integers(0, 2)) == 0
    ]
    return Problem(tasks, links, pools)


@settings(max_examples=40, deadline=None)
@given(pool_problems())
def test_a_backward_schedule_mirrored_is_a_valid_forward_schedule_of_the_same_makespan(problem: Problem) -> None:
    backwards = schedule_heuristic(reverse(problem), seed=0, time_budget=0.0)
    assert backwards.status != Status.INFEASIBLE
    forwards = mirror(backwards.tasks)
    assert validate(problem, Result("heuristic", Status.FEASIBLE, forwards)) == []
    assert max(t.finish for t in forwards.values()) <= backwards.makespan


@settings(max_examples=15, deadline=None)
@given(pool_problems())
def test_the_optimal_makespan_is_the_same_both_ways(problem: Problem) -> None:
    ahead = cpsat.optimize(problem, time_limit=2.0, workers=1)
    behind = cpsat.optimize(reverse(problem), time_limit=2.0, workers=1)
    assert ahead.status == behind.status == Status.OPTIMAL
    assert ahead.makespan == behind.makespan


@settings(max_examples=15, deadline=None)
@given(pool_problems())
def test_the_integer_conflict_resolution_proves_the_same_optimum_as_the_boolean_one(problem: Problem) -> None:
    # The single complete search uses an optional conflict analysis of CP-SAT: its proofs are
    # checked against CP-SAT's default analysis (with the cumulatives' disjunctions) here.
    proven = cpsat.optimize(problem, time_limit=2.0, workers=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cpsat_model, "INTEGER_CONFLICT_RESOLUTION", False)
        patch.setattr(cpsat_model, "DISJUNCTIVE_IN_CUMULATIVE", True)
        reference = cpsat.optimize(problem, time_limit=2.0, workers=1)
    assert proven.status == reference.status == Status.OPTIMAL
    assert proven.makespan == reference.makespan == proven.lower_bound
    assert validate(problem, proven) == []


def test_the_optimizer_races_both_directions_on_small_pool_problems(monkeypatch) -> None:
    tasks = [Task("a", 3, demands={"R": 2}), Task("b", 3, demands={"R": 2}), Task("c", 2, demands={"R": 1})]
    problem = Problem(tasks=tasks, links=[Link("a", "c")], pools=[Pool("R", 3)])
    raced = []
    race = cpsat._race
    monkeypatch.setattr(cpsat, "_race", lambda *a, **k: raced.append(1) or race(*a, **k))
    result = cpsat.optimize(problem, time_limit=2.0, workers=2)
    assert raced and result.status == Status.OPTIMAL and result.makespan == result.lower_bound == 6
    assert validate(problem, result) == []
    # One worker, or a problem anchored in time, keeps the single forward search.
    raced.clear()
    assert cpsat.optimize(problem, time_limit=2.0, workers=1).makespan == 6
    dated = Problem([*tasks[:2], Task("c", 2, demands={"R": 1}, earliest_start=1)], [Link("a", "c")], [Pool("R", 3)])
    assert cpsat.optimize(dated, time_limit=2.0, workers=2).makespan == 6
    assert not raced


def _outcome(status: Status, makespan: int | None, bound: int | None) -> SolverOutcome:
    tasks = {"a": TaskSchedule("a", 0, makespan)} if makespan is not None else {}
    return SolverOutcome(status, tasks, makespan, bound, bound)


def test_merging_takes_the_better_schedule_and_the_stronger_bound() -> None:
    merged = cpsat._merge(_outcome(Status.FEASIBLE, 9, 6), _outcome(Status.FEASIBLE, 8, 5))
    assert (merged.objective, merged.bound, merged.makespan_bound, merged.status) == (8, 6, 6, Status.FEASIBLE)
    # A bound proven one way closes the gap of the schedule found the other way.
    merged = cpsat._merge(_outcome(Status.FEASIBLE, 7, 5), _outcome(Status.OPTIMAL, 7, 7))
    assert (merged.objective, merged.bound, merged.status) == (7, 7, Status.OPTIMAL)
    merged = cpsat._merge(_outcome(Status.UNKNOWN, None, None), _outcome(Status.FEASIBLE, 7, 4))
    assert (merged.objective, merged.status) == (7, Status.FEASIBLE)
    infeasible = cpsat._merge(_outcome(Status.FEASIBLE, 7, 4), _outcome(Status.INFEASIBLE, None, None))
    assert infeasible.status == Status.INFEASIBLE


def test_a_stopped_model_does_not_search_until_it_is_unstopped() -> None:
    problem = Problem([Task("a", 3, demands={"R": 2}), Task("b", 3, demands={"R": 2})], pools=[Pool("R", 3)])
    model = CpSatModel(problem, objective=Objective.MAKESPAN, horizon=10, makespan_floor=0)
    model.stop()
    assert model.solve(time_limit=1.0, workers=1, seed=0).status == Status.UNKNOWN
    model.unstop()
    outcome = model.solve(time_limit=1.0, workers=1, seed=0, complete_only=True)
    assert outcome.status == Status.OPTIMAL and outcome.objective == 6


def test_a_failing_search_in_the_race_is_raised_not_waited_for(monkeypatch) -> None:
    problem = Problem([Task("a", 3, demands={"R": 2}), Task("b", 3, demands={"R": 2})], pools=[Pool("R", 3)])
    forwards, backwards = (
        CpSatModel(p, objective=Objective.MAKESPAN, horizon=10, makespan_floor=0)
        for p in (problem, reverse(problem))
    )

    def broken(**options):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(forwards, "solve", broken)
    monkeypatch.setattr(backwards, "solve", broken)
    with pytest.raises(RuntimeError, match="solver crashed"):
        cpsat._race(forwards, backwards, time_limit=1.0, workers=2, seed=0)
