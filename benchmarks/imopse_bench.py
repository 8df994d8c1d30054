"""iMOPSE multi-skill RCPSP benchmark: gap above the lower bounds of bounds.csv (no best-known
makespans are published there, so the gap to the lower bound overstates the distance to optimal).

    python benchmarks/imopse_bench.py --set d36 --method optimize --time-limit 10 --jobs 2
    python benchmarks/imopse_bench.py --set GenBig --method heuristic --time-limit 1
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]

from common import BENCHMARKS, machine_speed, Outcome, console, print_summary, print_worst, run_all  # noqa: E402
from jalon.engine.solve import solve  # noqa: E402
from jalon.engine.validate import is_valid  # noqa: E402
from jalon.formats import read_bounds  # noqa: E402
from jalon.formats.imopse import read_def  # noqa: E402

SETS = ("d36", "d45", "Small", "Dense", "NoConstr", "GenRegular", "GenBig")


def run_one(path: Path, *, method: str, time_limit: float, workers: int, seed: int) -> Outcome:
    folder = BENCHMARKS / "imopse"
    bound = read_bounds(folder / "bounds.csv")[f"{path.parent.name}/{path.stem}"]
    problem = read_def(path)
    result = solve(problem, method=method, time_limit=time_limit, workers=workers, seed=seed)
    return Outcome(
        f"{path.parent.name}/{path.stem}", result.makespan, str(result.status), result.lower_bound, result.seconds,
        is_valid(problem, result), bound.lower_bound, bound.critical_path, False,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", default="d36", choices=SETS)
    parser.add_argument("--method", default="heuristic", choices=["heuristic", "optimize"])
    parser.add_argument("--time-limit", type=float, default=1.0)
    parser.add_argument("--jobs", type=int, default=2, help="parallel processes")
    parser.add_argument("--workers", type=int, default=None, help="CP-SAT workers per process (default: 2 / jobs)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="only the first N instances")
    args = parser.parse_args(argv)
    folder = BENCHMARKS / "imopse" / args.set
    if not folder.is_dir():
        console.print(f"[red]No iMOPSE set at {folder}")
        return 2
    files = sorted(folder.glob("*.def"))[: args.limit]
    workers = args.workers or max(1, 2 // max(1, args.jobs))
    work = partial(run_one, method=args.method, time_limit=args.time_limit, workers=workers, seed=args.seed)
    title = f"iMOPSE {args.set} · {args.method} · {args.time_limit:g} s · {args.jobs} jobs × {workers} workers"
    console.print(machine_speed())
    outcomes = run_all(work, files, args.jobs, title)
    print_summary(title, outcomes, "lower bound")
    print_worst(outcomes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
