"""Background tasks of tracking (run by `jalon worker`): thin shells around services."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from jalon.tracking.services import portfolio_report_run, replan_run


@task()
def portfolio_report(job_id: int) -> dict[str, Any]:
    """Build the portfolio report (one line per project), reporting progress project by project."""
    return portfolio_report_run(job_id=job_id)


@task()
def replan(job_id: int) -> dict[str, Any]:
    """Re-plan a project from actuals (with the projects sharing its people), reporting progress."""
    return replan_run(job_id=job_id)
