"""Tracking use cases: log time, lock weeks, re-plan from actuals, quotes, risks and status
reports. Each service owns its transaction and refuses bad input with a French message that
names the culprit (the task, the day, the quote)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from jalon.accounts.models import Organisation, User
from jalon.jobs.models import JobProgress
from jalon.jobs.services import job_report_progress
from jalon.people.models import Person
from jalon.planning.mapping import projects_planned_with
from jalon.planning.models import PlanRun
from jalon.planning.services import PlanOutcome, project_plan
from jalon.projects.models import Phase, Project, Task
from jalon.reports.typography import format_date, format_number
from jalon.tracking import selectors
from jalon.tracking.models import (
    QUARTER,
    Quote,
    QuoteCounter,
    QuoteLine,
    Risk,
    StatusReport,
    TimeEntry,
    TimesheetLock,
    iso_week_monday,
    money,
)

ZERO = Decimal("0")
HUNDRED = Decimal("100")
DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
PORTFOLIO_KIND = JobProgress.Kind.PORTFOLIO_REPORT
QUOTE_VALIDITY_DAYS = 30
DEFAULT_PAYMENT_TERMS = gettext_noop(
    "Acompte de 30 % à la commande, 40 % à la validation des maquettes, solde de 30 % à la mise en ligne. "
    "Paiement à 30 jours à réception de facture, par virement."
)


def _day_label(day: dt.date) -> str:
    return f"{DAY_NAMES[day.weekday()]} {format_date(day)}"


# --------------------------------------------------------------------------- timesheets


def parse_days(raw: str, where: str) -> Decimal | None:
    """A grid cell: empty -> None; else days in 0.25 steps ("0,5" and "0.5" both read)."""
    text = (raw or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("%(where)s : « %(raw)s » n'est pas un nombre de jours.") % {"where": where, "raw": raw}) from None
    if value < 0:
        raise ValidationError(_("%(where)s : le temps ne peut pas être négatif.") % {"where": where})
    if value % QUARTER:
        raise ValidationError(_("%(where)s : saisissez des quarts de journée (0,25 ; 0,5 ; 0,75 ; 1), pas %(raw)s.") % {
            "where": where, "raw": raw})
    return value or None


def timesheet_save(
    *,
    person: Person,
    year: int,
    week: int,
    cells: dict[tuple[int, dt.date], Decimal | None],
    remaining: dict[int, Decimal | None],
    by: User | None,
) -> None:
    """Replace the person's time for the week by `cells` ((task pk, day) -> days, None to
    clear) and record the remaining work of the tasks in `remaining`. All or nothing.

    Refused: a locked week, a day outside the week, a task the person is not on, more than one
    day of work on one day (all projects together)."""
    monday = iso_week_monday(year, week)
    days = {monday + dt.timedelta(days=k) for k in range(7)}
    with transaction.atomic():
        if selectors.week_locked(person, year, week):
            raise ValidationError(_("La semaine S%(week)02d %(year)d est verrouillée : les temps ne peuvent plus être modifiés.") % {
                "week": week, "year": year})
        allowed = {t.pk: t for t in selectors.timesheet_tasks(person, sorted(days))}
        for task_id, day in cells:
            if day not in days:
                raise ValidationError(_("Le %(day)s n'est pas dans la semaine S%(week)02d.") % {"day": format_date(day), "week": week})
            if task_id not in allowed:
                raise ValidationError(_("%(person)s n'est pas affecté(e) à la tâche n° %(task)s.") % {"person": person.full_name, "task": task_id})
        for task_id in remaining:
            if task_id not in allowed:
                raise ValidationError(_("%(person)s n'est pas affecté(e) à la tâche n° %(task)s.") % {"person": person.full_name, "task": task_id})
        _check_capacity(person, cells, days)
        _write_cells(person, cells)
        _write_remaining(allowed, remaining)


def _check_capacity(person: Person, cells: dict[tuple[int, dt.date], Decimal | None], days: set[dt.date]) -> None:
    """At most one day of work per day: this week's other entries count too."""
    totals: dict[dt.date, Decimal] = defaultdict(Decimal)
    for (task_id, day), value in cells.items():
        totals[day] += value or ZERO
    for task_id, day, value in TimeEntry.objects.filter(person=person, date__in=days).values_list("task_id", "date", "days"):
        if (task_id, day) not in cells:
            totals[day] += value
    errors = [
        _("%(day)s : %(total)s j saisis pour %(person)s, une journée compte au plus 1 j.") % {
            "day": _day_label(day).capitalize(), "total": format_number(total, 2, trim=True), "person": person.full_name}
        for day, total in sorted(totals.items()) if total > 1
    ]
    if errors:
        raise ValidationError(errors)


