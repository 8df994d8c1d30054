"""Use cases of the client portal: the client validates, gives feedback and files change
requests; the PM marks deliverables delivered and triages change requests.

Every decision writes an immutable record (SpecValidation, DeliverableValidation); every use case
runs in one transaction and sends its e-mail only once that transaction is committed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jalon.accounts.models import User
from jalon.engine.calendar import CalendarError
from jalon.engine.model import ProblemError, Status
from jalon.people.models import Skill
from jalon.planning import services as planning
from jalon.planning.mapping import build_problem, organisation_calendar, projects_planned_with, schedule_dates
from jalon.portal import notifications
from jalon.portal.models import ChangeRequest, Decision, DeliverableValidation, Feedback, SpecValidation
from jalon.projects.models import Assignment, Deliverable, Dependency, Phase, Project, Task, TaskSkill
from jalon.specs import services as specs
from jalon.specs.models import SpecVersion

# The heuristic is run twice on accepting a change (without and with it): a fixed number of
# improvement rounds, not a time budget, makes both runs reproducible and so comparable.
CHANGE_PLAN_ITERATIONS = 40
MAX_MESSAGE_LENGTH = 5000


class ChangeRequestError(ValidationError):
    """A triage that the request's state or the plan does not allow; nothing was saved."""


def _required_text(value: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(message, code="required")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            _("Le texte est trop long : %(length)d caractères pour %(max)d au plus.")
            % {"length": len(text), "max": MAX_MESSAGE_LENGTH},
            code="too_long",
        )
    return text


# --------------------------------------------------------------------------- feedback


def feedback_send(*, project: Project, by: User, message: str) -> Feedback:
    """A remark from the client to the PM."""
    text = _required_text(message, _("Écrivez votre message avant de l'envoyer."))
    with transaction.atomic():
        feedback = Feedback.objects.create(project=project, author=by, message=text)
        transaction.on_commit(lambda: notifications.feedback_received(feedback))
    return feedback


# --------------------------------------------------------------------------- validations


def spec_version_client_decide(*, version: SpecVersion, by: User, decision: str, comment: str = "") -> SpecValidation:
    """The client validates (the version is frozen) or rejects (a comment says why) a submitted
    version of the cahier des charges; the decision is recorded for good."""
    decision = Decision(decision)
    with transaction.atomic():
        if decision == Decision.ACCEPTED:
            decided = specs.spec_version_validate(version=version, by=by, comment=comment)
        else:
            decided = specs.spec_version_reject(version=version, by=by, comment=comment)
        record = SpecValidation.objects.create(
            version=decided, decided_by=by, decided_by_name=_display_name(by),
            decided_at=decided.validated_at, decision=decision, comment=decided.validation_comment,
        )
        transaction.on_commit(lambda: notifications.spec_decided(record))
    return record


def deliverable_client_decide(*, deliverable: Deliverable, by: User, decision: str, comment: str = "") -> DeliverableValidation:
    """The client accepts or rejects a delivered deliverable (recette); a rejection says why."""
    decision = Decision(decision)
    comment = (comment or "").strip()
    if decision == Decision.REJECTED and not comment:
        raise ValidationError(_("Dites ce qui ne convient pas : un commentaire est obligatoire pour refuser un livrable."))
    with transaction.atomic():
        stored = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
        if stored.status != Deliverable.Status.DELIVERED:
            raise ValidationError(
                _("Le livrable « %(name)s » n'est pas en attente de recette (statut : « %(status)s ») : "
                  "il n'y a rien à valider.") % {"name": stored.name, "status": stored.get_status_display()},
                code="not_delivered",
            )
        stored.status = Deliverable.Status.ACCEPTED if decision == Decision.ACCEPTED else Deliverable.Status.REJECTED
        stored.save(update_fields=["status"])
        record = DeliverableValidation.objects.create(
            deliverable=stored, decided_by=by, decided_by_name=_display_name(by),
            decided_at=timezone.now(), decision=decision, comment=comment,
        )
        transaction.on_commit(lambda: notifications.deliverable_decided(record))
    deliverable.status = stored.status
    return record


def deliverable_mark_delivered(*, deliverable: Deliverable) -> Deliverable:
    """The PM hands a deliverable over for acceptance (again, after a rejection)."""
    with transaction.atomic():
        stored = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
        if stored.status not in (Deliverable.Status.PLANNED, Deliverable.Status.REJECTED):
            raise ValidationError(
                _("Le livrable « %(name)s » est déjà « %(status)s ».")
                % {"name": stored.name, "status": stored.get_status_display()},
                code="already_delivered",
            )
        stored.status = Deliverable.Status.DELIVERED
        stored.save(update_fields=["status"])
    deliverable.status = stored.status
    return stored


def _display_name(user: User) -> str:
    return user.get_full_name() or user.username


# --------------------------------------------------------------------------- change requests


def change_request_file(*, project: Project, by: User, title: str, description: str) -> ChangeRequest:
    """The client asks for something new; the PM is told and will triage it."""
    title = _required_text(title, _("Donnez un objet à votre demande."))[:200]
    text = _required_text(description, _("Décrivez ce que vous souhaitez changer."))
    with transaction.atomic():
        request = ChangeRequest.objects.create(project=project, requested_by=by, title=title, description=text)
        transaction.on_commit(lambda: notifications.change_request_filed(request))
    return request


@dataclass(frozen=True)
class NewTask:
    """A task that accepting a change request adds to the project."""

    name: str
    effort_days: Decimal
    phase: Phase | None = None
    skills: Sequence[Skill] = field(default_factory=tuple)
    min_level: int = 1
    after: Task | None = None  # finish-to-start predecessor


