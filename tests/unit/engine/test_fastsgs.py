"""The compiled kernels (numba) build exactly the schedules of the pure-Python `_Sgs` on
pool-only problems, and the heuristic's compiled search is valid and reproducible."""

from __future__ import annotations

import random
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jalon.engine import fastsgs
from jalon.engine.heuristic import (
    _FastSearch,
    _Instance,
    _Search,
    _search_path,
    _Sgs,
    _topological,
    schedule_heuristic,
)
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
from jalon.engine.validate import validate
from jalon.formats.psplib import read_sm

_CODE = {Objective.MAKESPAN: 0, Objective.LATENESS: 1, Objective.COST: 2}


@st.composite
def pool_only_problems(draw) -> Problem:
    pools = [Pool(f"R{k}", draw(st.integers(1, 5))) for k in range(draw(st.integers(0, 3)))]
    projects = [Project("p1", release=draw(st.integers(0, 4))), Project("p2", priority=3)]
    n = draw(st.integers(3, 14))
    tasks = []
    for j in range(n):
        demands = {p.id: draw(st.integers(0, p.capacity)) for p in pools}
        tasks.append(
            Task(
                f"t{j}",
                duration=draw(st.integers(0, 6)),
                project=draw(st.sampled_from(["p1", "p2"])),
                demands={k: v for k, v in demands.items() if v},
                earliest_start=draw(st.none() | st.integers(0, 8)),
                deadline=draw(st.none() | st.integers(1, 20)),
                weight=draw(st.integers(1, 3)),
            )
        )
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2 * n))
    links = {
        (a, b): Link(f"t{a}", f"t{b}", draw(st.sampled_from(list(LinkType))), draw(st.integers(-3, 4)))
        for a, b in pairs
        if a < b  # forward pairs only: no cycles
    }
    return Problem(tasks=tasks, links=list(links.values()), pools=pools, projects=projects)


def networks(inst: _Instance) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...], np.ndarray]:
    mirror = inst.mirror
    forward = fastsgs.network(inst.duration, inst.demands, inst.pool_capacity, inst.release, inst.preds, inst.pred_count, inst.next_tasks)
    backward = fastsgs.network(inst.duration, inst.demands, inst.pool_capacity, mirror.release, mirror.preds, mirror.pred_count, mirror.next_tasks)
    return forward, backward, fastsgs.profile(inst.pool_capacity, inst.horizon)


def assert_same_schedules(problem: Problem, orders: int, seed: int, objective: Objective = Objective.MAKESPAN) -> None:
    """Forward passes and whole evaluations (forward, backward, forward) agree on random orders."""
    inst = _Instance(problem)
    forward, backward, free = networks(inst)
    full = free.copy()
    rng = random.Random(seed)
    search = _Search(inst, objective, random.Random(seed), time.perf_counter(), None, None)
    weight = np.asarray(inst.lateness_weight, np.int64)
    due = np.asarray([1 << 60 if d is None else d for d in inst.deadline], np.int64)
    n = inst.n
    start, finish, kept = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
    for _ in range(orders):
        order = _topological(inst, key=lambda j: rng.random())
        python = _Sgs(inst).run(order)
        fastsgs.sgs(forward, free, np.asarray(order, np.int64), start, finish)
        assert (start.tolist(), finish.tolist()) == (python.start, python.finish)
        evaluated = search.evaluate(list(order))
        s1, s2 = fastsgs.evaluate(forward, backward, free, weight, due, _CODE[objective], -1, -1, 1, np.asarray(order, np.int64), kept, start, finish)
        assert kept.tolist() == evaluated.order
        assert (start.tolist(), finish.tolist()) == (evaluated.start, evaluated.finish)
        assert (0, s1, s2) == evaluated.score
        assert (free == full).all()  # the pools' profiles are restored after every pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pool_only_problems(), st.integers(0, 10**6), st.sampled_from([Objective.MAKESPAN, Objective.LATENESS]))
def test_the_kernels_build_the_python_schedules_on_random_problems(problem: Problem, seed: int, objective: Objective) -> None:
    assert_same_schedules(problem, orders=5, seed=seed, objective=objective)


@pytest.mark.parametrize("name", ["j30/j3013_1", "j30/j301_1", "j60/j6029_5", "j120/j12013_1"])
def test_the_kernels_build_the_python_schedules_on_psplib(benchmarks: Path, name: str) -> None:
    path = benchmarks / f"psplib/{name}.sm"
    if not path.exists():
        pytest.skip(f"{path} not found")
    assert_same_schedules(read_sm(path), orders=20, seed=1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-50, 50), min_size=1, max_size=30), st.integers(0, 10**6))
def test_the_topological_sort_takes_the_smallest_key_first_like_python(keys: list[int], seed: int) -> None:
    n = len(keys)
    rng = random.Random(seed)
    links = [Link(f"t{a}", f"t{b}") for a in range(n) for b in range(a + 1, n) if rng.random() < 0.15]
    inst = _Instance(Problem(tasks=[Task(f"t{j}", 1) for j in range(n)], links=links))
    forward, _, _ = networks(inst)
    order = np.empty(n, np.int64)
    assert fastsgs.topological(forward, np.asarray(keys, np.int64), order) == n
    assert order.tolist() == _topological(inst, key=lambda j: keys[j])


def test_pool_only_problems_go_compiled_others_stay_in_python() -> None:
    tasks = [Task(f"t{j}", 2, demands={"R": 1}) for j in range(40)]
    pools = [Pool("R", 2)]
    assert _search_path(Problem(tasks=tasks, pools=pools), None, 5000) == "fast"
    assert _search_path(Problem(tasks=tasks, pools=pools), None, 10) == "python"  # too little work to load numba
    skilled = [Task("s", 2, skills=(SkillRequirement("dev", 1),)), *tasks[1:]]
    people = [Person("ana", skills={"dev": 2})]
    assert _search_path(Problem(tasks=skilled, pools=pools, people=people), None, 5000) == "python"
    pinned = [Task("p", 2, pinned_start=3), *tasks[1:]]
    assert _search_path(Problem(tasks=pinned, pools=pools), None, 5000) == "python"


def test_the_compiled_search_is_valid_and_reproducible(benchmarks: Path) -> None:
    problem = read_sm(benchmarks / "psplib/j30/j3013_1.sm")
    assert _search_path(problem, None, 3000) == "fast"
    runs = [schedule_heuristic(problem, seed=5, time_budget=None, max_iterations=3000) for _ in range(2)]
    assert runs[0].tasks == runs[1].tasks
    assert validate(problem, runs[0]) == []
    assert runs[0].makespan is not None and runs[0].makespan >= 58  # the best-known makespan


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pool_only_problems(), st.sampled_from(list(Objective)))
def test_the_compiled_search_returns_valid_schedules(problem: Problem, objective: Objective) -> None:
    inst = _Instance(problem)
    search = _FastSearch(inst, objective, random.Random(3), time.perf_counter(), None, 300)
    late = [inst.horizon] * inst.n
    best = search.run(["LFT", "RANDOM"], late, late)
    assert search.iterations == 300 or search.reached
    tasks = {inst.ids[j]: TaskSchedule(inst.ids[j], best.start[j], best.finish[j], ()) for j in range(inst.n)}
    result = Result("heuristic", Status.FEASIBLE, tasks, max(best.finish))
    assert [v for v in validate(problem, result) if v.kind != "deadline"] == []
