"""Shared plumbing of the benchmark scripts: run instances in parallel processes with a rich
progress bar, then print one summary table. Figures only; nothing here asserts."""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

SHARED = Path(os.environ.get("JALON_SHARED", Path(__file__).resolve().parents[2] / "shared"))
BENCHMARKS = SHARED / "benchmarks"

console = Console()


@dataclass(frozen=True)
class Outcome:
    """What one run on one instance gave."""

    instance: str
    makespan: int | None
    status: str
    lower_bound: int | None  # the bound the method proved (None for the peer solver when unknown)
    seconds: float
    valid: bool
    reference: int | None  # best-known upper bound, or the lower bound of bounds.csv
    critical_path: int | None
    reference_optimal: bool


def machine_speed() -> str:
    """A yardstick for comparing figures across machines: the CPU time of a plain CPython loop
    of ten million additions (about 0.4 s on a recent desktop core)."""
    import time

    began = time.process_time()
    total = 0
    for k in range(10_000_000):
        total += k
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"machine: 10M-addition CPython loop {time.process_time() - began:.2f} s CPU, load {load:.1f}"


def load_solvers() -> None:
    """Each worker process loads the compiled heuristic (numba, ~1 s of CPU from its cache)
    before its first instance, as it imports OR-Tools: a library's loading is not part of any
    instance's time limit. `jalon solve` in a fresh process pays it once (docs/benchmarks.md)."""
    from jalon.engine.heuristic import load_compiled_kernels

    load_compiled_kernels()


def run_all(work: Callable[[object], Outcome], items: Sequence[object], jobs: int, title: str) -> list[Outcome]:
    """Run `work` on every item in `jobs` processes; results in the items' order."""
    results: dict[int, Outcome] = {}
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        bar = progress.add_task(title, total=len(items))
        if jobs <= 1:
            load_solvers()
            for k, item in enumerate(items):
                results[k] = work(item)
                progress.advance(bar)
        else:
            with ProcessPoolExecutor(max_workers=jobs, initializer=load_solvers) as pool:
                futures = {pool.submit(work, item): k for k, item in enumerate(items)}
                for future in as_completed(futures):
                    results[futures[future]] = future.result()
                    progress.advance(bar)
    return [results[k] for k in range(len(items))]


def gap(value: int | None, reference: int | None) -> float | None:
    if value is None or not reference:
        return None
    return (value - reference) / reference


def mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.fmean(known) if known else None


def percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.2f} %"


def summary_rows(outcomes: Sequence[Outcome], reference_name: str) -> list[tuple[str, str]]:
    """The figures of one set, as (label, value) rows."""
    solved = [o for o in outcomes if o.makespan is not None]
    rows = [
        ("instances", f"{len(outcomes)} ({len(outcomes) - len(solved)} without a schedule)"),
        ("invalid schedules", str(sum(not o.valid for o in solved))),
        (f"mean gap to {reference_name}", percent(mean([gap(o.makespan, o.reference) for o in solved]))),
        ("mean gap to CPM", percent(mean([gap(o.makespan, o.critical_path) for o in solved]))),
        (f"share at {reference_name}", percent(mean([float(o.makespan <= (o.reference or 0)) for o in solved]))),
        ("share proven optimal", percent(mean([float(o.status == "optimal") for o in outcomes]))),
        ("mean seconds", f"{mean([o.seconds for o in outcomes]) or 0:.2f}"),
        ("max seconds", f"{max((o.seconds for o in outcomes), default=0):.2f}"),
    ]
    return rows


def print_summary(title: str, outcomes: Sequence[Outcome], reference_name: str) -> None:
    table = Table(title=title)
    table.add_column("figure")
    table.add_column("value", justify="right")
    for label, value in summary_rows(outcomes, reference_name):
        table.add_row(label, value)
    console.print(table)


def print_worst(outcomes: Sequence[Outcome], count: int = 5) -> None:
    """The instances furthest from the reference, to see where the method struggles."""
    ranked = sorted((o for o in outcomes if o.makespan is not None), key=lambda o: -(gap(o.makespan, o.reference) or 0))
    for o in ranked[:count]:
        console.print(f"  {o.instance}: {o.makespan} vs {o.reference} ({percent(gap(o.makespan, o.reference))}), {o.status}, {o.seconds:.2f} s")
    open_ones = [o.instance for o in outcomes if o.status != "optimal"]
    if open_ones and len(open_ones) <= 4 * count:
        console.print(f"  not proven optimal: {', '.join(open_ones)}")
