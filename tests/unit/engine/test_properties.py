"""Property checks on random small projects: links of every type with lags, pools, people with
skills and levels, part time, absences, head counts, releases and deadlines."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jalon.engine.cpm import critical_path
from jalon.engine.cpsat import optimize
from jalon.engine.heuristic import schedule_heuristic
from jalon.engine.model import (
    Link,
    LinkType,
    Person,
    Pool,
    Problem,
    Project,
    SkillRequirement,
    Status,
    Task,
)
from jalon.engine.validate import is_valid, validate

SKILLS = ("dev", "design", "seo")


@st.composite
def people(draw) -> list[Person]:
    count = draw(st.integers(1, 4))
    crew = []
    for k in range(count):
        skills = draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 5), min_size=1, max_size=3))
        start = draw(st.integers(0, 8))
        absences = draw(st.lists(st.tuples(st.just(start), st.integers(start + 1, start + 4)), max_size=1))
        crew.append(
            Person(
                f"p{k}",
                skills=skills,
                capacity=draw(st.sampled_from([1.0, 1.0, 0.8, 0.5])),
                unavailable=tuple(absences),
                daily_cost=draw(st.integers(0, 5)) * 100,
            )
        )
    return crew


@st.composite
def requirement(draw, crew: list[Person]) -> tuple[SkillRequirement, ...]:
    if draw(st.booleans()):
        return ()
    skill = draw(st.sampled_from(SKILLS))
    levels = sorted((p.level(skill) for p in crew if p.level(skill)), reverse=True)
    if not levels:
        return ()
    count = draw(st.integers(1, min(2, len(levels))))
    return (SkillRequirement(skill, min_level=draw(st.integers(1, levels[count - 1])), count=count),)


@st.composite
def problems(draw) -> Problem:
    crew = draw(people())
    pools = [Pool(f"R{k}", draw(st.integers(1, 4))) for k in range(draw(st.integers(0, 2)))]
    projects = [Project("p1", priority=2, release=draw(st.integers(0, 3))), Project("p2")]
    n = draw(st.integers(1, 7))
    tasks = []
    for j in range(n):
        demands = {p.id: draw(st.integers(0, p.capacity)) for p in pools}
        tasks.append(
            Task(
                f"t{j}",
                duration=draw(st.integers(0, 5)),
                project=draw(st.sampled_from(["p1", "p2"])),
                demands={k: v for k, v in demands.items() if v},
                skills=draw(requirement(crew)),
                earliest_start=draw(st.none() | st.integers(0, 6)),
                deadline=draw(st.none() | st.integers(2, 15)),
                weight=draw(st.integers(1, 3)),
            )
        )
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2 * n))
    links = {
        (a, b): Link(f"t{a}", f"t{b}", draw(st.sampled_from(list(LinkType))), draw(st.integers(-2, 3)))
        for a, b in pairs
        if a < b  # forward pairs only: no cycles
    }
    return Problem(tasks=tasks, links=list(links.values()), pools=pools, people=crew, projects=projects)


def hard_violations(problem: Problem, result) -> list:
    return [v for v in validate(problem, result) if v.kind != "deadline"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_heuristic_returns_a_valid_schedule_no_shorter_than_the_critical_path(problem: Problem) -> None:
    result = schedule_heuristic(problem, time_budget=None, max_iterations=15)
    assert result.status != Status.INFEASIBLE or result.reasons
    if result.status == Status.INFEASIBLE:
        return
    assert hard_violations(problem, result) == []
    cpm = critical_path(problem)
    assert result.makespan is not None and result.makespan >= cpm.makespan
    assert result.lower_bound is not None and cpm.makespan <= result.lower_bound <= result.makespan


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_optimizer_is_valid_and_never_worse_than_the_heuristic(problem: Problem) -> None:
    initial = schedule_heuristic(problem, time_budget=None, max_iterations=5)
    result = optimize(problem, time_limit=1.0, workers=1, initial=initial)
    if initial.status == Status.INFEASIBLE:
        assert result.status == Status.INFEASIBLE and result.reasons
        return
    assert is_valid(problem, result)
    assert result.makespan is not None and initial.makespan is not None
    assert critical_path(problem).makespan <= result.makespan <= initial.makespan
    if result.status == Status.OPTIMAL:
        assert result.lower_bound == result.makespan
