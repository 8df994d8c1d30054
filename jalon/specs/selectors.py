"""Read queries for the cahier des charges and its traceability to the breakdown."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from jalon.projects.models import Deliverable, Project, Task
from jalon.projects.permissions import AnyUser
from jalon.specs.models import Requirement, Spec, SpecVersion
from jalon.specs.permissions import CLIENT_READABLE_STATUSES, reads_spec_drafts


def spec_versions(spec: Spec) -> QuerySet[SpecVersion]:
    """Every version, drafts included: for the agency's own work (editing, submitting)."""
    return spec.versions.select_related("created_by", "validated_by").order_by("-number")


def readable_spec_versions(user: AnyUser, versions: QuerySet[SpecVersion]) -> QuerySet[SpecVersion]:
    """The versions among `versions` that the user may read: the single rule of
    jalon.specs.permissions.can_read_spec_version, as a filter (a client never gets a draft)."""
    return versions if reads_spec_drafts(user) else versions.filter(status__in=CLIENT_READABLE_STATUSES)


def spec_versions_visible_to(user: AnyUser, spec: Spec) -> QuerySet[SpecVersion]:
    """The versions the user may read, latest first."""
    return readable_spec_versions(user, spec_versions(spec))


def spec_version_get(spec: Spec, number: int | None, *, reader: AnyUser | None = None) -> SpecVersion:
    """The version of that number, or the latest one; 404 when it does not exist. With a
    `reader`, only among the versions they may read: a client asking for a draft gets a 404,
    and by default the latest version put before them."""
    versions = spec_versions(spec) if reader is None else spec_versions_visible_to(reader, spec)
    version = versions.filter(number=number).first() if number is not None else versions.first()
    if version is None:
        raise Http404
    return version


def latest_spec_version_for(user: AnyUser, project: Project) -> SpecVersion | None:
    """The project's latest version that the user may read (the agency's: the latest one)."""
    versions = SpecVersion.objects.filter(spec__project=project).order_by("-number")
    return readable_spec_versions(user, versions).first()


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
