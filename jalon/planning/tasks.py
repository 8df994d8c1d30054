"""Background tasks of planning (run by `jalon worker`): thin shells around services."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from jalon.planning.services import plan_optimize_run


@task()
def plan_optimize(job_id: int) -> dict[str, Any]:
    """Optimise a project's plan (and its portfolio neighbours') with CP-SAT, reporting progress."""
    return plan_optimize_run(job_id=job_id)
