"""`jalon plan CODE [--optimize] [--time-limit S]`: plan a project from the command line with
the same service as the Planifier and Optimiser buttons, and save the dates it finds.

The optimisation runs in this process (no worker needed) behind a progress bar; one sentence on
stderr and a non-zero exit code when something goes wrong. Django is set up only when it runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from jalon.cli_common import find_project

EXIT_REFUSED = 1  # bad input: unknown project, bad time limit
EXIT_NOT_SAVED = 2  # the planner ran but saved nothing (cycle, missing skill, infeasible...)


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    summary = "plan a project and save its dates (CP-SAT with --optimize)"
    parser = sub.add_parser("plan", help=summary, description=(
        "Plan the project with this code, together with the projects sharing its people, and save "
        "the dates. The heuristic answers at once; --optimize runs the CP-SAT optimiser, started "
        "from the heuristic's plan, for --time-limit seconds."))
    parser.add_argument("code", metavar="CODE", help="the project's code, e.g. DUR-ECOM")
    parser.add_argument("--optimize", action="store_true", help="optimise with CP-SAT instead of the heuristic")
    parser.add_argument("--time-limit", type=float, metavar="S", default=None,
                        help="seconds the optimiser may search (default: 10 with --optimize, 1 otherwise)")
    parser.add_argument("--organisation", metavar="NAME",
                        help="the organisation, when several have a project with this code")
    parser.set_defaults(handler=cmd_plan)


def _fail(message: str, code: int = EXIT_REFUSED) -> int:
    print(f"jalon: {message}", file=sys.stderr)
    return code


def _check_time_limit(args: argparse.Namespace) -> float | None:
    from jalon.planning.services import MAX_OPTIMIZE_SECONDS, OPTIMIZE_LIMITS

    limit = args.time_limit
    if limit is None:
        return float(OPTIMIZE_LIMITS[0]) if args.optimize else None
    if not 0 < limit <= MAX_OPTIMIZE_SECONDS:
        raise ValueError(f"--time-limit must be more than 0 and at most {MAX_OPTIMIZE_SECONDS} seconds, not {limit:g}")
    return float(limit)


def _run(project: Any, method: str, limit: float | None) -> Any:
    """The planning service behind a progress bar (a spinner for the instant heuristic)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from jalon.planning.services import project_plan

    label = f"{'Optimising' if method == 'optimize' else 'Planning'} {project.code}"
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task(label, total=limit if method == "optimize" else None)
        report: Callable[[float, float], None] = lambda elapsed, total: bar.update(task, completed=elapsed)  # noqa: E731
        return project_plan(project=project, by=None, method=method, time_limit=limit, progress=report)


def _print_outcome(project: Any, outcome: Any) -> None:
    run = outcome.run
    finish = run.finish_date.strftime("%d/%m/%Y") if run.finish_date else "—"
    print(f"{project.code}: plan saved, {run.task_count} tasks, finishing {finish} "
          f"({run.makespan_days} working days, {run.lateness_days or 0} days late in total, {run.seconds:.1f} s).")
    others = [p.code or p.name for p in outcome.projects if p.pk != project.pk]
    if others:
        print(f"Planned together (shared people or links): {', '.join(others)}.")
    for reason in outcome.reasons:
        print(f"  - {reason}")


def cmd_plan(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
    import django

    django.setup()
    try:
        limit = _check_time_limit(args)
        project = find_project(args.code, args.organisation)
    except (LookupError, ValueError) as error:
        return _fail(str(error))
    outcome = _run(project, "optimize" if args.optimize else "heuristic", limit)
    if not outcome.saved:
        print(f"jalon: nothing was saved for {project.code} ({outcome.run.get_outcome_display()}):", file=sys.stderr)
        for reason in outcome.reasons:
            print(f"  - {reason}", file=sys.stderr)
        return EXIT_NOT_SAVED
    _print_outcome(project, outcome)
    return 0
