"""PSPLIB single-mode RCPSP benchmark: gaps to the best-known makespans of bounds.csv.

    python benchmarks/psplib_bench.py --set j30 --sample stratified --method heuristic --time-limit 1
    python benchmarks/psplib_bench.py --set j120 --method optimize --time-limit 10 --jobs 2
    python benchmarks/psplib_bench.py --set j120 --method pyjobshop --time-limit 10 --jobs 2

`stratified` takes one instance per parameter group (j30{group}_{k}.sm: the k rotates with the
group, so every k appears); `all` takes every file. Each process solves one instance at a time;
with `--jobs 2` each solver gets one CP-SAT worker (`--workers` overrides), so both methods use
the same total number of cores.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from functools import partial
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]

from common import BENCHMARKS, machine_speed, Outcome, console, print_summary, print_worst, run_all  # noqa: E402
from jalon.engine.solve import solve  # noqa: E402
from jalon.engine.validate import is_valid  # noqa: E402
from jalon.formats import read_bounds  # noqa: E402
from jalon.formats.psplib import read_sm  # noqa: E402

_NAME = re.compile(r"^(j\d+?)(\d+)_(\d+)$")


def instances(set_name: str, sample: str) -> list[Path]:
    folder = BENCHMARKS / "psplib" / set_name
    files = sorted(folder.glob(f"{set_name}*_*.sm"), key=_order)
    if sample == "all":
        return files
    groups: dict[int, list[Path]] = {}
    for path in files:
        groups.setdefault(_order(path)[0], []).append(path)
    picked = []
    for group, members in sorted(groups.items()):
        members.sort(key=lambda p: _order(p)[1])
        picked.append(members[(group - 1) % len(members)])
    return picked


def _order(path: Path) -> tuple[int, int]:
    match = _NAME.match(path.stem)
    if not match:
        raise ValueError(f"{path}: not a PSPLIB instance name")
    return int(match.group(2)), int(match.group(3))


def run_one(path: Path, *, method: str, time_limit: float, workers: int, seed: int) -> Outcome:
    bounds = read_bounds(path.parent / "bounds.csv")[path.stem]
    problem = read_sm(path)
    if method == "pyjobshop":
        makespan, status, lower, seconds = _pyjobshop(problem, time_limit, workers)
        valid = makespan is not None
    else:
        result = solve(problem, method=method, time_limit=time_limit, workers=workers, seed=seed)
        makespan, status, lower, seconds = result.makespan, str(result.status), result.lower_bound, result.seconds
        valid = is_valid(problem, result)
    return Outcome(
        path.stem, makespan, status, lower, seconds, valid,
        bounds.best_known_upper_bound, bounds.critical_path, bounds.optimal,
    )


def _pyjobshop(problem, time_limit: float, workers: int) -> tuple[int | None, str, int | None, float]:
    """The same instance through PyJobShop's CP-SAT model (benchmark-only dependency)."""
    from pyjobshop import Model

    model = Model()
    pools = {p.id: model.add_renewable(p.capacity, name=p.id) for p in problem.pools}
    tasks = {}
    for task in problem.tasks:
        tasks[task.id] = handle = model.add_task(name=task.id)
        used = [p for p in pools if task.demands.get(p, 0) > 0]
        model.add_mode(handle, [pools[p] for p in used], task.duration, [task.demands[p] for p in used])
    for link in problem.links:
        model.add_end_before_start(tasks[link.predecessor], tasks[link.successor])
    model.set_objective(weight_makespan=1)
    began = time.perf_counter()
    result = model.solve("ortools", time_limit=time_limit, display=False, num_workers=workers)
    seconds = time.perf_counter() - began
    if result.objective == float("inf"):
        return None, "unknown", None, seconds
    status = {"OPTIMAL": "optimal", "FEASIBLE": "feasible"}.get(result.status.name, result.status.name.lower())
    return int(result.objective), status, int(result.lower_bound), seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", default="j30", choices=["j30", "j60", "j90", "j120"])
    parser.add_argument("--sample", default="stratified", choices=["stratified", "all"])
    parser.add_argument("--method", default="heuristic", choices=["heuristic", "optimize", "pyjobshop"])
    parser.add_argument("--time-limit", type=float, default=1.0)
    parser.add_argument("--jobs", type=int, default=2, help="parallel processes")
    parser.add_argument("--workers", type=int, default=None, help="CP-SAT workers per process (default: 2 / jobs)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=None, help="only the first N instances of the sample")
    parser.add_argument("--stride", type=int, default=1, help="only every K-th instance of the sample (a spread subsample)")
    args = parser.parse_args(argv)
    if not (BENCHMARKS / "psplib" / args.set).is_dir():
        console.print(f"[red]No PSPLIB set at {BENCHMARKS / 'psplib' / args.set}")
        return 2
    files = instances(args.set, args.sample)[:: max(1, args.stride)][: args.limit]
    workers = args.workers or max(1, 2 // max(1, args.jobs))
    work = partial(run_one, method=args.method, time_limit=args.time_limit, workers=workers, seed=args.seed)
    title = f"{args.set} {args.sample} · {args.method} · {args.time_limit:g} s · {args.jobs} jobs × {workers} workers"
    console.print(machine_speed())
    outcomes = run_all(work, files, args.jobs, title)
    print_summary(title, outcomes, "best-known")
    print_worst(outcomes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
