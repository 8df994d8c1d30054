"""Time the critical path method on random layered networks, and the validator's pool sweep.

Prints the median CPU milliseconds per size for `critical_path` alone, with the conversion of
every task's early dates to calendar dates (what a Gantt needs), and with its missed deadlines
explained (their driving chains in words, worked out on first use). Targets: 10,000 tasks / 20,000
links <= 50 ms; 100,000 tasks / 200,000 links <= 500 ms. `--phases` adds the median of each
phase of `critical_path` (indexing, forward pass, backward pass, result), for tuning.

    .venv/bin/python benchmarks/cpm_bench.py [--repeat 7] [--phases]
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from collections.abc import Callable
from datetime import date

from common import machine_speed

from jalon.engine.calendar import WorkCalendar
from jalon.engine.cpm import _Network, critical_path
from jalon.engine.model import Link, LinkType, Pool, Problem, Task, TaskSchedule
from jalon.engine.validate import validate

LINK_TYPES = [LinkType.FS] * 7 + [LinkType.SS, LinkType.FF, LinkType.SF]


def layered_network(tasks: int, links: int, layers: int = 60, seed: int = 1) -> Problem:
    """Tasks spread over layers; each link goes from a layer to a later one, mostly the next.

    Layers are dealt at random over the task list, so its order is not a topological one, while
    the objects are still created in list order, as an application loading its rows would.
    """
    rng = random.Random(seed)
    per_layer = max(1, tasks // layers)
    layer_of = [min(k // per_layer, layers - 1) for k in range(tasks)]
    rng.shuffle(layer_of)
    members: list[list[int]] = [[] for _ in range(layers)]
    for k, layer in enumerate(layer_of):
        members[layer].append(k)
    built = [
        Task(
            f"T{k}",
            0 if rng.random() < 0.05 else rng.randint(1, 10),
            earliest_start=rng.randint(0, 30) if rng.random() < 0.05 else None,
            deadline=rng.randint(50, 400) if rng.random() < 0.02 else None,
        )
        for k in range(tasks)
    ]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < links:
        a = rng.randrange(tasks)
        if layer_of[a] == layers - 1:
            continue
        to_layer = min(layers - 1, layer_of[a] + (1 if rng.random() < 0.8 else rng.randint(1, 5)))
        pairs.add((a, rng.choice(members[to_layer])))
    edges = [Link(f"T{a}", f"T{b}", rng.choice(LINK_TYPES), rng.randint(-2, 5)) for a, b in sorted(pairs)]
    return Problem(built, edges, name=f"layered-{tasks}")


def median_ms(action: Callable[[], object], repeat: int) -> float:
    """Median CPU milliseconds of the process: on a shared machine, wall time also counts the
    time other processes hold the cores."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        action()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def cpm_with_dates(problem: Problem, calendar: WorkCalendar) -> tuple[list[date], list[date]]:
    """First and last working day of every task, as a Gantt chart shows them."""
    first_days, last_days = critical_path(problem).span_indices()
    return calendar.dates_of(first_days), calendar.dates_of(last_days)


def phase_ms(problem: Problem, repeat: int) -> str:
    """Median CPU milliseconds of each phase of `critical_path` (its private steps, in order;
    the collector held as `critical_path` holds it), and how the passes went."""
    times: dict[str, list[float]] = {"index": [], "forward": [], "backward": [], "result": []}
    for _ in range(repeat):
        gc.disable()
        try:
            start = time.process_time()
            net = _Network(problem, 0)
            indexed = time.process_time()
            order, early = net.forward()
            forward = time.process_time()
            makespan = int((early + net.duration).max())
            late = net.backward(makespan)
            backward = time.process_time()
            net.result(order, early, late, makespan)
            done = time.process_time()
        finally:
            gc.enable()
        spans = (indexed - start, forward - indexed, backward - forward, done - backward)
        for phase, spent in zip(times, spans, strict=True):
            times[phase].append(spent * 1000)
    phases = ", ".join(f"{phase} {statistics.median(spent):.1f}" for phase, spent in times.items())
    return f"{phases} ms median ({len(net.levels)} levels by numpy, {len(net.tail)} tasks by the Python loop)"


def pool_schedule(tasks: int, seed: int = 2) -> tuple[Problem, dict[str, TaskSchedule]]:
    rng = random.Random(seed)
    built = [Task(f"P{k}", rng.randint(1, 10), demands={"R1": rng.randint(1, 4), "R2": rng.randint(0, 3)}) for k in range(tasks)]
    schedule = {}
    for task in built:
        start = rng.randint(0, tasks // 2)
        schedule[task.id] = TaskSchedule(task.id, start, start + task.duration)
    return Problem(built, pools=[Pool("R1", 10), Pool("R2", 8)]), schedule


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--phases", action="store_true", help="also time each phase of critical_path")
    args = parser.parse_args()
    print(machine_speed())
    calendar = WorkCalendar(date(2026, 1, 5), subdivision="57")
    for tasks, links in ((10_000, 20_000), (100_000, 200_000)):
        problem = layered_network(tasks, links)
        repeat = args.repeat if tasks <= 10_000 else max(3, args.repeat // 2)
        cpm_ms = median_ms(lambda: critical_path(problem), repeat)
        dated_ms = median_ms(lambda: cpm_with_dates(problem, calendar), repeat)
        explained_ms = median_ms(lambda: critical_path(problem).reasons, repeat)
        cpm = critical_path(problem)
        print(f"cpm {tasks:>7,} tasks {links:>7,} links: {cpm_ms:7.1f} ms median, {dated_ms:7.1f} ms with dates "
              f"(makespan {cpm.makespan}); {explained_ms:7.1f} ms with its {len(cpm.deadline_misses):,} missed deadlines explained")
        if args.phases:
            print(f"    phases: {phase_ms(problem, repeat)}")
    problem, schedule = pool_schedule(1_000)
    print(f"validate 1,000 pool tasks: {median_ms(lambda: validate(problem, schedule), args.repeat):7.1f} ms median")


if __name__ == "__main__":
    main()