def _write_cells(person: Person, cells: dict[tuple[int, dt.date], Decimal | None]) -> None:
    existing = {(e.task_id, e.date): e for e in TimeEntry.objects.select_for_update().filter(
        person=person, task_id__in={t for t, _ in cells}, date__in={d for _, d in cells})}
    for key, value in cells.items():
        entry = existing.get(key)
        if value is None:
            if entry is not None:
                entry.delete()
        elif entry is None:
            TimeEntry.objects.create(person=person, task_id=key[0], date=key[1], days=value)
        elif entry.days != value:
            entry.days = value
            entry.save(update_fields=["days", "updated_at"])


def _write_remaining(tasks: dict[int, Task], remaining: dict[int, Decimal | None]) -> None:
    """The team's reste à faire; progress follows it (logged / (logged + remaining)), and the
    task's version moves so a planner working on old figures sees them changed."""
    changed = {pk: value for pk, value in remaining.items() if value != tasks[pk].remaining_days}
    if not changed:
        return
    logged = selectors.logged_days(changed)
    for pk, value in changed.items():
        task = tasks[pk]
        done = logged.get(pk, ZERO)
        progress = None if value is None else (HUNDRED if value == 0 else (HUNDRED * done / (done + value)).quantize(Decimal("0.01")))
        Task.objects.filter(pk=pk).update(remaining_days=value, progress=progress, version=F("version") + 1, updated_at=timezone.now())


def timesheet_lock(*, organisation: Organisation, year: int, week: int, by: User, person: Person | None = None,
                   today: dt.date | None = None) -> TimesheetLock:
    """Close a past week to edits (for everyone, or one person). The current week and those to
    come cannot be locked: people are still logging them."""
    today = today or timezone.localdate()
    sunday = iso_week_monday(year, week) + dt.timedelta(days=6)
    if sunday >= today:
        raise ValidationError(_("La semaine S%(week)02d %(year)d n'est pas terminée : seules les semaines passées se verrouillent.") % {
            "week": week, "year": year})
    if person is not None and person.organisation_id != organisation.pk:
        raise ValidationError(_("%(person)s appartient à une autre organisation.") % {"person": person.full_name})
    lock, _created = TimesheetLock.objects.get_or_create(
        organisation=organisation, person=person, iso_year=year, iso_week=week, defaults={"locked_by": by})
    return lock


def timesheet_unlock(*, lock: TimesheetLock) -> None:
    lock.delete()


# --------------------------------------------------------------------------- re-planning


@dataclass
class ReplanOutcome:
    plan: PlanOutcome
    done: int
    started: int

    @property
    def saved(self) -> bool:
        return self.plan.saved


def project_replan(
    *, project: Project, by: User | None, today: dt.date | None = None, max_iterations: int | None = None
) -> ReplanOutcome:
    """Re-plan from actuals: done tasks keep their actual dates, started ones go on from today
    with their remaining work (their actual start kept), the rest is planned again from today
    (with the projects that share people, as Planifier does). One transaction.
    `max_iterations` bounds the heuristic's search as in `project_plan` (deterministic runs)."""
    today = today or timezone.localdate()
    actuals = selectors.task_actuals(projects_planned_with(project), today)
    with transaction.atomic():
        outcome = project_plan(project=project, by=by, method=PlanRun.Method.HEURISTIC, actuals=actuals,
                               max_iterations=max_iterations)
        if outcome.saved:
            _write_actual_dates(actuals)
    done = sum(1 for a in actuals.tasks.values() if a.done)
    return ReplanOutcome(outcome, done, len(actuals.tasks) - done)


