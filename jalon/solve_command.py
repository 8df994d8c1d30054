"""`jalon solve FILE`: schedule one benchmark instance (.sm PSPLIB or .def iMOPSE) and print the
result. Framework-free: the `jalon` command dispatches here without setting up Django."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from jalon.engine.model import Problem, ProblemError, Result
from jalon.engine.solve import solve
from jalon.engine.validate import validate
from jalon.formats import FormatError, read_instance

EXIT_BAD_INPUT = 2


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="jalon solve",
        description="Schedule a PSPLIB (.sm) or iMOPSE (.def) instance and print the makespan.",
    )
    parser.add_argument("file", type=Path, help="instance file: .sm (PSPLIB) or .def (iMOPSE)")
    parser.add_argument("--method", choices=["heuristic", "optimize"], default="heuristic")
    parser.add_argument("--time-limit", type=float, default=None, metavar="S", help="seconds (heuristic 1, optimize 10)")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the schedule")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers for --method optimize")
    args = parser.parse_args(argv)
    try:
        problem = read_instance(args.file)
    except (FormatError, ProblemError, OSError) as error:
        print(f"jalon solve: cannot read {args.file}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = solve(problem, method=args.method, time_limit=args.time_limit, seed=args.seed, workers=args.workers)
    if args.json:
        print(json.dumps(as_json(problem, result, args.file)))
    else:
        print_text(problem, result, args.file)
    return 0


def as_json(problem: Problem, result: Result, path: Path) -> dict:
    """The documented JSON shape: job numbers and resource ids of the file, as integers."""
    return {
        "instance": path.stem,
        "method": result.method,
        "status": str(result.status),
        "makespan": result.makespan,
        "lower_bound": result.lower_bound,
        "seconds": round(result.seconds, 3),
        "tasks": [
            {
                "id": int(task.id),
                "start": result.tasks[task.id].start,
                "finish": result.tasks[task.id].finish,
                "assignees": [int(p) for p in result.tasks[task.id].assignees],
            }
            for task in problem.tasks
            if task.id in result.tasks
        ],
    }


def print_text(problem: Problem, result: Result, path: Path) -> None:
    violations = [v for v in validate(problem, result) if v.kind != "deadline"] if result.tasks else []
    verdict = "valid" if not violations else f"INVALID ({len(violations)} violations: {violations[0].message})"
    print(f"instance     {path.name} ({len(problem.tasks)} tasks)")
    print(f"method       {result.method}")
    print(f"status       {result.status}")
    print(f"makespan     {result.makespan if result.makespan is not None else '-'}")
    print(f"lower bound  {result.lower_bound if result.lower_bound is not None else '-'}")
    print(f"seconds      {result.seconds:.2f}")
    if result.tasks:
        print(f"schedule     {verdict}")
    for reason in result.reasons:
        print(f"reason       {reason}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
