"""Critical path method: hand-checked dates, each link type, constraints, cycles and properties."""

from __future__ import annotations

import random
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jalon.engine.cpm as cpm_module
from jalon.engine.cpm import CpmResult, CycleError, critical_path
from jalon.engine.model import Link, LinkType, Problem, ProblemError, Project, Status, Task, TaskSchedule
from jalon.engine.validate import validate

FS, SS, FF, SF = LinkType.FS, LinkType.SS, LinkType.FF, LinkType.SF


def web_project(deadline: int | None = None) -> Problem:
    tasks = [
        Task("cad", 5, name="Cadrage"),
        Task("maq", 10, name="Maquettes"),
        Task("seo", 3, name="Audit SEO"),
        Task("dev", 25, name="Développement"),
        Task("rec", 5, name="Recette", deadline=deadline),
        Task("mep", 0, name="Mise en ligne"),
    ]
    links = [
        Link("cad", "maq"), Link("maq", "dev"), Link("dev", "rec"),
        Link("cad", "seo"), Link("seo", "rec"), Link("rec", "mep"),
    ]
    return Problem(tasks, links)


def dates(cpm: CpmResult, task: str) -> tuple[int, int, int, int]:
    return cpm.early_start[task], cpm.early_finish[task], cpm.late_start[task], cpm.late_finish[task]


def test_it_computes_early_and_late_dates_of_a_web_project() -> None:
    cpm = critical_path(web_project())
    assert cpm.makespan == 45
    assert dates(cpm, "cad") == (0, 5, 0, 5)
    assert dates(cpm, "seo") == (5, 8, 37, 40)
    assert dates(cpm, "mep") == (45, 45, 45, 45)
    assert (cpm.total_float["seo"], cpm.free_float["seo"]) == (32, 32)
    assert cpm.critical == ["cad", "maq", "dev", "rec", "mep"]
    assert cpm.deadline_misses == [] and cpm.reasons == []


def test_it_explains_a_missed_deadline_with_the_driving_chain() -> None:
    cpm = critical_path(web_project(deadline=40))
    [miss] = cpm.deadline_misses
    assert (miss.task, miss.deadline, miss.earliest_finish, miss.days_missing) == ("rec", 40, 45, 5)
    assert miss.chain == ["cad", "maq", "dev", "rec"]
    assert cpm.reasons == [
        "Deadline of 'Recette' (day 40) cannot be met: the chain Cadrage → Maquettes → Développement → Recette "
        "finishes on day 45, 5 days late"
    ]
    # Late dates still come from the project finish: the deadline does not create negative float.
    assert min(cpm.total_float.values()) == 0


def test_a_miss_held_by_a_start_no_earlier_than_says_so() -> None:
    problem = Problem([Task("a", 4, name="Atelier", earliest_start=10, deadline=13)])
    assert critical_path(problem).reasons == [
        "Deadline of 'Atelier' (day 13) cannot be met: the task on its own finishes on day 14, 1 day late "
        "(Atelier cannot start before day 10)"
    ]


@pytest.mark.parametrize(
    ("kind", "lag", "succ_start"),
    [
        (FS, 0, 6), (FS, 2, 8), (FS, -2, 4),  # a lead lets the successor start before the finish
        (SS, 0, 1), (SS, 3, 4),
        (FF, 0, 4), (FF, 1, 5),  # b lasts 2: finish(b) >= finish(a) + lag
        (SF, 0, 0), (SF, 4, 3),  # finish(b) >= start(a) + lag, never before the origin
    ],
)
def test_each_link_type_and_lag_sets_the_successor_start(kind: LinkType, lag: int, succ_start: int) -> None:
    problem = Problem([Task("a", 5, earliest_start=1), Task("b", 2)], [Link("a", "b", kind, lag)])
    cpm = critical_path(problem)
    assert cpm.early_start["b"] == succ_start
    assert validate(problem, cpm.to_result()) == []


def test_start_constraints_release_and_origin_hold_tasks_back() -> None:
    tasks = [Task("a", 2, project="p"), Task("b", 2, earliest_start=9), Task("c", 1)]
    problem = Problem(tasks, projects=[Project("p", release=4)])
    cpm = critical_path(problem, origin=3)
    assert (cpm.early_start["a"], cpm.early_start["b"], cpm.early_start["c"]) == (4, 9, 3)
    assert cpm.makespan == 11
    assert (cpm.late_start["a"], cpm.late_start["c"]) == (9, 10)