def _write_actual_dates(actuals: Any) -> None:
    """Done tasks get their actual span, started ones their actual start (the planner placed
    them from today)."""
    now = timezone.now()
    for pk, actual in actuals.tasks.items():
        fields: dict[str, Any] = {"start": actual.start, "updated_at": now}
        if actual.done:
            fields["finish"] = actual.finish
        task = Task.objects.filter(pk=pk).only("finish").first()
        if task is not None and not actual.done and task.finish and task.finish < actual.start:
            fields["finish"] = actual.start
        Task.objects.filter(pk=pk).update(**fields)


def replan_enqueue(*, project: Project, by: User | None, today: dt.date | None = None) -> JobProgress:
    """Queue a re-plan from actuals for a worker: planning the project and every project sharing
    its people can take seconds, too long for a web request. The day the manager asked is kept,
    so a job run after midnight still re-plans from the day they meant."""
    from jalon.tracking.tasks import replan

    today = today or timezone.localdate()
    with transaction.atomic():
        job = JobProgress.objects.create(
            kind=JobProgress.Kind.REPLAN, project=project, requested_by=by, result={"today": today.isoformat()},
            message=gettext_noop("En attente d'un processus de calcul…"),
        )
        # Same transaction: a worker cannot pick the task before its progress row exists.
        task_result = replan.enqueue(job_id=job.pk)
        job.task_result_id = str(task_result.id)
        job.save(update_fields=["task_result_id"])
    return job


def replan_run(*, job_id: int) -> dict[str, Any]:
    """The worker's side: re-plan with `project_replan` and store what the page shows (forecast
    end, slip against the baseline in working days, reasons when nothing was saved). Step
    messages without figures are stored untranslated: the page translates them for its reader."""
    job = JobProgress.objects.select_related("project", "requested_by").get(pk=job_id)
    today = dt.date.fromisoformat(job.result.get("today") or timezone.localdate().isoformat())
    try:
        job_report_progress(job_id=job_id, percent=5, message=gettext_noop("Lecture des temps passés…"))
        projects = projects_planned_with(job.project)
        job_report_progress(job_id=job_id, percent=20, message=ngettext("Planification de %(count)d projet…", "Planification de %(count)d projets…",
                                                                     len(projects)) % {"count": len(projects)})
        outcome = project_replan(project=job.project, by=job.requested_by, today=today)
        job_report_progress(job_id=job_id, percent=90, message=gettext_noop("Enregistrement…"))
        summary = _replan_summary(job.project, outcome, projects, today)
    except Exception as exc:
        job_report_progress(job_id=job_id, percent=100, status=JobProgress.Status.FAILED,
                            message=_("Échec : %(error)s") % {"error": exc})
        raise
    message = (_("Planning recalculé depuis le réalisé : %(done)d tâche(s) terminée(s) conservée(s), "
                 "%(started)d en cours poursuivie(s).") % {"done": outcome.done, "started": outcome.started}
               if outcome.saved else _("Rien n'a été enregistré."))
    job_report_progress(job_id=job_id, percent=100, status=JobProgress.Status.SUCCEEDED, message=message, result=summary)
    return summary


def _replan_summary(project: Project, outcome: ReplanOutcome, projects: list[Project], today: dt.date) -> dict[str, Any]:
    """JSON for the job: the end dates come from the function the re-plan page uses, so the
    summary and the page's figures agree."""
    from jalon.tracking.documents import _end_dates

    forecast, reference, slip = _end_dates(project, selectors.project_budget(project, today))
    return {
        "today": today.isoformat(), "saved": outcome.saved, "plan_run_id": outcome.plan.run.pk,
        "done": outcome.done, "started": outcome.started, "projects": [p.name for p in projects],
        "forecast_end": forecast.isoformat() if forecast else None,
        "baseline_end": reference.isoformat() if reference else None,
        "slip_days": slip, "reasons": [str(r) for r in outcome.plan.reasons],
    }


