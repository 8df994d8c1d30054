"""Benchmark readers: real PSPLIB and iMOPSE files, and malformed inputs built on the spot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jalon.engine.cpm import critical_path
from jalon.engine.model import LinkType
from jalon.formats import Bound, FormatError, read_bounds, read_instance
from jalon.formats.imopse import read_def
from jalon.formats.psplib import read_sm

PSPLIB_SAMPLES = {
    "j30": ["j301_1", "j3010_7", "j3048_10"],
    "j60": ["j601_1", "j6025_4", "j6048_10"],
    "j90": ["j901_1", "j9030_5", "j9048_10"],
    "j120": ["j1201_1", "j12033_2", "j12060_10"],
}
SET_SIZE = {"j30": 30, "j60": 60, "j90": 90, "j120": 120}


def test_it_reads_the_first_j30_instance_field_by_field(benchmarks: Path) -> None:
    problem = read_sm(benchmarks / "psplib/j30/j301_1.sm")
    assert problem.name == "j301_1"
    assert [t.id for t in problem.tasks] == [str(j) for j in range(1, 33)]
    assert [(p.id, p.capacity) for p in problem.pools] == [("R1", 12), ("R2", 13), ("R3", 4), ("R4", 12)]
    job2 = problem.task("2")
    assert (job2.duration, dict(job2.demands)) == (8, {"R1": 4})
    assert problem.task("1").milestone and problem.task("32").milestone
    source_links = [(link.successor, link.type, link.lag) for link in problem.links if link.predecessor == "1"]
    assert source_links == [("2", LinkType.FS, 0), ("3", LinkType.FS, 0), ("4", LinkType.FS, 0)]
    assert len(problem.links) == 48


@pytest.mark.parametrize(("family", "name"), [(f, n) for f, names in PSPLIB_SAMPLES.items() for n in names])
def test_psplib_critical_path_matches_the_published_cpm(benchmarks: Path, family: str, name: str) -> None:
    problem = read_sm(benchmarks / "psplib" / family / f"{name}.sm")
    bounds = read_bounds(benchmarks / "psplib" / family / "bounds.csv")
    assert len(problem.tasks) == SET_SIZE[family] + 2
    assert critical_path(problem).makespan == bounds[name].critical_path


def test_it_reads_the_small_imopse_instance_field_by_field(benchmarks: Path) -> None:
    problem = read_def(benchmarks / "imopse/Small/10_3_5_3.def")
    assert problem.name == "10_3_5_3"
    person = problem.people[0]
    # File levels start at 0; the engine shifts them by one (Q1: 0 -> 1, Q2: 1 -> 2).
    assert (person.id, dict(person.skills), person.daily_cost) == ("1", {"Q1": 1, "Q2": 2}, 56.0)
    task7 = problem.task("7")
    assert task7.duration == 13
    assert [(r.skill, r.min_level, r.count) for r in task7.skills] == [("Q1", 1, 1)]
    assert sorted((l.predecessor, l.successor) for l in problem.links) == [("3", "10"), ("4", "7"), ("5", "7"), ("7", "9")]


def _small_instances() -> list[str]:
    from .conftest import benchmarks_dir

    folder = benchmarks_dir() / "imopse/Small"
    return sorted(p.name for p in folder.glob("*.def")) or ["<no Small instances found>"]


@pytest.mark.parametrize("name", _small_instances())
def test_every_small_imopse_instance_is_consistent(benchmarks: Path, name: str) -> None:
    path = benchmarks / "imopse/Small" / name
    problem = read_def(path)
    header = dict(re.findall(r"^(Tasks|Resources|Precedence relations): *(\d+)", path.read_text(encoding="latin-1"), re.M))
    counts = (len(problem.tasks), len(problem.people), len(problem.links))
    assert counts == (int(header["Tasks"]), int(header["Resources"]), int(header["Precedence relations"]))
    for task in problem.tasks:
        [need] = task.skills
        assert any(p.level(need.skill) >= need.min_level for p in problem.people), task.id
    bounds = read_bounds(benchmarks / "imopse/bounds.csv")
    assert critical_path(problem).makespan <= bounds[f"Small/{path.stem}"].lower_bound


@pytest.mark.parametrize("subset", ["d36", "Dense", "NoConstr", "GenBig"])
def test_one_instance_of_each_imopse_subset_reads(benchmarks: Path, subset: str) -> None:
    path = sorted((benchmarks / "imopse" / subset).glob("*.def"))[0]
    problem = read_instance(path)
    header = path.read_text(encoding="latin-1")
    assert f"Tasks: {len(problem.tasks)}" in header
    assert all(len(t.skills) == 1 for t in problem.tasks)


def test_bounds_are_typed_and_empty_cells_become_none(benchmarks: Path) -> None:
    j30 = read_bounds(benchmarks / "psplib/j30/bounds.csv")
    assert len(j30) == 480
    first = j30["j301_1"]
    assert (first.lower_bound, first.best_known_upper_bound, first.optimal, first.critical_path) == (43, 43, True, 38)
    imopse = read_bounds(benchmarks / "imopse/bounds.csv")
    assert all(b.best_known_upper_bound is None and not b.optimal for b in imopse.values())
    assert isinstance(imopse["Small/10_3_5_3"], Bound)


# --- malformed inputs --------------------------------------------------------------------------

SM_TEMPLATE = """\
************************************************************************
projects                      :  1
jobs (incl. supersource/sink ):  4
horizon                       :  20
RESOURCES
  - renewable                 :  2   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           4
   4        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  R 2
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     3       2    0
  3      1     5       0    1
  4      1     0       0    0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1  R 2
    2    1
