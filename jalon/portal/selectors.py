"""Read queries of the portal: what a client sees of a project, the change-request inbox and
the PM's view of the client's decisions. Nothing here returns a rate, a cost or a budget to
the client pages: they are simply not selected."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalon.portal.models import ChangeRequest, DeliverableValidation, Feedback, SpecValidation
from jalon.projects.models import Deliverable, Project, Task
from jalon.projects.permissions import AnyUser
from jalon.projects.selectors import projects_visible_to
from jalon.specs.models import SpecVersion
from jalon.specs.permissions import CLIENT_READABLE_STATUSES
from jalon.tracking.models import StatusReport
from jalon.tracking.selectors import published_reports_for

# What the client reads of the cahier des charges: never the PM's drafts (the rule of
# jalon.specs.permissions, the same on the agency's spec pages and in the API).
CLIENT_SPEC_STATUSES = CLIENT_READABLE_STATUSES


def client_projects(user: AnyUser) -> QuerySet[Project]:
    """The client's projects with what awaits their decision, for the portal's home page."""
    return (
        projects_visible_to(user)
        .filter(client__isnull=False)
        .select_related("client", "manager")
        .annotate(
            versions_to_decide=Count(
                "spec__versions", filter=Q(spec__versions__status=SpecVersion.Status.SUBMITTED), distinct=True
            ),
            deliverables_to_decide=Count(
                "deliverables", filter=Q(deliverables__status=Deliverable.Status.DELIVERED), distinct=True
            ),
        )
        .order_by("name")
    )


def client_spec_versions(project: Project) -> QuerySet[SpecVersion]:
    return SpecVersion.objects.filter(spec__project=project, status__in=CLIENT_SPEC_STATUSES).order_by("-number")


def client_spec_version(project: Project, number: int) -> SpecVersion | None:
    return client_spec_versions(project).select_related("validated_by").filter(number=number).first()


def project_milestones(project: Project) -> list[Task]:
    return list(project.tasks.filter(is_milestone=True).order_by("finish", "deadline", "order", "pk"))


def project_deliverables(project: Project) -> QuerySet[Deliverable]:
    return project.deliverables.select_related("task").order_by("due_date", "name")


def published_status_reports(project: Project) -> QuerySet[StatusReport]:
    """The project's published status reports (météo projet), newest first: the ones its
    client may read (tracking owns the rule)."""
    return published_reports_for(project)


def project_change_requests(project: Project, *, status: str | None = None) -> QuerySet[ChangeRequest]:
    requests = ChangeRequest.objects.filter(project=project).select_related("requested_by", "triaged_by")
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("-created_at", "-pk")


def change_request_get(project: Project, pk: int) -> ChangeRequest | None:
    """A request of this project only: another project's id finds nothing (404 in the views)."""
    return (
        project_change_requests(project)
        .select_related("plan_run")
        .prefetch_related("created_tasks__phase", "created_tasks__skills__skill")
        .filter(pk=pk)
        .first()
    )