def change_request_reject(*, change_request: ChangeRequest, by: User, reason: str) -> ChangeRequest:
    reason = _required_text(reason, _("Indiquez le motif du refus : le client le lira."))
    with transaction.atomic():
        stored = _open_request(change_request)
        stored.status, stored.triaged_by, stored.triaged_at = ChangeRequest.Status.REJECTED, by, timezone.now()
        stored.rejection_reason = reason
        stored.save(update_fields=["status", "triaged_by", "triaged_at", "rejection_reason"])
        transaction.on_commit(lambda: notifications.change_request_triaged(stored))
    return stored


def change_request_accept(
    *, change_request: ChangeRequest, by: User, tasks: Sequence[NewTask], iterations: int = CHANGE_PLAN_ITERATIONS
) -> ChangeRequest:
    """Accept: create the tasks, re-plan the project with the heuristic and keep the effect.

    The end date "before" is the heuristic's plan of the project without the new tasks, computed
    but not saved; "after" is the plan saved with them. Same method and search on both sides, so
    the difference is the change's own (a plan optimised earlier would not compare fairly).
    When the new plan cannot be made (a skill nobody has…), nothing is saved and the error says why."""
    if not tasks:
        raise ChangeRequestError(_("Ajoutez au moins une tâche pour accepter la demande."), code="no_task")
    project = change_request.project
    with transaction.atomic():
        stored = _open_request(change_request)
        previous_end = _dry_run_end(project, iterations)
        created = [_create_task(project, new) for new in tasks]
        outcome = planning.project_plan(project=project, by=by, method="heuristic", max_iterations=iterations)
        if not outcome.saved:
            raise ChangeRequestError(
                _("La demande n'a pas été acceptée : le planning avec les nouvelles tâches est impossible. %(reasons)s")
                % {"reasons": " ".join(outcome.reasons)},
                code="plan_failed",
            )
        new_end = project.tasks.aggregate(end=Max("finish"))["end"]
        stored.status, stored.triaged_by, stored.triaged_at = ChangeRequest.Status.ACCEPTED, by, timezone.now()
        stored.previous_end_date, stored.new_end_date = previous_end, new_end
        stored.extra_days = _working_days_late(project, previous_end, new_end)
        stored.extra_effort_days = sum((t.effort_days for t in created), Decimal("0"))
        stored.extra_cost = _tasks_cost(project, created)
        stored.plan_run = outcome.run
        stored.save()
        stored.created_tasks.set(created)
        transaction.on_commit(lambda: notifications.change_request_triaged(stored))
    return stored


def _open_request(change_request: ChangeRequest) -> ChangeRequest:
    """The stored request, locked: two managers cannot triage it twice."""
    stored = ChangeRequest.objects.select_for_update().select_related("project").get(pk=change_request.pk)
    if not stored.is_open:
        raise ChangeRequestError(
            _("La demande « %(title)s » a déjà été traitée (%(status)s).")
            % {"title": stored.title, "status": stored.get_status_display().lower()},
            code="already_triaged",
        )
    return stored


def _create_task(project: Project, new: NewTask) -> Task:
    if new.phase is not None and new.phase.project_id != project.pk:
        raise ChangeRequestError(_("La phase « %(phase)s » appartient à un autre projet.") % {"phase": new.phase})
    if new.after is not None and new.after.project_id != project.pk:
        raise ChangeRequestError(_("La tâche « %(task)s » appartient à un autre projet.") % {"task": new.after})
    order = (project.tasks.filter(phase=new.phase).aggregate(m=Max("order"))["m"] or 0) + 1
    task = Task(project=project, phase=new.phase, name=new.name.strip(), effort_days=new.effort_days, order=order)
    task.full_clean()
    task.save()
    for skill in new.skills:
        need = TaskSkill(task=task, skill=skill, min_level=new.min_level)
        need.full_clean()
        need.save()
    if new.after is not None:
        link = Dependency(predecessor=new.after, successor=task)
        link.full_clean()
        link.save()
    return task


def _dry_run_end(project: Project, iterations: int) -> dt.date | None:
    """The project's end in a heuristic plan of the current data, not saved (None when the
    current data cannot be planned or hold no task)."""
    from jalon.engine.heuristic import schedule_heuristic

    try:
        mapped = build_problem(projects_planned_with(project))
    except (CalendarError, ProblemError):
        return None
    result = schedule_heuristic(mapped.problem, seed=0, time_budget=None, max_iterations=iterations)
    if result.status == Status.INFEASIBLE:
        return None
    ends = [
        schedule_dates(mapped.calendar, placed.start, placed.finish)[1]
        for key, placed in result.tasks.items()
        if mapped.tasks[key].project_id == project.pk
    ]
    return max(ends, default=None)


def _working_days_late(project: Project, before: dt.date | None, after: dt.date | None) -> int | None:
    """Working days the end moved (negative if it moved earlier)."""
    if before is None or after is None:
        return None
    calendar = organisation_calendar(project.organisation, min(before, after))
    return calendar.working_days_between(before, after)


def _tasks_cost(project: Project, tasks: Sequence[Task]) -> Decimal:
    """Effort × the daily rate (TJM) of the people the plan put on each task; for a task
    nobody does, the project's average sold rate (budget ÷ sold days) when known."""
    rates: dict[int, list[Decimal]] = defaultdict(list)
    for task_id, rate in Assignment.objects.filter(task__in=tasks).values_list("task_id", "person__daily_rate"):
        rates[task_id].append(rate)
    fallback = Decimal("0")
    if project.budget_amount and project.sold_days:
        fallback = project.budget_amount / project.sold_days
    total = Decimal("0")
    for task in tasks:
        task_rates = rates.get(task.pk)
        rate = sum(task_rates, Decimal("0")) / len(task_rates) if task_rates else fallback
        total += task.effort_days * rate
    return total.quantize(Decimal("0.01"))
