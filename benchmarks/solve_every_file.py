"""Run `jalon solve FILE --json` on every benchmark file and check each printed schedule with the
independent validator (the issue's "done when": every file solves to a valid schedule).

    python benchmarks/solve_every_file.py [--method heuristic] [--time-limit 0.05] [--jobs 2]

Prints one line per set: files, valid, invalid, failed, and the slowest file. Figures only.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from rich.table import Table

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]

from common import BENCHMARKS, console, run_all  # noqa: E402
from jalon.engine.model import TaskSchedule  # noqa: E402
from jalon.engine.validate import validate  # noqa: E402
from jalon.formats import read_instance  # noqa: E402
from jalon.solve_command import main as solve_main  # noqa: E402


def instance_files() -> list[Path]:
    files = sorted((BENCHMARKS / "psplib").glob("j*/j*_*.sm"))
    return files + sorted((BENCHMARKS / "imopse").glob("*/*.def"))


def set_name(path: Path) -> str:
    return f"{path.parent.parent.name}/{path.parent.name}"


def check(item: tuple[Path, str, float]) -> tuple[str, str, float, str]:
    """Solve through the command's JSON output, then validate that output against the file."""
    path, method, limit = item
    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = solve_main([str(path), "--json", "--method", method, "--time-limit", str(limit)])
    seconds = time.perf_counter() - started
    if code != 0:
        return set_name(path), "failed", seconds, f"exit {code}"
    printed = json.loads(out.getvalue())
    schedule = {
        str(t["id"]): TaskSchedule(str(t["id"]), t["start"], t["finish"], tuple(str(a) for a in t["assignees"]))
        for t in printed["tasks"]
    }
    violations = [v for v in validate(read_instance(path), schedule) if v.kind != "deadline"]
    if violations:
        return set_name(path), "invalid", seconds, f"{path.name}: {violations[0].message}"
    return set_name(path), "valid", seconds, path.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", choices=["heuristic", "optimize"], default="heuristic")
    parser.add_argument("--time-limit", type=float, default=0.05)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    files = instance_files()
    if not files:
        console.print(f"No benchmark files under {BENCHMARKS} (set JALON_SHARED).")
        return
    items = [(f, args.method, args.time_limit) for f in files]
    rows = run_all(check, items, args.jobs, f"jalon solve --method {args.method} --time-limit {args.time_limit}")
    by_set: dict[str, list[tuple[str, float, str]]] = defaultdict(list)
    for name, verdict, seconds, detail in rows:
        by_set[name].append((verdict, seconds, detail))
    table = Table("set", "files", "valid", "invalid", "failed", "max s (wall, incl. reading)", "first problem")
    for name, outcomes in sorted(by_set.items()):
        bad = next((d for v, _, d in outcomes if v != "valid"), "")
        table.add_row(
            name, str(len(outcomes)), *(str(sum(v == k for v, _, _ in outcomes)) for k in ("valid", "invalid", "failed")),
            f"{max(s for _, s, _ in outcomes):.2f}", bad,
        )
    console.print(table)


if __name__ == "__main__":
    main()