def test_a_pin_fixes_the_start_and_a_conflicting_pin_is_reported() -> None:
    tasks = [Task("a", 5, name="Cadrage"), Task("b", 2, name="COPIL", pinned_start=8), Task("c", 3, name="Démo", pinned_start=2)]
    problem = Problem(tasks, [Link("a", "b"), Link("a", "c")])
    cpm = critical_path(problem)
    assert (cpm.early_start["b"], cpm.late_start["b"], cpm.early_start["c"]) == (8, 8, 2)
    [conflict] = cpm.pin_conflicts
    assert (conflict.task, conflict.pinned_start, conflict.earliest_start) == ("c", 2, 5)
    assert cpm.reasons == ["'Démo' is pinned to start on day 2, but its dependencies and constraints allow day 5 at the earliest"]
    result = cpm.to_result()
    assert result.status is Status.INFEASIBLE
    assert [v.kind for v in validate(problem, result)] == ["precedence"]


def test_it_names_the_cycle_in_order() -> None:
    tasks = [Task("a", 1, name="Cadrage"), Task("b", 1, name="Maquettes"), Task("c", 1), Task("d", 1)]
    links = [Link("d", "a"), Link("a", "b"), Link("b", "c"), Link("c", "a")]
    with pytest.raises(CycleError) as caught:
        critical_path(Problem(tasks, links))
    cycle = caught.value.cycle
    assert cycle[0] == cycle[-1]
    first = cycle.index("a")
    assert cycle[first:-1] + cycle[:first] == ["a", "b", "c"]
    names = {"a": "Cadrage", "b": "Maquettes", "c": "c"}
    assert " → ".join(names[t] for t in cycle) in str(caught.value)


def test_to_result_gives_the_early_schedule() -> None:
    result = critical_path(web_project()).to_result()
    assert (result.method, result.status, result.makespan, result.lower_bound) == ("cpm", Status.OPTIMAL, 45, 45)
    assert result.tasks["dev"] == TaskSchedule("dev", 15, 40)


def test_an_empty_problem_has_no_makespan_beyond_the_origin() -> None:
    cpm = critical_path(Problem([]), origin=2)
    assert (cpm.makespan, cpm.critical) == (2, [])


# --- properties on random networks ------------------------------------------------------------

@st.composite
def networks(draw: st.DrawFn) -> Problem:
    n = draw(st.integers(1, 12))
    tasks = [
        Task(f"t{k}", draw(st.integers(0, 6)), earliest_start=draw(st.one_of(st.none(), st.integers(0, 10))))
        for k in range(n)
    ]
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    links = [
        Link(f"t{a}", f"t{b}", draw(st.sampled_from(list(LinkType))), draw(st.integers(-3, 5)))
        for a, b in {(min(p), max(p)) for p in pairs if p[0] != p[1]}  # low -> high: no cycle
    ]
    order = draw(st.permutations(tasks))  # the problem's order need not be topological
    return Problem(list(order), links)


@settings(max_examples=150, deadline=None)
@given(networks())
def test_random_networks_satisfy_the_cpm_properties(problem: Problem) -> None:
    cpm = critical_path(problem)
    early = {t.id: TaskSchedule(t.id, cpm.early_start[t.id], cpm.early_finish[t.id]) for t in problem.tasks}
    late = {t.id: TaskSchedule(t.id, cpm.late_start[t.id], cpm.late_finish[t.id]) for t in problem.tasks}
    assert validate(problem, early) == []  # every link, earliest start and origin hold at early dates
    assert validate(problem, late) == []  # late dates respect the links too
    assert cpm.makespan == max(cpm.early_finish.values())
    assert max(cpm.late_finish.values()) <= cpm.makespan
    for task in problem.tasks:
        tf, ff = cpm.total_float[task.id], cpm.free_float[task.id]
        assert 0 <= ff <= tf
        assert (tf == 0) == (task.id in cpm.critical)
    assert _each_start_is_forced(problem, cpm)


def _each_start_is_forced(problem: Problem, cpm: CpmResult) -> bool:
    """Early dates are the earliest: each start sits on its own bound or on a binding link."""
    es, ef = cpm.early_start, cpm.early_finish
    bound_by_link: set[str] = set()
    for link in problem.links:
        p, s = link.predecessor, link.successor
        before = {FS: ef[p], SS: es[p], FF: ef[p], SF: es[p]}[link.type] + link.lag
        after = es[s] if link.type in (FS, SS) else ef[s]
        if after == before:
            bound_by_link.add(s)
    return all(es[t.id] == (t.earliest_start or 0) or t.id in bound_by_link for t in problem.tasks)


