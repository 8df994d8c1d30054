"""Tracking pages: timesheets, time spent, re-planning, budget, risks, quotes, status reports,
portfolio report. Views check access (tracking/permissions.py), validate a form, call one
service or selector and render; HTMX requests get the fragment the full page includes."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jalon.jobs.models import JobProgress
from jalon.jobs.selectors import latest_job
from jalon.planning.selectors import baseline_variance, project_baselines
from jalon.projects.models import Project
from jalon.tracking import documents, forms, selectors, services
from jalon.tracking.models import Quote, Risk, StatusReport, TimesheetLock, iso_week_monday
from jalon.tracking.permissions import (
    can_edit_project,
    can_see_costs,
    get_project_for_planning,
    get_project_for_quotes,
    get_project_for_user,
    is_agency_staff,
    is_lead,
    report_visible,
    require_lead,
    timesheet_person,
)


def _see_other(url: str) -> HttpResponseRedirect:
    # 303: the browser follows with a GET, and tests tell it from a login redirect (302).
    return HttpResponseRedirect(url, status=303)


def _htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _tab_context(request: HttpRequest, project: Project, tab: str) -> dict[str, object]:
    return {"project": project, "tab": tab, "can_edit": can_edit_project(request.user, project),
            "lead": is_lead(request.user), "staff": is_agency_staff(request.user)}


def _download(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --------------------------------------------------------------------------- timesheets


@require_GET
@login_required
def timesheet_current(request: HttpRequest) -> HttpResponse:
    iso = timezone.localdate().isocalendar()
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return HttpResponseRedirect(reverse("timesheet", args=[iso.year, iso.week]) + query)


@require_http_methods(["GET", "POST"])
@login_required
def timesheet(request: HttpRequest, year: int, week: int) -> HttpResponse:
    """The weekly grid; POST saves it whole (HTMX swaps the grid with its errors or totals)."""
    wanted = request.GET.get("personne") or request.POST.get("personne")
    person = timesheet_person(request, int(wanted) if wanted and wanted.isdigit() else None)
    try:
        grid = selectors.timesheet_grid(person, year, week)
    except ValueError as error:
        raise Http404(str(error)) from None
    errors: list[str] = []
    saved = False
    if request.method == "POST":
        cells, remaining, errors = forms.parse_timesheet(request.POST, grid)
        if not errors:
            try:
                services.timesheet_save(person=person, year=year, week=week, cells=cells, remaining=remaining, by=request.user)
                saved = True
            except ValidationError as error:
                errors = error.messages
        if saved and not _htmx(request):
            messages.success(request, _("Temps enregistrés."))
            return _see_other(request.path + (f"?personne={person.pk}" if wanted else ""))
        if saved:
            grid = selectors.timesheet_grid(person, year, week)
        for row in grid.rows if errors else []:
            row.typed = dict(request.POST.items())  # each row picks its own inputs
    context = {"grid": grid, "errors": errors, "saved": saved,
               "others": _others(request), "lead": is_lead(request.user),
               "previous": grid.neighbour(-1), "next": grid.neighbour(1)}
    # HTMX swaps only 2xx answers: a refused grid comes back as 200 with its errors in it.
    status = 400 if errors and not _htmx(request) else 200
    template = "tracking/_timesheet_grid.html" if _htmx(request) else "tracking/timesheet.html"
    return render(request, template, context, status=status)


def _others(request: HttpRequest) -> list[object]:
    if not is_lead(request.user):
        return []
    from jalon.people.models import Person

    return list(Person.objects.filter(organisation_id=request.user.organisation_id, active=True).order_by("first_name", "last_name"))


@require_http_methods(["GET", "POST"])
@login_required
def timesheet_locks(request: HttpRequest) -> HttpResponse:
    require_lead(request)
    organisation = request.user.organisation
    form = forms.LockForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        year, week = form.cleaned_data["week"]
        try:
            services.timesheet_lock(organisation=organisation, year=year, week=week, person=form.cleaned_data["person"], by=request.user)
            messages.success(request, _("Semaine S%(week)02d %(year)d verrouillée.") % {"week": week, "year": year})
            return _see_other(reverse("timesheet_locks"))
        except (ValidationError, ValueError) as error:
            form.add_error("week", error.messages if isinstance(error, ValidationError) else str(error))
    iso = timezone.localdate().isocalendar()
    projects = selectors.projects_for_time(request.user)
    monday = iso_week_monday(iso.year, iso.week)
    return render(request, "tracking/locks.html", {
        "form": form, "locks": selectors.organisation_locks(organisation),
        "by_project": selectors.time_by_project(projects, monday - dt.timedelta(weeks=4), monday + dt.timedelta(days=6)),
        "since": monday - dt.timedelta(weeks=4),
    }, status=400 if request.method == "POST" else 200)


@require_POST
@login_required
def timesheet_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    require_lead(request)
    lock = get_object_or_404(TimesheetLock, pk=pk, organisation_id=request.user.organisation_id)
    services.timesheet_unlock(lock=lock)
    messages.success(request, _("Semaine %(week)s déverrouillée.") % {"week": lock})
    return _see_other(reverse("timesheet_locks"))


# --------------------------------------------------------------------------- project time, budget, re-planning


@require_GET
@login_required
def project_time(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_planning(request, pk)
    return render(request, "tracking/project_time.html", {
        **_tab_context(request, project, "time"), "table": selectors.project_time(project),
    })


@require_GET
@login_required
def budget(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_planning(request, pk)
    today = timezone.localdate()
    data = selectors.project_budget(project, today)
    from jalon.tracking import charts

    return render(request, "tracking/budget.html", {
        **_tab_context(request, project, "budget"), "budget": data, "ind": data.indicators, "today": today,
        "currency": project.organisation.currency,
        "s_curve_svg": charts.s_curve_chart(selectors.s_curve_points(data), today=today),
        "burn_down_svg": charts.burn_down_chart(selectors.burn_down(project, today), today=today),
    })


@require_http_methods(["GET", "POST"])
@login_required
def replan(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: forecast end, slip against the baseline and the last re-plan's progress (HTMX polls
    that fragment alone); POST: queue a re-plan from actuals for a worker (it can take seconds)."""
    project = get_project_for_planning(request, pk, write=request.method == "POST")
    if request.method == "POST":
        services.replan_enqueue(project=project, by=request.user)
        return _see_other(reverse("tracking_replan", args=[project.pk]) + "#replan-job")
    job = latest_job(project, JobProgress.Kind.REPLAN)
    if _htmx(request):
        response = render(request, "tracking/_replan_progress.html", {"project": project, "job": job})
        if job is not None and job.is_finished:
            # The plan moved: the whole page reloads so its dates, variance table and chart follow.
            response["HX-Refresh"] = "true"
        return response
    baseline = project_baselines(project).first()
    today = timezone.localdate()
    snap_end = documents._end_dates(project, selectors.project_budget(project, today))
    rows = baseline_variance(project, baseline) if baseline else []
    return render(request, "tracking/replan.html", {
        **_tab_context(request, project, "replan"), "baseline": baseline, "variance": rows, "today": today,
        "forecast_end": snap_end[0], "baseline_end": snap_end[1], "slip": snap_end[2], "job": job,
        "workload_svg": documents.team_workload_chart(project, today),
    })


