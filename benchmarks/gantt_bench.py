"""How long the SVG Gantt takes to render for a large plan: prints the median of several runs.

    .venv/bin/python benchmarks/gantt_bench.py [--rows 1000] [--links 1500] [--runs 7] [--zoom week]

The plan is synthetic but shaped like a real one: phases of ~20 tasks with milestones, bars of
1–15 working days, a third of them critical, baselines, assignees, and dependencies of the four
types (mostly finish-to-start) between nearby rows. Figures only; nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")

import django  # noqa: E402

django.setup()

from jalon.reports.gantt import GanttChart, GanttLink, GanttRow, render_gantt_svg  # noqa: E402

NAMES = ["Mona Graphiste", "Paul Martin", "Léo Développeur", "Inès Intégratrice", "Zoé Rédactrice"]


def synthetic_chart(rows: int, links: int, zoom: str, seed: int = 7) -> GanttChart:
    rng = random.Random(seed)
    origin = date(2030, 1, 7)
    out: list[GanttRow] = []
    day = 0
    for i in range(rows):
        if i % 21 == 0:
            out.append(GanttRow(f"P{i}", f"Lot {i // 21 + 1} — conception & réalisation", "phase", 0,
                                origin + timedelta(days=day), origin + timedelta(days=day + 30)))
            continue
        start = origin + timedelta(days=day + rng.randint(0, 20))
        if i % 10 == 0:
            out.append(GanttRow(i, f"Jalon {i}", "milestone", 1, start, critical=rng.random() < 0.3))
            continue
        length = rng.randint(1, 15)
        out.append(GanttRow(
            i, f"Tâche {i} : intégration des gabarits", "task", 1, start, start + timedelta(days=length),
            critical=rng.random() < 0.3, progress=rng.choice([None, 0, 25, 50, 100]),
            assignees=rng.sample(NAMES, rng.randint(0, 2)),
            baseline_start=start - timedelta(days=2), baseline_finish=start + timedelta(days=length - 1),
            late=rng.random() < 0.1, url=f"/projets/1/taches/{i}/modifier/",
        ))
        day += rng.randint(0, 2)
    ids = [r.id for r in out]
    edges: set[tuple[object, object]] = set()
    while len(edges) < links:
        a = rng.randrange(len(ids) - 1)
        b = min(a + rng.randint(1, 8), len(ids) - 1)
        edges.add((ids[a], ids[b]))
    types = ["FS"] * 7 + ["SS", "FF", "SF"]
    return GanttChart(out, [GanttLink(a, b, rng.choice(types)) for a, b in sorted(edges, key=str)],
                      today=origin + timedelta(days=60), zoom=zoom, title="Benchmark")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--links", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--zoom", choices=["day", "week", "month"], default="week")
    args = parser.parse_args()
    chart = synthetic_chart(args.rows, args.links, args.zoom)
    render_gantt_svg(chart)  # warm the template cache, as a running server would have it
    times = []
    for _ in range(args.runs):
        began = time.perf_counter()
        svg = render_gantt_svg(chart)
        times.append(time.perf_counter() - began)
    print(f"gantt svg: {len(chart.rows)} rows, {len(chart.links)} links, zoom {args.zoom}: "
          f"median {statistics.median(times) * 1000:.1f} ms over {args.runs} runs "
          f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}), {len(svg) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