************************************************************************
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="latin-1")
    return path


def test_a_tiny_handmade_sm_file_reads(tmp_path: Path) -> None:
    problem = read_sm(_write(tmp_path, "tiny.sm", SM_TEMPLATE))
    assert critical_path(problem).makespan == 5
    assert problem.task("3").demands == {"R2": 1}


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("  2      1     3       2    0", "  2      1     x       2    0", 21, "whole numbers"),
        ("   2        1          1           4", "   2        2          1           4", 13, "modes"),
        ("   3        1          1           4", "   3        1          1           9", 14, "successor 9"),
        ("   3        1          1           4", "   3        1          2           4", 14, "successor count"),
        ("  3      1     5       0    1", "  3      1     5       0", 22, "2 demands"),
        ("  3      1     5       0    1", "  5      1     5       0    1", 22, "expected job 3"),
        ("    2    1\n", "    2\n", 27, "capacities"),
    ],
)
def test_a_malformed_sm_file_names_the_line(tmp_path: Path, old: str, new: str, line: int, words: str) -> None:
    assert old in SM_TEMPLATE
    path = _write(tmp_path, "bad.sm", SM_TEMPLATE.replace(old, new, 1))
    with pytest.raises(FormatError, match=words) as caught:
        read_sm(path)
    assert caught.value.line == line
    assert f"bad.sm:{line}:" in str(caught.value)


def test_an_sm_file_without_its_tables_says_what_is_missing(tmp_path: Path) -> None:
    path = _write(tmp_path, "cut.sm", SM_TEMPLATE.split("REQUESTS/DURATIONS:")[0])
    with pytest.raises(FormatError, match="REQUESTS/DURATIONS"):
        read_sm(path)


def test_a_missing_file_is_a_format_error(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="cannot read"):
        read_sm(tmp_path / "absent.sm")


DEF_TEMPLATE = (
    "==========\nGeneral characteristics: \nTasks: 3\nResources: 2\nPrecedence relations: 2\n"
    "Number of skill types: 2\n==========\n"
    "ResourceID \t Salary \t Skills \n"
    "1\t \t \t40.5\t \t Q0: 0 \t  Q1: 2 \t \n"
    "2\t \t \t20.0\t \t Q1: 1 \t \n"
    "==========\n"
    "TaskID \t Duration \t Skill \t Predecessor IDs \n"
    "1\t \t \t10\t Q0: 0\t \t\n"
    "2\t \t \t5\t Q1: 1\t \t1\t\n"
    "3\t \t \t7\t Q1: 2\t \t1\t\n"
    "=========="
)


def test_a_tiny_handmade_def_file_reads(tmp_path: Path) -> None:
    problem = read_def(_write(tmp_path, "tiny.def", DEF_TEMPLATE))
    assert [p.daily_cost for p in problem.people] == [40.5, 20.0]
    assert problem.task("3").skills[0].min_level == 3
    assert critical_path(problem).makespan == 17


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("2\t \t \t5\t Q1: 1", "2\t \t \tfive\t Q1: 1", 14, "task id, duration"),
        ("Q1: 2 \t \n", "Q1: two \t \n", 9, "skill 'Qk: level'"),
        ("40.5", "forty", 9, "salary"),
        ("3\t \t \t7\t Q1: 2\t \t1", "3\t \t \t7\t Q1: 2\t \t8", 15, "predecessor 8"),
        ("Tasks: 3", "Tasks: 4", 12, "Tasks: 4"),
        ("Q0: 0\t \t\n", "Z0: 0\t \t\n", 13, "skill"),
    ],
)
def test_a_malformed_def_file_names_the_line(tmp_path: Path, old: str, new: str, line: int, words: str) -> None:
    assert old in DEF_TEMPLATE
    path = _write(tmp_path, "bad.def", DEF_TEMPLATE.replace(old, new, 1))
    with pytest.raises(FormatError, match=words) as caught:
        read_def(path)
    assert caught.value.line == line


def test_a_def_file_without_task_table_says_so(tmp_path: Path) -> None:
    path = _write(tmp_path, "cut.def", DEF_TEMPLATE.split("TaskID")[0])
    with pytest.raises(FormatError, match="TaskID"):
        read_def(path)


def test_bounds_with_missing_columns_or_bad_numbers_are_refused(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="missing critical_path"):
        read_bounds(_write(tmp_path, "a.csv", "instance,lower_bound,best_known_upper_bound,optimal,source\n"))
    header = "instance,lower_bound,best_known_upper_bound,optimal,source,critical_path\n"
    with pytest.raises(FormatError, match=r"a\.csv:2: column 'lower_bound'") :
        read_bounds(_write(tmp_path, "a.csv", header + "x,forty,,false,,\n"))


def test_an_unknown_suffix_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"\.mpp"):
        read_instance(tmp_path / "plan.mpp")