def change_request_counts(project: Project) -> dict[str, int]:
    rows = ChangeRequest.objects.filter(project=project).values_list("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in ChangeRequest.Status.values}
    counts.update({status: n for status, n in rows})
    return counts


def project_feedback(project: Project) -> QuerySet[Feedback]:
    return Feedback.objects.filter(project=project).select_related("author").order_by("-created_at", "-pk")


def project_decisions(project: Project) -> list[SpecValidation | DeliverableValidation]:
    """Every recorded decision of the client on the project, newest first."""
    specs = SpecValidation.objects.filter(version__spec__project=project).select_related("version")
    deliverables = DeliverableValidation.objects.filter(deliverable__project=project).select_related("deliverable")
    return sorted([*specs, *deliverables], key=lambda record: record.decided_at, reverse=True)


# --------------------------------------------------------------------------- history


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the history page: who did what to which object, and when."""

    when: dt.datetime
    who: str
    kind: str  # a key of HISTORY_KINDS
    object_type: str
    object_label: str
    action: str
    changes: tuple[FieldChange, ...] = ()


HISTORY_KINDS: dict[str, Any] = {
    "spec": gettext_lazy("Cahier des charges"),
    "plan": gettext_lazy("Planning"),
    "project": gettext_lazy("Projet et budget"),
    "validation": gettext_lazy("Validations"),
    "change": gettext_lazy("Demandes de changement"),
}
ACTIONS = {"+": gettext_lazy("Création"), "~": gettext_lazy("Modification"), "-": gettext_lazy("Suppression")}
HISTORY_SKIP = {"id", "created_at", "updated_at"}
TEXT_PREVIEW = 140


def project_history(project: Project, *, kind: str | None = None) -> list[HistoryEntry]:
    """Every recorded change of the project's specs, plan, budget, validations and change
    requests (or of one `kind`), newest first. Diffs are made in memory from consecutive
    historical rows of each object: one query per tracked model, whatever the history's length."""
    if kind is not None and kind not in HISTORY_KINDS:
        raise ValueError(f"unknown history kind {kind!r}: choose among {', '.join(HISTORY_KINDS)}")
    labels = _Labels()
    entries: list[HistoryEntry] = []
    for source_kind, rows in _history_sources(project):
        if kind in (None, source_kind):
            entries.extend(_entries(source_kind, rows(), labels))
    if kind in (None, "plan"):
        entries.extend(_plan_run_entries(project))
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def _history_sources(project: Project) -> list[tuple[str, Any]]:
    """(kind, a function returning the historical rows) for each tracked model, lazily."""
    from jalon.specs.models import Requirement, Spec

    def versions() -> QuerySet[Any]:
        spec_ids = Spec.history.filter(project_id=project.pk).values("id")
        return SpecVersion.history.filter(spec_id__in=spec_ids)

    def version_ids() -> QuerySet[Any]:
        return versions().values("id")

    return [
        ("project", lambda: Project.history.filter(id=project.pk)),
        ("plan", lambda: Task.history.filter(project_id=project.pk)),
        ("spec", lambda: Spec.history.filter(project_id=project.pk)),
        ("spec", versions),
        ("spec", lambda: Requirement.history.filter(version_id__in=version_ids())),
        ("validation", lambda: SpecValidation.history.filter(version_id__in=version_ids())),
        ("validation", lambda: DeliverableValidation.history.filter(
            deliverable_id__in=Deliverable.objects.filter(project=project).values("pk"))),
        ("change", lambda: ChangeRequest.history.filter(project_id=project.pk)),
    ]


def _entries(kind: str, rows: QuerySet[Any], labels: _Labels) -> list[HistoryEntry]:
    model = rows.model.instance_type
    fields = [f for f in model._meta.concrete_fields if f.name not in HISTORY_SKIP and hasattr(rows.model, f.attname)]
    previous: dict[int, Any] = {}
    entries = []
    for row in rows.select_related("history_user").order_by("id", "history_date", "history_id"):
        before = previous.get(row.id)
        previous[row.id] = row
        changes = _changes(fields, before, row, labels) if row.history_type == "~" and before is not None else ()
        if row.history_type == "~" and before is not None and not changes:
            continue  # saved without a visible change
        entries.append(HistoryEntry(
            when=row.history_date,
            who=_user_name(row.history_user),
            kind=kind,
            object_type=str(model._meta.verbose_name),
            object_label=labels.of_row(model, row),
            action=str(ACTIONS.get(row.history_type, row.history_type)),
            changes=changes,
        ))
    return entries


def _changes(fields: list[Any], before: Any, after: Any, labels: _Labels) -> tuple[FieldChange, ...]:
    changes = []
    for field in fields:
        old, new = getattr(before, field.attname), getattr(after, field.attname)
        if old != new:
            changes.append(FieldChange(
                str(field.verbose_name), labels.value(field, old, new), labels.value(field, new, old)
            ))
    return tuple(changes)


def _user_name(user: Any) -> str:
    if user is None:
        return str(_("Jalon (automatique)"))
    return user.get_full_name() or user.username


def _plan_run_entries(project: Project) -> list[HistoryEntry]:
    """The planner writes dates in bulk: each run is one line, with the end date it produced."""
    from jalon.planning.models import PlanRun

    runs = PlanRun.objects.filter(Q(project=project) | Q(projects=project)).distinct().select_related("created_by")
    entries = []
    for run in runs.order_by("created_at"):
        changes = ()
        if run.finish_date is not None:
            changes = (FieldChange(str(_("Fin du planning")), "", formats.date_format(run.finish_date, "SHORT_DATE_FORMAT")),)
        entries.append(HistoryEntry(
            when=run.created_at, who=_user_name(run.created_by), kind="plan",
            object_type=str(PlanRun._meta.verbose_name), object_label=run.get_method_display(),
            action=run.get_outcome_display(), changes=changes,
        ))
    return entries


class _Labels:
    """Readable values for the history: choice labels, related objects' names (looked up once
    per object), dates in the user's format, long texts shortened."""

    def __init__(self) -> None:
        self._related: dict[tuple[type, Any], str] = {}

    def related(self, model: type, pk: Any) -> str:
        key = (model, pk)
        if key not in self._related:
            obj = model._base_manager.filter(pk=pk).first()
            self._related[key] = str(obj) if obj is not None else f"#{pk}"
        return self._related[key]

    def value(self, field: Any, value: Any, other: Any = None) -> str:
        if value is None or value == "":
            return "—"
        if field.is_relation:
            return self.related(field.related_model, value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("oui") if value else _("non"))
        if isinstance(value, dt.datetime):
            return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        if isinstance(value, dt.date):
            return formats.date_format(value, "SHORT_DATE_FORMAT")
        if isinstance(value, (list, dict)):
            return _("%(count)d élément(s)") % {"count": len(value)} if len(value) != len(other or []) \
                else str(_("contenu modifié"))
        if isinstance(value, Decimal):
            return formats.number_format(value.normalize() if value == value.to_integral() else value)
        return Truncator(str(value)).chars(TEXT_PREVIEW)

    def of_row(self, model: type, row: Any) -> str:
        """The object's name as it was in this row (the object may be deleted since)."""
        from jalon.specs.models import Requirement, Spec

        if model is SpecVersion:
            return _("Version %(number)s") % {"number": row.number}
        if model is Requirement:
            return f"{row.code} — {row.title}"
        if model is Spec:
            return str(_("Cahier des charges"))
        if model is SpecValidation:
            return self.related(SpecVersion, row.version_id)
        if model is DeliverableValidation:
            return self.related(Deliverable, row.deliverable_id)
        return str(getattr(row, "name", None) or getattr(row, "title", None) or f"#{row.id}")
