"""`jalon solve FILE`: text and JSON output on one small file per benchmark set; the printed
schedule is rebuilt and checked by the validator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jalon.engine.model import TaskSchedule
from jalon.engine.validate import validate
from jalon.formats import read_instance
from jalon.solve_command import main

SAMPLES = [
    "psplib/j30/j301_1.sm",
    "psplib/j60/j601_1.sm",
    "psplib/j90/j901_1.sm",
    "psplib/j120/j12010_1.sm",
    "imopse/Small/10_3_5_3.def",
    "imopse/d36/100_5_20_9_D3.def",
]


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def check_schedule(path: Path, payload: dict) -> None:
    problem = read_instance(path)
    schedule = {
        str(t["id"]): TaskSchedule(str(t["id"]), t["start"], t["finish"], tuple(str(p) for p in t["assignees"]))
        for t in payload["tasks"]
    }
    assert [v for v in validate(problem, schedule) if v.kind != "deadline"] == []
    assert payload["makespan"] == max(t["finish"] for t in payload["tasks"])
    assert payload["lower_bound"] <= payload["makespan"]
    multi_skill = path.suffix == ".def"
    assert all(bool(t["assignees"]) == multi_skill for t in payload["tasks"])


@pytest.mark.parametrize("sample", SAMPLES)
@pytest.mark.parametrize("method,limit", [("heuristic", "0.2"), ("optimize", "0.5")])
def test_it_prints_one_valid_json_schedule(benchmarks: Path, capsys, sample: str, method: str, limit: str) -> None:
    path = benchmarks / sample
    payload = run_json(capsys, str(path), "--method", method, "--time-limit", limit)
    assert set(payload) == {"instance", "method", "status", "makespan", "lower_bound", "seconds", "tasks"}
    assert payload["instance"] == path.stem and payload["method"] == method
    assert payload["status"] in {"optimal", "feasible"}
    assert all(isinstance(t["id"], int) and isinstance(t["start"], int) for t in payload["tasks"])
    check_schedule(path, payload)


def test_it_prints_a_readable_summary(benchmarks: Path, capsys) -> None:
    assert main([str(benchmarks / "psplib/j30/j301_1.sm"), "--time-limit", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "makespan" in out and "lower bound" in out and "schedule     valid" in out


def test_an_unreadable_file_exits_with_2_and_says_why(tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.sm"
    broken.write_text("not a PSPLIB file\n")
    assert main([str(broken)]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main([str(tmp_path / "missing.def")]) == 2
    assert main([str(tmp_path / "notes.txt")]) == 2
