"""PSPLIB single-mode RCPSP reader (`.sm`, Kolisch & Sprecher 1996).

Layout (see shared/benchmarks/README.md): a header with `jobs (incl. supersource/sink ): n` and
`- renewable : k R`; then the tables `PRECEDENCE RELATIONS:` (job, modes, successor count,
successors), `REQUESTS/DURATIONS:` (job, mode, duration, demand per resource) and
`RESOURCEAVAILABILITIES:` (one capacity per resource). Tables end at a line of asterisks.

Mapping: task ids are the job numbers as strings ("1" is the dummy source, str(n) the dummy
sink, both milestones), pools are "R1".."Rk", every precedence is FS with lag 0, and zero demands
are left out of `Task.demands`. The makespan of the file is the start of the sink.
"""

from __future__ import annotations

import re
from pathlib import Path

from jalon.engine.model import Link, LinkType, Pool, Problem, ProblemError, Task
from jalon.formats import FormatError

_JOBS = re.compile(r"^\s*jobs\s*\(incl\. supersource/sink\s*\)\s*:\s*(\d+)\s*$")
_RENEWABLE = re.compile(r"^\s*-\s*renewable\s*:\s*(\d+)\s*R\s*$")


class _Lines:
    """The file's lines with 1-based numbers, for error messages."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.lines = path.read_text(encoding="latin-1").splitlines()
        except OSError as error:
            raise FormatError(path, None, f"cannot read the file: {error.strerror}") from None

    def error(self, index: int | None, message: str) -> FormatError:
        return FormatError(self.path, None if index is None else index + 1, message)

    def find(self, pattern: re.Pattern[str] | str, what: str) -> tuple[int, re.Match[str]]:
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        for index, line in enumerate(self.lines):
            match = regex.match(line)
            if match:
                return index, match
        raise self.error(None, f"expected a line {what}, found none")

    def table(self, title: str, header_lines: int) -> list[tuple[int, list[int]]]:
        """Rows of integers after `title` and its header lines, up to the line of asterisks."""
        start, _ = self.find(re.compile(rf"^\s*{re.escape(title)}\s*$"), f"'{title}'")
        rows: list[tuple[int, list[int]]] = []
        for index in range(start + 1 + header_lines, len(self.lines)):
            line = self.lines[index].strip()
            if line.startswith("*"):
                return rows
            if not line:
                continue
            try:
                rows.append((index, [int(field) for field in line.split()]))
            except ValueError:
                raise self.error(index, f"in {title}: expected whole numbers, got {line!r}") from None
        raise self.error(len(self.lines) - 1, f"{title}: expected a closing line of asterisks before the end of the file")


def read_sm(path: str | Path) -> Problem:
    """Read a PSPLIB single-mode file into a Problem named after the file stem."""
    lines = _Lines(Path(path))
    _, match = lines.find(_JOBS, "'jobs (incl. supersource/sink ): <number>'")
    jobs = int(match.group(1))
    _, match = lines.find(_RENEWABLE, "'- renewable : <number> R'")
    pools = [f"R{k}" for k in range(1, int(match.group(1)) + 1)]

    successors = _precedences(lines, jobs)
    durations, demands = _requests(lines, jobs, pools)
    capacities = _availabilities(lines, pools)

    tasks = [Task(id=str(j), duration=durations[j], demands=demands[j]) for j in range(1, jobs + 1)]
    links = [Link(str(j), str(s), LinkType.FS, 0) for j in range(1, jobs + 1) for s in successors[j]]
    try:
        return Problem(
            tasks=tasks,
            links=links,
            pools=[Pool(p, c) for p, c in zip(pools, capacities, strict=True)],
            name=lines.path.stem,
        )
    except ProblemError as error:
        raise lines.error(None, str(error)) from None


def _precedences(lines: _Lines, jobs: int) -> dict[int, list[int]]:
    rows = lines.table("PRECEDENCE RELATIONS:", header_lines=1)
    successors: dict[int, list[int]] = {}
    for index, fields in rows:
        if len(fields) < 3 or len(fields) != 3 + fields[2]:
            raise lines.error(index, "expected: job number, mode count, successor count, then that many successors")
        job, modes, _count = fields[:3]
        if modes != 1:
            raise lines.error(index, f"job {job} has {modes} modes: only single-mode (.sm) files are supported")
        for succ in fields[3:]:
            if not 1 <= succ <= jobs:
                raise lines.error(index, f"job {job}: successor {succ} is not a job number between 1 and {jobs}")
        successors[job] = fields[3:]
    _check_jobs(lines, rows, jobs, "PRECEDENCE RELATIONS")
    return successors


def _requests(lines: _Lines, jobs: int, pools: list[str]) -> tuple[dict[int, int], dict[int, dict[str, int]]]:
    rows = lines.table("REQUESTS/DURATIONS:", header_lines=2)
    durations: dict[int, int] = {}
    demands: dict[int, dict[str, int]] = {}
    for index, fields in rows:
        if len(fields) != 3 + len(pools):
            raise lines.error(index, f"expected: job number, mode, duration and {len(pools)} demands")
        job, _mode, duration = fields[:3]
        if duration < 0 or min(fields[3:], default=0) < 0:
            raise lines.error(index, f"job {job}: duration and demands must be >= 0")
        durations[job] = duration
        demands[job] = {p: units for p, units in zip(pools, fields[3:], strict=True) if units}
    _check_jobs(lines, rows, jobs, "REQUESTS/DURATIONS")
    return durations, demands


def _availabilities(lines: _Lines, pools: list[str]) -> list[int]:
    rows = lines.table("RESOURCEAVAILABILITIES:", header_lines=1)
    if len(rows) != 1 or len(rows[0][1]) != len(pools):
        where = rows[0][0] if rows else None
        raise lines.error(where, f"RESOURCEAVAILABILITIES: expected one line of {len(pools)} capacities")
    return rows[0][1]


def _check_jobs(lines: _Lines, rows: list[tuple[int, list[int]]], jobs: int, table: str) -> None:
    for expected, (index, fields) in enumerate(rows, start=1):
        if fields[0] != expected:
            raise lines.error(index, f"{table}: expected job {expected}, got job {fields[0]}")
    if len(rows) != jobs:
        where = rows[-1][0] if rows else None
        raise lines.error(where, f"{table}: expected {jobs} jobs, got {len(rows)}")
