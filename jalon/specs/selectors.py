"""Read queries for the cahier des charges and its traceability to the breakdown."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from jalon.projects.models import Deliverable, Project, Task
from jalon.specs.models import Requirement, Spec, SpecVersion


def spec_versions(spec: Spec) -> QuerySet[SpecVersion]:
    return spec.versions.select_related("created_by", "validated_by").order_by("-number")


def spec_version_get(spec: Spec, number: int | None) -> SpecVersion:
    """The version of that number, or the latest one; 404 when it does not exist."""
    versions = spec_versions(spec)
    version = versions.filter(number=number).first() if number is not None else versions.first()
    if version is None:
        raise Http404
    return version


def version_requirements(version: SpecVersion) -> QuerySet[Requirement]:
    """The requirements of a version in order, each with its tasks, in two queries."""
    return version.requirements.prefetch_related(
        Prefetch("tasks", queryset=Task.objects.only("pk", "name", "project_id").order_by("order", "pk"))
    ).order_by("order", "code")


@dataclass(frozen=True)
class TraceRow:
    requirement: Requirement
    tasks: list[Task]
    deliverables: list[Deliverable]

    @property
    def covered(self) -> bool:
        return bool(self.tasks)

    @property
    def expected_to_be_covered(self) -> bool:
        # A Won't requirement is excluded from this delivery: no task is expected.
        return self.requirement.priority != Requirement.Priority.WONT


def traceability_rows(project: Project, version: SpecVersion) -> list[TraceRow]:
    """Requirement ↔ tasks ↔ deliverables for one version, in a fixed number of queries.

    A requirement's deliverables are those naming it, plus those produced by its tasks."""
    requirements = list(
        version.requirements.prefetch_related(
            Prefetch("tasks", queryset=Task.objects.filter(project=project).select_related("phase").order_by("order", "pk")),
            Prefetch("deliverables", queryset=Deliverable.objects.filter(project=project)),
        ).order_by("order", "code")
    )
    by_task: dict[int, list[Deliverable]] = {}
    for deliverable in Deliverable.objects.filter(project=project, task__isnull=False).order_by("name"):
        by_task.setdefault(deliverable.task_id, []).append(deliverable)
    rows = []
    for requirement in requirements:
        tasks = list(requirement.tasks.all())
        found = {d.pk: d for d in requirement.deliverables.all()}
        for task in tasks:
            found.update({d.pk: d for d in by_task.get(task.pk, [])})
        rows.append(TraceRow(requirement, tasks, sorted(found.values(), key=lambda d: d.name)))
    return rows
