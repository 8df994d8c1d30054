"""Background tasks (Django's task API, run by `jalon worker`). Each is a thin shell around
a service, so the work itself can be tested and called without a worker."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from jalon.jobs.services import plan_check_run


@task()
def plan_check(job_id: int) -> dict[str, Any]:
    """Check a project's plan: dependency cycles, makespan and critical path."""
    return plan_check_run(job_id=job_id)
