"""The validator: one valid hand-made schedule, then one change per rule, each breaking only that rule."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jalon.engine.model import (
    Link,
    LinkType,
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
from jalon.engine.validate import Violation, is_valid, validate


def agency_problem() -> Problem:
    """A small web project: a pool of servers, people with skills, part time, an absence."""
    people = [
        Person("alice", skills={"dev": 3, "ux": 2}, unavailable=((20, 25),)),
        Person("bob", skills={"dev": 2}),
        Person("carol", skills={"ux": 4}, capacity=0.5),
        Person("dan", skills={"dev": 1}),
        Person("erin", skills={"ux": 2}),
        Person("frank", skills={"ux": 3}, capacity=0.5),
        Person("gina", skills={"ux": 3}),
    ]
    tasks = [
        Task("A", 2, name="Cadrage", project="P", skills=(SkillRequirement("ux", 2),)),
        Task("B", 4, name="Maquettes", skills=(SkillRequirement("ux", 3),), pinned_people=("carol",)),
        Task("C", 5, name="Développement", skills=(SkillRequirement("dev", 2), SkillRequirement("ux", 2)), demands={"srv": 1}),
        Task("D", 3, name="Intégration", demands={"srv": 2}),
        Task("E", 2, name="Recette", skills=(SkillRequirement("dev", 1),), earliest_start=16, deadline=20),
        Task("F", 1, name="Veille", demands={"srv": 1}),
        Task("M", 0, name="Mise en ligne", pinned_start=18),
    ]
    links = [
        Link("A", "B", LinkType.FS, 0),
        Link("A", "C", LinkType.SS, 2),
        Link("C", "D", LinkType.FF, 4),
        Link("B", "E", LinkType.FS, 1),
        Link("D", "E", LinkType.SF, 8),
        Link("D", "M", LinkType.FS, 0),
    ]
    return Problem(tasks, links, pools=[Pool("srv", 2)], people=people, projects=[Project("P", release=1)])


def valid_schedule() -> dict[str, TaskSchedule]:
    rows = [
        ("A", 1, 3, ("erin",)),
        ("B", 3, 11, ("carol",)),  # carol works half time: 4 days of work take 8
        ("C", 3, 8, ("bob", "alice")),
        ("D", 9, 12, ()),
        ("E", 16, 18, ("dan",)),
        ("F", 0, 1, ()),
        ("M", 18, 18, ()),
    ]
    return {task: TaskSchedule(task, start, finish, people) for task, start, finish, people in rows}


def with_changes(**changes: tuple[int, int, tuple[str, ...]] | None) -> dict[str, TaskSchedule]:
    schedule = valid_schedule()
    for task, change in changes.items():
        if change is None:
            del schedule[task]
        else:
            start, finish, people = change
            schedule[task] = TaskSchedule(task, start, finish, people)
    return schedule


def kinds(violations: list[Violation]) -> list[str]:
    return [v.kind for v in violations]


def test_the_hand_made_schedule_is_valid() -> None:
    assert validate(agency_problem(), valid_schedule()) == []
    assert is_valid(agency_problem(), valid_schedule(), deadlines_hard=True)


def test_a_result_is_checked_like_a_mapping() -> None:
    result = Result("heuristic", Status.FEASIBLE, tasks=with_changes(D=None))
    assert kinds(validate(agency_problem(), result)) == ["missing"]


CASES = {
    "missing": dict(D=None),
    "duration": dict(D=(9, 13, ())),
    "duration of a part-timer": dict(B=(3, 7, ("carol",))),
    "precedence FS": dict(B=(8, 16, ("carol",))),
    "precedence SS": dict(C=(2, 7, ("bob", "alice"))),
    "precedence FF": dict(D=(8, 11, ())),
    "precedence SF": dict(D=(11, 14, ())),
    "earliest_start": dict(E=(15, 17, ("dan",))),
    "release": dict(A=(0, 2, ("erin",))),
    "negative_start": dict(F=(-1, 0, ())),
    "pin start": dict(M=(19, 19, ())),
    "pin people": dict(B=(3, 11, ("frank",))),
    "unknown_person": dict(E=(16, 18, ("zoe",))),
    "skill level": dict(C=(3, 8, ("alice", "dan"))),
    "skill headcount": dict(C=(3, 8, ("alice",))),
    "skill one requirement per person": dict(C=(3, 8, ("erin", "gina"))),
    "skill same person twice": dict(C=(3, 8, ("alice", "alice"))),
    "person_overlap": dict(F=(4, 5, ("bob",))),
    "absence": dict(F=(22, 23, ("alice",))),
    "pool_capacity": dict(F=(10, 11, ())),
    "deadline": dict(E=(19, 21, ("dan",))),
}


@pytest.mark.parametrize("case", CASES)
def test_each_broken_rule_is_reported_alone(case: str) -> None:
    kind = case.split()[0]
    found = validate(agency_problem(), with_changes(**CASES[case]))
    assert kinds(found) == [kind], found
    assert found[0].message


def test_an_unknown_task_in_the_schedule_is_reported() -> None:
    schedule = valid_schedule() | {"Z": TaskSchedule("Z", 0, 1)}
    assert kinds(validate(agency_problem(), schedule)) == ["unknown_task"]


def test_it_names_the_tasks_of_a_broken_link() -> None:
    [violation] = validate(agency_problem(), with_changes(**CASES["precedence FS"]))
    assert violation.tasks == ("B", "E")
    assert "'Maquettes' (B)" in violation.message and "'Recette' (E)" in violation.message


def test_work_may_end_on_the_unit_another_starts_or_an_absence_begins() -> None:
    touching = with_changes(F=(19, 20, ("alice",)))  # alice is away from 20; A ends at 3 where C starts
    assert validate(agency_problem(), touching) == []


def test_an_empty_absence_blocks_nothing() -> None:
    problem = agency_problem()
    problem.people[0] = replace(problem.people[0], unavailable=((20, 25), (5, 5)))  # (5, 5): no day
    assert validate(problem, valid_schedule()) == []  # alice works on C over 3..8


def test_a_pool_overload_names_the_tasks_running_then() -> None:
    [violation] = validate(agency_problem(), with_changes(**CASES["pool_capacity"]))
    assert violation.tasks == ("D", "F")
    assert "needs 3 units at 10, capacity 2" in violation.message


def test_a_missed_deadline_is_soft_unless_asked() -> None:
    late = with_changes(E=(19, 21, ("dan",)), F=(-1, 0, ()))
    assert kinds(validate(agency_problem(), late)) == ["negative_start", "deadline"]
    late = with_changes(E=(19, 21, ("dan",)))
    assert is_valid(agency_problem(), late)
    assert not is_valid(agency_problem(), late, deadlines_hard=True)


def test_deadlines_come_last_and_say_whether_they_are_hard() -> None:
    problem = agency_problem()
    problem.tasks[0] = replace(problem.tasks[0], deadline=2)  # 'Cadrage' ends on 3
    late = with_changes(F=(-1, 0, ()))
    soft = validate(problem, late)
    assert kinds(soft) == ["negative_start", "deadline"]
    assert soft[1].message.endswith("(soft)") and soft[1].tasks == ("A",)
    assert validate(problem, late, deadlines_hard=True)[1].message.endswith("(hard)")


def test_a_pool_only_task_with_no_people_keeps_its_plain_duration() -> None:
    problem = Problem([Task("x", 3, demands={"r": 1})], pools=[Pool("r", 1)])
    assert validate(problem, {"x": TaskSchedule("x", 0, 3)}) == []
    assert kinds(validate(problem, {"x": TaskSchedule("x", 0, 2)})) == ["duration"]


def test_a_demand_above_capacity_is_an_overload_on_its_own() -> None:
    problem = Problem([Task("x", 2, demands={"r": 3})], pools=[Pool("r", 2)])
    assert kinds(validate(problem, {"x": TaskSchedule("x", 0, 2)})) == ["pool_capacity"]


def test_one_overload_period_is_reported_once_and_a_second_one_again() -> None:
    tasks = [Task(str(k), 2, demands={"r": 1}) for k in range(4)]
    problem = Problem(tasks, pools=[Pool("r", 1)])
    schedule = {
        "0": TaskSchedule("0", 0, 2), "1": TaskSchedule("1", 1, 3),  # overload 1..2, then level 1
        "2": TaskSchedule("2", 5, 7), "3": TaskSchedule("3", 5, 7),  # a second overload
    }
    found = validate(problem, schedule)
    assert [(v.kind, v.tasks) for v in found] == [("pool_capacity", ("0", "1")), ("pool_capacity", ("2", "3"))]