def test_a_link_added_after_checks_to_an_unknown_task_is_named() -> None:
    problem = Problem([Task("a", 1)])
    problem.links.append(Link("a", "ghost"))
    with pytest.raises(ProblemError, match="unknown task 'ghost'"):
        critical_path(problem)


def by_hashes(problem: Problem) -> CpmResult:
    """Link ends matched on their hash values, as in networks of 15,000 tasks and more."""
    with patch.object(cpm_module, "_HASH_MATCH_MIN", 0):
        return critical_path(problem)


def test_link_ends_matched_by_hash_give_the_same_result() -> None:
    problem = layered(2_000, 20, seed=5)
    assert by_hashes(problem) == critical_path(problem)


def test_an_unknown_link_end_is_named_when_matched_by_hash() -> None:
    problem = Problem([Task("a", 1), Task("b", 2)], [Link("a", "b")])
    problem.links.append(Link("ghost", "b"))
    with pytest.raises(ProblemError, match="unknown task 'ghost'"):
        by_hashes(problem)
    problem.links[-1] = Link("b", "phantom")
    with pytest.raises(ProblemError, match="unknown task 'phantom'"):
        by_hashes(problem)


def test_ids_with_equal_hashes_are_matched_by_the_dictionary() -> None:
    # CPython gives -1 and -2 the same hash; ids are strings in Jalon, but nothing relies on it.
    assert hash(-1) == hash(-2)
    links = [Link(7, -2), Link(-1, -2)]  # type: ignore[arg-type]
    with patch.object(cpm_module, "_HASH_MATCH_MIN", 0):
        preds, succs = cpm_module._link_ends([-1, -2, 7], links)  # type: ignore[list-item]
    assert preds.tolist() == [2, 0] and succs.tolist() == [1, 1]


def test_deadline_misses_are_explained_on_first_use_and_span_indices_are_the_gantt_days() -> None:
    tasks = [Task("a", 3, name="Maquettes"), Task("b", 0, name="Recette", deadline=2), Task("c", 2)]
    cpm = critical_path(Problem(tasks, [Link("a", "b"), Link("a", "c", LinkType.SS, 1)]))
    first, last = cpm.span_indices()
    assert first.tolist() == [0, 3, 1] and last.tolist() == [2, 3, 2]
    assert [m.chain for m in cpm.deadline_misses] == [["a", "b"]]
    assert cpm.reasons == [
        "Deadline of 'Recette' (day 2) cannot be met: the chain Maquettes → Recette finishes on day 3, 1 day late"
    ]
    assert cpm.reasons is cpm.reasons  # worked out once


# --- the numpy level passes give what the one-task-at-a-time loop gives ------------------------

def by_python_loop(problem: Problem, origin: int = 0) -> CpmResult:
    with patch.object(cpm_module, "_VECTOR_MIN_WORK", 10**9):
        return critical_path(problem, origin=origin)


def by_levels(problem: Problem, origin: int = 0, *, level_work: int = 0) -> CpmResult:
    """Numpy levels even on a tiny network; with `level_work` > 0 the Python loop takes over
    at the first level with fewer tasks + links than that."""
    with patch.multiple(cpm_module, _VECTOR_MIN_WORK=0, _LEVEL_WORK=level_work, _WINDOW=1):
        return critical_path(problem, origin=origin)


@st.composite
def constrained_networks(draw: st.DrawFn) -> tuple[Problem, int]:
    """Acyclic networks with every constraint: start-no-earlier-than, pins, deadlines, a project
    release, milestones, the four link types and negative lags; tasks in a random order."""
    n = draw(st.integers(1, 30))
    maybe = st.one_of(st.none(), st.none(), st.integers(-2, 12))
    tasks = [
        Task(
            f"t{k}",
            draw(st.integers(0, 6)),
            name=draw(st.sampled_from(["", f"Task {k}"])),
            project=draw(st.sampled_from(["", "p"])),
            earliest_start=draw(maybe),
            deadline=draw(maybe),
            pinned_start=draw(st.one_of(st.none(), st.none(), st.none(), st.integers(-2, 15))),
        )
        for k in range(n)
    ]
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    links = [
        Link(f"t{a}", f"t{b}", draw(st.sampled_from(list(LinkType))), draw(st.integers(-3, 5)))
        for a, b in sorted({(min(p), max(p)) for p in pairs if p[0] != p[1]})
    ]
    links = draw(st.permutations(links))
    projects = [Project("p", release=draw(st.integers(0, 4)))]
    return Problem(list(draw(st.permutations(tasks))), list(links), projects=projects), draw(st.integers(0, 3))