# --------------------------------------------------------------------------- risks


def risk_save(*, risk: Risk) -> Risk:
    risk.full_clean()
    risk.save()
    return risk


# --------------------------------------------------------------------------- quotes


def quote_next_number(*, organisation: Organisation, year: int) -> int:
    """The next sequence number of the year, taken under a row lock: no two quotes share a
    number and none is skipped (call inside the transaction that saves the quote)."""
    QuoteCounter.objects.get_or_create(organisation=organisation, year=year)
    counter = QuoteCounter.objects.select_for_update().get(organisation=organisation, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@dataclass(frozen=True)
class DraftLine:
    phase: Phase | None
    label: str
    detail: str
    quantity: Decimal
    unit_price: Decimal


def quote_lines_from_breakdown(project: Project) -> list[DraftLine]:
    """Phases as lines: for each phase, the days of each role (the job title of the people
    assigned) at their daily rate (TJM). A task nobody is assigned to yet is priced at the
    average TJM of the people holding its skills, else of the organisation."""
    tasks = list(Task.objects.filter(project=project, is_milestone=False).select_related("phase").order_by("order", "pk"))
    people = {p.pk: p for p in Person.objects.filter(organisation_id=project.organisation_id)}
    rates = selectors.project_rates(project, tasks)
    active = [p.daily_rate for p in people.values() if p.active]
    default_rate = money(sum(active, ZERO) / len(active)) if active else ZERO
    groups: dict[tuple[int | None, str, Decimal], Decimal] = defaultdict(Decimal)
    phases: dict[int | None, Phase | None] = {None: None}
    for task in tasks:
        top = _top_phase(task.phase)
        phases[top.pk if top else None] = top
        assigned = [people[pk] for pk in rates.assignees.get(task.pk, []) if pk in people]
        if assigned:
            for person in assigned:
                groups[(top.pk if top else None, person.job_title or _("Intervenant"), person.daily_rate)] += task.effort_days / len(assigned)
        else:
            groups[(top.pk if top else None, _("À affecter"), default_rate)] += task.effort_days
    order = {pk: (p.order, p.pk) if p else (10**9, 0) for pk, p in phases.items()}
    lines = []
    for (phase_pk, role, rate), days in sorted(groups.items(), key=lambda kv: (order[kv[0][0]], kv[0][1], kv[0][2])):
        if days <= 0:
            continue
        phase = phases[phase_pk]
        label = f"{phase.name} — {role}" if phase else role
        lines.append(DraftLine(phase, label, _("%(days)s jours × TJM %(role)s") % {"days": format_number(days, 2, trim=True), "role": role},
                               days.quantize(Decimal("0.01")), rate))
    return lines


def _top_phase(phase: Phase | None) -> Phase | None:
    while phase is not None and phase.parent_id is not None:
        phase = phase.parent
    return phase


def quote_create(*, project: Project, by: User | None, today: dt.date | None = None) -> Quote:
    """A draft quote built from the project's breakdown, numbered D-YYYY-NNNN."""
    today = today or timezone.localdate()
    organisation = project.organisation
    lines = quote_lines_from_breakdown(project)
    if not lines:
        raise ValidationError(_("Le projet n'a aucune tâche chiffrée : ajoutez des tâches avec une charge avant d'établir un devis."))
    client = project.client
    with transaction.atomic():
        sequence = quote_next_number(organisation=organisation, year=today.year)
        exempt = organisation.vat_rate == 0
        quote = Quote.objects.create(
            organisation=organisation, project=project, year=today.year, sequence=sequence,
            number=Quote.format_number(today.year, sequence), issue_date=today,
            validity_date=today + dt.timedelta(days=QUOTE_VALIDITY_DAYS), start_date=project.start_date,
            vat_rate=organisation.vat_rate, vat_exempt=exempt, payment_terms=_(DEFAULT_PAYMENT_TERMS),
            client_name=client.name if client else "", client_address=client.address if client else "",
            client_siret=client.siret if client else "", created_by=by,
        )
        QuoteLine.objects.bulk_create([
            QuoteLine(quote=quote, order=i, phase=line.phase, label=line.label, detail=line.detail,
                      quantity=line.quantity, unit_price=line.unit_price)
            for i, line in enumerate(lines, start=1)
        ])
    return quote


def quote_save(*, quote: Quote) -> Quote:
    """Save a draft's terms (discount, VAT, validity, payment terms)."""
    if not quote.is_editable:
        raise ValidationError(_("Le devis %(number)s n'est plus un brouillon : il ne peut plus être modifié.") % {"number": quote.number})
    quote.full_clean()
    quote.save()
    return quote


def quote_lines_save(*, quote: Quote, kept: list[QuoteLine], deleted: list[QuoteLine]) -> Quote:
    """Replace a draft's lines: `kept` in the order given (new ones included), `deleted` gone.
    All or nothing: a line that fails its checks leaves every line as it was."""
    if not quote.is_editable:
        raise ValidationError(_("Le devis %(number)s n'est plus un brouillon : il ne peut plus être modifié.") % {"number": quote.number})
    if not kept:
        raise ValidationError(_("Un devis garde au moins une ligne."))
    with transaction.atomic():
        for line in deleted:
            if line.quote_id != quote.pk:
                raise ValidationError(_("La ligne « %(label)s » n'appartient pas à ce devis.") % {"label": line.label})
            line.delete()
        for order, line in enumerate(kept):
            line.quote, line.order = quote, order
            line.full_clean()
            line.save()
        quote.save(update_fields=["updated_at"])
    return quote


QUOTE_TRANSITIONS = {
    Quote.Status.DRAFT: (Quote.Status.SENT,),
    Quote.Status.SENT: (Quote.Status.ACCEPTED, Quote.Status.REFUSED),
}


def quote_set_status(*, quote: Quote, status: str, by: User | None, today: dt.date | None = None) -> Quote:
    """Move a quote on (draft → sent → accepted or refused). Accepting it sets the project's
    budget (the net amount excl. VAT) and its sold days."""
    allowed = QUOTE_TRANSITIONS.get(quote.status, ())
    if status not in allowed:
        raise ValidationError(_("Le devis %(number)s est « %(current)s » : il ne peut pas passer à « %(wanted)s ».") % {
            "number": quote.number, "current": quote.get_status_display(),
            "wanted": Quote.Status(status).label if status in Quote.Status.values else status})
    today = today or timezone.localdate()
    if status == Quote.Status.ACCEPTED and quote.validity_date < today:
        raise ValidationError(_("Le devis %(number)s n'est plus valable depuis le %(date)s : établissez-en un nouveau.") % {
            "number": quote.number, "date": format_date(quote.validity_date)})
    with transaction.atomic():
        quote.status = status
        fields = ["status", "updated_at"]
        if status == Quote.Status.ACCEPTED:
            quote.accepted_at = timezone.now()
            fields.append("accepted_at")
            totals = quote.totals()
            Project.objects.filter(pk=quote.project_id).update(
                budget_amount=totals.net, sold_days=totals.days, version=F("version") + 1, updated_at=timezone.now())
        quote.save(update_fields=fields)
    return quote


# --------------------------------------------------------------------------- status reports


def report_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The week being reported: Monday to Friday of `today`'s week."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=4)


def status_report_create(*, project: Project, by: User | None, today: dt.date | None = None) -> StatusReport:
    """A draft report of this week, with today's figures, the météo they give, the tasks done
    in the week and the next ones."""
    from jalon.tracking.documents import report_snapshot

    today = today or timezone.localdate()
    start, end = report_period(today)
    snapshot = report_snapshot(project, start, end, today)
    report = StatusReport(
        project=project, period_start=start, period_end=end, computed_weather=snapshot["weather"]["computed"],
        achievements="\n".join(snapshot["achievements"]), next_steps="\n".join(snapshot["next_steps"]),
        snapshot=snapshot, created_by=by,
    )
    report.full_clean()
    report.save()
    return report


def status_report_refresh(*, report: StatusReport, today: dt.date | None = None) -> StatusReport:
    """Compute a draft's figures and météo again (after time was logged or the plan moved)."""
    from jalon.tracking.documents import report_snapshot

    _check_draft(report)
    snapshot = report_snapshot(report.project, report.period_start, report.period_end, today or timezone.localdate())
    # The lists Jalon wrote follow the new figures; what the manager rewrote stays theirs.
    previous = report.snapshot or {}
    for field in ("achievements", "next_steps"):
        if getattr(report, field).strip() == "\n".join(previous.get(field, [])).strip():
            setattr(report, field, "\n".join(snapshot[field]))
    report.snapshot = snapshot
    report.computed_weather = snapshot["weather"]["computed"]
    if report.weather_override == report.computed_weather:
        report.weather_override, report.override_reason = "", ""
    report.save(update_fields=["snapshot", "computed_weather", "weather_override", "override_reason", "achievements",
                               "next_steps", "updated_at"])
    return report


def status_report_save(*, report: StatusReport) -> StatusReport:
    """Save what the manager wrote (achievements, next steps, decisions, météo override)."""
    _check_draft(report)
    if report.weather_override == report.computed_weather:
        report.weather_override = ""
    report.full_clean()
    report.save()
    return report


def status_report_publish(*, report: StatusReport, by: User) -> StatusReport:
    """Show the report to the client (portal). Its figures are frozen from then on."""
    _check_draft(report)
    report.status = StatusReport.Status.PUBLISHED
    report.published_at = timezone.now()
    report.published_by = by
    report.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    return report


def _check_draft(report: StatusReport) -> None:
    if report.is_published:
        raise ValidationError(_("Ce rapport est publié au client : ses chiffres ne changent plus."))


# --------------------------------------------------------------------------- portfolio report


def portfolio_report_enqueue(*, user: User) -> JobProgress:
    """Queue the portfolio report of every project the user sees; a worker builds it."""
    from jalon.tracking.tasks import portfolio_report

    with transaction.atomic():
        job = JobProgress.objects.create(kind=PORTFOLIO_KIND, requested_by=user,
                                         message=gettext_noop("En attente d'un processus de calcul…"))
        task_result = portfolio_report.enqueue(job_id=job.pk)
        job.task_result_id = str(task_result.id)
        job.save(update_fields=["task_result_id"])
    return job


def portfolio_report_run(*, job_id: int, today: dt.date | None = None) -> dict[str, Any]:
    """The worker's side: one line per project (météo, indices, budget), progress after each."""
    from jalon.projects.selectors import projects_visible_to
    from jalon.tracking.documents import portfolio_line

    job = JobProgress.objects.select_related("requested_by").get(pk=job_id)
    today = today or timezone.localdate()
    try:
        projects = list(projects_visible_to(job.requested_by).exclude(status__in=selectors.CLOSED_STATUSES)
                        .select_related("client", "organisation").order_by("name"))
        lines = []
        for done, project in enumerate(projects, start=1):
            lines.append(portfolio_line(project, today))
            job_report_progress(job_id=job_id, percent=max(1, int(95 * done / max(len(projects), 1))),
                                message=_("Projet %(done)d sur %(total)d : %(name)s") % {"done": done, "total": len(projects), "name": project.name})
    except Exception as exc:
        job_report_progress(job_id=job_id, percent=100, status=JobProgress.Status.FAILED, message=_("Échec : %(error)s") % {"error": exc})
        raise
    result = {"status_date": today.isoformat(), "projects": lines}
    job_report_progress(job_id=job_id, percent=100, status=JobProgress.Status.SUCCEEDED,
                        message=_("Rapport de portefeuille prêt : %(count)d projets.") % {"count": len(lines)}, result=result)
    return result
