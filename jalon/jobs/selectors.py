from __future__ import annotations

from jalon.jobs.models import JobProgress
from jalon.projects.models import Project


def latest_job(project: Project, kind: str) -> JobProgress | None:
    """The most recent job of this kind on the project, whatever its state."""
    return JobProgress.objects.filter(project=project, kind=kind).order_by("-created_at", "-pk").first()