@settings(max_examples=150, deadline=None)
@given(constrained_networks())
def test_the_level_passes_match_the_python_loop(case: tuple[Problem, int]) -> None:
    problem, origin = case
    expected = by_python_loop(problem, origin)
    assert by_levels(problem, origin) == expected
    assert by_levels(problem, origin, level_work=8) == expected  # switches part-way in about 2 cases out of 5


def test_a_tie_between_predecessors_goes_to_the_first_in_the_order() -> None:
    """Two links set the same early start: the chain follows the predecessor the topological
    order meets first (the task listed first among ready ones), whichever pass runs."""
    tasks = [Task("b", 5, name="Plan B"), Task("a", 5, name="Plan A"), Task("c", 2, name="Cut", deadline=6)]
    problem = Problem(tasks, [Link("a", "c"), Link("b", "c")])
    for cpm in (by_python_loop(problem), by_levels(problem)):
        assert cpm.deadline_misses[0].chain == ["b", "c"]
        assert cpm.critical == ["b", "a", "c"]


def layered(tasks: int, layers: int, seed: int) -> Problem:
    """Random layered network, links mostly to the next layer, a few pins and deadlines."""
    rng = random.Random(seed)
    layer = [k * layers // tasks for k in range(tasks)]
    members: dict[int, list[int]] = {}
    for k, level in enumerate(layer):
        members.setdefault(level, []).append(k)
    built = [
        Task(
            f"w{k}",
            rng.randint(0, 8),
            earliest_start=rng.randint(0, 20) if rng.random() < 0.05 else None,
            deadline=rng.randint(10, 120) if rng.random() < 0.05 else None,
            pinned_start=rng.randint(0, 60) if rng.random() < 0.01 else None,
        )
        for k in range(tasks)
    ]
    links = []
    for a in range(tasks):
        if layer[a] < layers - 1:
            for _ in range(2):
                to = min(layers - 1, layer[a] + (1 if rng.random() < 0.8 else rng.randint(1, 4)))
                links.append(Link(f"w{a}", f"w{rng.choice(members[to])}", rng.choice(list(LinkType)), rng.randint(-2, 5)))
    rng.shuffle(built)
    return Problem(built, links)


def test_a_wide_network_gives_the_same_result_both_ways() -> None:
    problem = layered(3_000, 25, seed=3)
    net = cpm_module._Network(problem, 0)
    net.forward()
    assert len(net.levels) >= 25 and not net.tail  # the default thresholds take the numpy passes
    cpm = critical_path(problem)
    assert cpm == by_python_loop(problem)
    assert cpm.deadline_misses and cpm.pin_conflicts  # the chains and conflicts were compared too


def test_a_deep_chain_after_wide_levels_is_finished_by_the_python_loop() -> None:
    starts = [Task(f"s{k}", k % 7) for k in range(600)]
    chain = [Task(f"c{k}", 1 + k % 3, deadline=300 if k == 399 else None) for k in range(400)]
    links = [Link(f"s{k}", "c0") for k in range(600)]
    links += [Link(f"c{k}", f"c{k + 1}", LinkType.SS if k % 5 == 0 else LinkType.FS, k % 3 - 1) for k in range(399)]
    problem = Problem(starts + chain, links)
    net = cpm_module._Network(problem, 0)
    net.forward()
    assert net.levels and len(net.tail) > 300
    cpm = critical_path(problem)
    assert cpm == by_python_loop(problem)
    assert cpm.deadline_misses[0].chain[0] == "s6" and len(cpm.deadline_misses[0].chain) == 401


def test_a_cycle_behind_wide_levels_is_named_in_order() -> None:
    tasks = [Task(f"s{k}", 1) for k in range(50)] + [Task("a", 1, name="Cadrage"), Task("b", 1), Task("c", 1)]
    links = [Link(f"s{k}", "a") for k in range(50)] + [Link("a", "b"), Link("b", "c"), Link("c", "a")]
    problem = Problem(tasks, links)
    messages = []
    for run in (by_python_loop, by_levels):
        with pytest.raises(CycleError) as caught:
            run(problem)
        messages.append((caught.value.cycle, str(caught.value)))
    assert messages[0] == messages[1]
    assert "Cadrage → b → c → Cadrage" in messages[0][1] or "b → c → Cadrage → b" in messages[0][1]
