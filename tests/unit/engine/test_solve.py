"""`solve` dispatches to every method and returns the same result type."""

from __future__ import annotations

import pytest

from jalon.engine.model import Link, Person, Pool, Problem, ProblemError, SkillRequirement, Status, Task
from jalon.engine.solve import METHODS, solve
from jalon.engine.validate import is_valid


def small_problem() -> Problem:
    return Problem(
        tasks=[
            Task("brief", 2, demands={"R": 1}),
            Task("mockups", 3, demands={"R": 1}, skills=(SkillRequirement("design", 2),)),
            Task("build", 4, demands={"R": 1}, skills=(SkillRequirement("dev", 2),)),
        ],
        links=[Link("brief", "mockups"), Link("brief", "build")],
        pools=[Pool("R", 1)],
        people=[Person("d", skills={"design": 3}), Person("v", skills={"dev": 3})],
    )


@pytest.mark.parametrize("method", ["heuristic", "optimize"])
def test_every_resource_method_returns_a_valid_schedule(method: str) -> None:
    problem = small_problem()
    result = solve(problem, method=method, time_limit=1.0, workers=1)
    assert result.method == method
    assert is_valid(problem, result)
    assert result.makespan == 9 and result.status == Status.OPTIMAL


def test_cpm_ignores_resources_and_gives_the_critical_path_length() -> None:
    result = solve(small_problem(), method="cpm")
    assert result.method == "cpm" and result.makespan == 6


def test_cpm_reports_a_cycle_as_infeasible() -> None:
    problem = Problem(tasks=[Task("a", 1), Task("b", 1)], links=[Link("a", "b"), Link("b", "a")])
    result = solve(problem, method="cpm")
    assert result.status == Status.INFEASIBLE and result.reasons


def test_the_heuristic_is_reproducible_with_an_iteration_cap() -> None:
    problem = small_problem()
    first = solve(problem, method="heuristic", max_iterations=5, seed=3)
    second = solve(problem, method="heuristic", max_iterations=5, seed=3)
    assert first.tasks == second.tasks


def test_an_unknown_method_is_named() -> None:
    with pytest.raises(ProblemError, match="unknown method 'magic'"):
        solve(small_problem(), method="magic")
    assert set(METHODS) == {"cpm", "heuristic", "optimize"}
