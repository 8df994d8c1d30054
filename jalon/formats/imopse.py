"""iMOPSE multi-skill RCPSP reader (`.def`, Myszkowski et al. 2015).

Layout (see shared/benchmarks/README.md): a free-text header with `Tasks: n`, `Resources: m`,
`Precedence relations: p` and `Number of skill types: q`; lines of `=` separate the parts; then a
`ResourceID Salary Skills` table (`id salary Qk: level ...`) and a `TaskID Duration Skill
Predecessor IDs` table (`id duration Qk: level pred ...`). Fields are separated by tabs and spaces
in any mix, and the last separator line may lack its newline.

Mapping to the engine model:
  * a resource becomes a Person whose id is the resource id as a string and whose
    `daily_cost` is the salary;
  * iMOPSE levels start at 0 (0..3 in the published sets) while `Person.level()` returns 0 for
    "does not hold the skill", so every level is shifted by +1: a file level L becomes
    engine level L + 1, for people and requirements alike (holding `Q1: 0` still qualifies
    for a task asking `Q1: 0`);
  * a task needs exactly one person: one SkillRequirement(skill, level + 1, count=1);
  * predecessors become FS links with lag 0.
The `Precedence relations` count of the header is not checked: NoConstr/200_20_0_0 says 1 and
lists none.
"""

from __future__ import annotations

import re
from pathlib import Path

from jalon.engine.model import Link, LinkType, Person, Problem, ProblemError, SkillRequirement, Task
from jalon.formats import FormatError

LEVEL_SHIFT = 1  # file level 0 is engine level 1, see the module docstring

_COUNT = re.compile(r"^\s*(Tasks|Resources|Number of skill types)\s*:\s*(\S*)\s*$")
_SKILL = re.compile(r"^Q(\d+):$")


def read_def(path: str | Path) -> Problem:
    """Read an iMOPSE `.def` file into a Problem named after the file stem."""
    source = Path(path)
    try:
        lines = source.read_text(encoding="latin-1").splitlines()
    except OSError as error:
        raise FormatError(source, None, f"cannot read the file: {error.strerror}") from None
    counts = _header_counts(source, lines)
    people_start = _table_start(source, lines, "ResourceID")
    tasks_start = _table_start(source, lines, "TaskID")
    people = [_person(source, i, lines[i]) for i in _rows(lines, people_start)]
    rows = [(i, _task_row(source, i, lines[i])) for i in _rows(lines, tasks_start)]
    _check_count(source, people_start, "Resources", counts["Resources"], len(people))
    _check_count(source, tasks_start, "Tasks", counts["Tasks"], len(rows))
    tasks = [task for _, (task, _) in rows]
    links = [Link(pred, task.id, LinkType.FS, 0) for _, (task, preds) in rows for pred in preds]
    known = {t.id for t in tasks}
    for index, (task, preds) in rows:
        for pred in preds:
            if pred not in known:
                raise FormatError(source, index + 1, f"task {task.id}: predecessor {pred} is not a task of the file")
    try:
        return Problem(tasks=tasks, links=links, people=people, name=source.stem)
    except ProblemError as error:
        raise FormatError(source, None, str(error)) from None


def _header_counts(source: Path, lines: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for index, line in enumerate(lines):
        match = _COUNT.match(line)
        if match:
            if not match.group(2).isdigit():
                raise FormatError(source, index + 1, f"{match.group(1)}: expected a whole number, got {match.group(2)!r}")
            counts[match.group(1)] = int(match.group(2))
    for key in ("Tasks", "Resources"):
        if key not in counts:
            raise FormatError(source, None, f"expected a header line '{key}: <number>', found none")
    return counts


def _table_start(source: Path, lines: list[str], first_word: str) -> int:
    for index, line in enumerate(lines):
        if line.split()[:1] == [first_word]:
            return index
    raise FormatError(source, None, f"expected a table headed '{first_word} ...', found none")


def _rows(lines: list[str], header: int) -> list[int]:
    """Indices of the table's rows: from after its header up to the next separator line of '='."""
    indices: list[int] = []
    for index in range(header + 1, len(lines)):
        text = lines[index].strip()
        if text.startswith("="):
            break
        if text:
            indices.append(index)
    return indices


def _person(source: Path, index: int, line: str) -> Person:
    fields = line.split()
    if len(fields) < 2 or not fields[0].isdigit():
        raise FormatError(source, index + 1, f"expected: resource id, salary, then skills 'Qk: level'; got {line.strip()!r}")
    try:
        salary = float(fields[1])
    except ValueError:
        raise FormatError(source, index + 1, f"resource {fields[0]}: expected a salary number, got {fields[1]!r}") from None
    skills = dict(_skill_pairs(source, index, fields[2:]))
    try:
        return Person(id=fields[0], skills=skills, daily_cost=salary)
    except ProblemError as error:
        raise FormatError(source, index + 1, str(error)) from None


def _task_row(source: Path, index: int, line: str) -> tuple[Task, list[str]]:
    fields = line.split()
    if len(fields) < 4 or not fields[0].isdigit() or not fields[1].isdigit():
        raise FormatError(source, index + 1, f"expected: task id, duration, skill 'Qk: level', predecessor ids; got {line.strip()!r}")
    [(skill, level)] = _skill_pairs(source, index, fields[2:4])
    predecessors = fields[4:]
    for pred in predecessors:
        if not pred.isdigit():
            raise FormatError(source, index + 1, f"task {fields[0]}: expected predecessor ids, got {pred!r}")
    try:
        task = Task(id=fields[0], duration=int(fields[1]), skills=(SkillRequirement(skill, level, 1),))
    except ProblemError as error:
        raise FormatError(source, index + 1, str(error)) from None
    return task, predecessors


def _skill_pairs(source: Path, index: int, fields: list[str]) -> list[tuple[str, int]]:
    """Parse 'Qk:' 'level' pairs into (skill, engine level)."""
    if len(fields) % 2:
        raise FormatError(source, index + 1, f"expected skills as 'Qk: level' pairs, got {' '.join(fields)!r}")
    pairs: list[tuple[str, int]] = []
    for name, level in zip(fields[::2], fields[1::2], strict=True):
        if not _SKILL.match(name) or not level.isdigit():
            raise FormatError(source, index + 1, f"expected a skill 'Qk: level', got {name} {level!r}")
        pairs.append((name[:-1], int(level) + LEVEL_SHIFT))
    return pairs


def _check_count(source: Path, header: int, key: str, expected: int, found: int) -> None:
    if expected != found:
        raise FormatError(source, header + 1, f"the header announces {key}: {expected}, the table lists {found}")