# --------------------------------------------------------------------------- risks


@require_http_methods(["GET", "POST"])
@login_required
def risks(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_planning(request, pk, write=request.method == "POST")
    form = forms.RiskForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        services.risk_save(risk=form.instance)
        messages.success(request, _("Risque « %(title)s » ajouté.") % {"title": form.instance.title})
        return _see_other(reverse("tracking_risks", args=[project.pk]))
    return render(request, "tracking/risks.html", {
        **_tab_context(request, project, "risks"), "risks": selectors.project_risks(project), "form": form,
    }, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@login_required
def risk_edit(request: HttpRequest, pk: int, risk_pk: int) -> HttpResponse:
    project = get_project_for_planning(request, pk, write=True)
    risk = get_object_or_404(Risk, pk=risk_pk, project=project)
    form = forms.RiskForm(request.POST or None, instance=risk, project=project)
    if request.method == "POST" and form.is_valid():
        services.risk_save(risk=form.instance)
        messages.success(request, _("Risque « %(title)s » enregistré.") % {"title": risk.title})
        return _see_other(reverse("tracking_risks", args=[project.pk]))
    return render(request, "tracking/risk_edit.html", {**_tab_context(request, project, "risks"), "risk": risk, "form": form},
                  status=400 if request.method == "POST" else 200)


# --------------------------------------------------------------------------- quotes


@require_http_methods(["GET", "POST"])
@login_required
def quotes(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_quotes(request, pk, write=request.method == "POST")
    if request.method == "POST":
        try:
            quote = services.quote_create(project=project, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _see_other(reverse("tracking_quotes", args=[project.pk]))
        messages.success(request, _("Devis %(number)s établi à partir du découpage.") % {"number": quote.number})
        return _see_other(reverse("tracking_quote", args=[project.pk, quote.pk]))
    return render(request, "tracking/quotes.html", {
        **_tab_context(request, project, "quotes"),
        "quotes": Quote.objects.filter(project=project).prefetch_related("lines"),
        "preview": services.quote_lines_from_breakdown(project),
    })


@require_http_methods(["GET", "POST"])
@login_required
def quote_detail(request: HttpRequest, pk: int, quote_pk: int) -> HttpResponse:
    project = get_project_for_quotes(request, pk, write=request.method == "POST")
    quote = get_object_or_404(Quote.objects.select_related("organisation"), pk=quote_pk, project=project)
    form = forms.QuoteForm(request.POST or None, instance=quote)
    if request.method == "POST" and form.is_valid():
        try:
            services.quote_save(quote=form.instance)
            messages.success(request, _("Devis %(number)s enregistré.") % {"number": quote.number})
            return _see_other(request.path)
        except ValidationError as error:
            form.add_error(None, error)
    return _quote_page(request, project, quote, form=form, lines_form=forms.QuoteLineFormSet(instance=quote))


@require_POST
@login_required
def quote_lines(request: HttpRequest, pk: int, quote_pk: int) -> HttpResponse:
    """A draft's lines edited, added and deleted in one form, saved together or not at all."""
    project = get_project_for_quotes(request, pk, write=True)
    quote = get_object_or_404(Quote.objects.select_related("organisation"), pk=quote_pk, project=project)
    lines_form = forms.QuoteLineFormSet(request.POST, instance=quote)
    if lines_form.is_valid():
        try:
            services.quote_lines_save(quote=quote, kept=lines_form.kept_lines(), deleted=lines_form.deleted_lines())
            messages.success(request, _("Lignes du devis %(number)s enregistrées.") % {"number": quote.number})
        except ValidationError as error:  # no longer a draft: nothing to correct in the form
            messages.error(request, " ".join(error.messages))
        return _see_other(reverse("tracking_quote", args=[project.pk, quote.pk]))
    return _quote_page(request, project, quote, form=forms.QuoteForm(instance=quote), lines_form=lines_form)


def _quote_page(request: HttpRequest, project: Project, quote: Quote, *, form: forms.QuoteForm,
                lines_form: forms.BaseQuoteLineFormSet) -> HttpResponse:
    return render(request, "tracking/quote_detail.html", {
        **_tab_context(request, project, "quotes"), "quote": quote, "form": form, "lines_form": lines_form,
        "lines": list(quote.lines.all()), "totals": quote.totals(), "org": quote.organisation,
        "next_statuses": [(s, Quote.Status(s).label) for s in services.QUOTE_TRANSITIONS.get(quote.status, ())],
    }, status=400 if request.method == "POST" else 200)


@require_POST
@login_required
def quote_status(request: HttpRequest, pk: int, quote_pk: int) -> HttpResponse:
    project = get_project_for_quotes(request, pk, write=True)
    quote = get_object_or_404(Quote, pk=quote_pk, project=project)
    form = forms.QuoteStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Statut de devis inconnu."))
    else:
        try:
            services.quote_set_status(quote=quote, status=form.cleaned_data["status"], by=request.user)
            if quote.status == Quote.Status.ACCEPTED:
                messages.success(request, _("Devis %(number)s accepté : le budget du projet est mis à jour.") % {"number": quote.number})
            else:
                messages.success(request, _("Devis %(number)s : %(status)s.") % {"number": quote.number, "status": quote.get_status_display()})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return _see_other(reverse("tracking_quote", args=[project.pk, quote.pk]))


@require_GET
@login_required
def quote_pdf(request: HttpRequest, pk: int, quote_pk: int) -> HttpResponse:
    project = get_project_for_quotes(request, pk)
    quote = get_object_or_404(Quote.objects.select_related("organisation", "project"), pk=quote_pk, project=project)
    return _download(documents.quote_pdf(quote), "application/pdf", f"devis-{quote.number}.pdf")


# --------------------------------------------------------------------------- status reports


@require_http_methods(["GET", "POST"])
@login_required
def reports(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request, pk, write=request.method == "POST")
    if request.method == "POST":
        report = services.status_report_create(project=project, by=request.user)
        messages.success(request, _("Rapport de la semaine créé avec les chiffres du jour."))
        return _see_other(reverse("tracking_report", args=[project.pk, report.pk]))
    staff = is_agency_staff(request.user)
    listed = selectors.project_reports(project) if staff else selectors.published_reports_for(project)
    return render(request, "tracking/reports.html", {**_tab_context(request, project, "reports"), "reports": listed})


def _report(request: HttpRequest, pk: int, report_pk: int, *, write: bool = False) -> StatusReport:
    project = get_project_for_user(request, pk, write=write)
    report = get_object_or_404(StatusReport.objects.select_related("project__organisation", "project__client"), pk=report_pk, project=project)
    if not report_visible(request.user, report):
        raise Http404
    return report


@require_http_methods(["GET", "POST"])
@login_required
def report_detail(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    report = _report(request, pk, report_pk, write=request.method == "POST")
    form = forms.ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.status_report_save(report=form.instance)
            messages.success(request, _("Rapport enregistré."))
            return _see_other(request.path)
        except ValidationError as error:
            form.add_error(None, error)
    report.refresh_from_db() if request.method == "POST" else None
    context = documents.report_context(report, show_costs=can_see_costs(request.user), today=timezone.localdate())
    return render(request, "tracking/report_detail.html", {
        **_tab_context(request, report.project, "reports"), **context, "form": form,
    }, status=400 if request.method == "POST" else 200)


@require_POST
@login_required
def report_refresh(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    report = _report(request, pk, report_pk, write=True)
    try:
        services.status_report_refresh(report=report)
        messages.success(request, _("Chiffres et météo recalculés."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _see_other(reverse("tracking_report", args=[pk, report.pk]))


@require_POST
@login_required
def report_publish(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    report = _report(request, pk, report_pk, write=True)
    try:
        services.status_report_publish(report=report, by=request.user)
        messages.success(request, _("Rapport publié au client."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _see_other(reverse("tracking_report", args=[pk, report.pk]))


@require_GET
@login_required
def report_export(request: HttpRequest, pk: int, report_pk: int, fmt: str) -> HttpResponse:
    report = _report(request, pk, report_pk)
    costs = can_see_costs(request.user)
    name = f"rapport-{slugify(report.project.code or report.project.name)}-{report.period_end:%Y-%m-%d}"
    if fmt == "pdf":
        return _download(documents.status_report_pdf(report, show_costs=costs, today=timezone.localdate()), "application/pdf", f"{name}.pdf")
    if fmt == "xlsx":
        return _download(documents.status_report_xlsx(report, show_costs=costs),
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{name}.xlsx")
    raise Http404


# --------------------------------------------------------------------------- portfolio report


def _portfolio_job(request: HttpRequest, job_pk: int) -> JobProgress:
    require_lead(request)
    return get_object_or_404(JobProgress, pk=job_pk, kind=services.PORTFOLIO_KIND, requested_by=request.user)


@require_http_methods(["GET", "POST"])
@login_required
def portfolio_report(request: HttpRequest) -> HttpResponse:
    require_lead(request)
    if request.method == "POST":
        job = services.portfolio_report_enqueue(user=request.user)
        return _see_other(reverse("tracking_portfolio_job", args=[job.pk]))
    job = JobProgress.objects.filter(kind=services.PORTFOLIO_KIND, requested_by=request.user).order_by("-created_at", "-pk").first()
    return render(request, "tracking/portfolio.html", {"job": job})


@require_GET
@login_required
def portfolio_job(request: HttpRequest, job_pk: int) -> HttpResponse:
    job = _portfolio_job(request, job_pk)
    template = "tracking/_portfolio_job.html" if _htmx(request) else "tracking/portfolio.html"
    return render(request, template, {"job": job})


@require_GET
@login_required
def portfolio_xlsx(request: HttpRequest, job_pk: int) -> HttpResponse:
    job = _portfolio_job(request, job_pk)
    if job.status != JobProgress.Status.SUCCEEDED:
        raise Http404
    return _download(documents.portfolio_xlsx(job.result), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"portefeuille-{job.result.get('status_date', '')}.xlsx")

