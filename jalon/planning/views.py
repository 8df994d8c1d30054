"""Planning pages: plan and optimise, pins, baselines, Gantt, milestones, workload.

Views check access (planning/permissions.py), validate a form, call one service or selector and
render. HTMX requests get the fragment the full page includes."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jalon.planning import selectors, services
from jalon.planning.forms import ZOOM_LABELS, BaselineForm, GanttForm, OptimizeForm, PinForm
from jalon.planning.models import Baseline
from jalon.planning.permissions import can_plan, get_project_for_planning, is_agency_staff
from jalon.projects.models import Project, Task
from jalon.projects.permissions import get_project_for_user


def _see_other(url: str) -> HttpResponseRedirect:
    # 303: the browser follows with a GET, and tests tell it from a login redirect (302).
    return HttpResponseRedirect(url, status=303)


def _planning_url(project: Project) -> str:
    return reverse("planning", args=[project.pk])


# --------------------------------------------------------------------------- planning page


@require_GET
@login_required
def planning(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_planning(request, pk)
    baselines = list(selectors.project_baselines(project))
    chosen = _chosen_baseline(request, baselines)
    job = selectors.last_optimize_job(project)
    job_run = selectors.plan_run_of_job(job)
    return render(request, "planning/planning.html", {
        "project": project,
        "can_plan": can_plan(request.user, project),
        "run": selectors.last_plan_run(project),
        "job": job,
        "job_run": job_run,
        "gains": selectors.optimize_gains(job_run),
        "optimize_form": OptimizeForm(),
        "baseline_form": BaselineForm(),
        "baselines": baselines,
        "baseline": chosen,
        **_variance_context(project, chosen),
        "tasks": selectors.pin_rows(project),
    })


def _variance_context(project: Project, baseline: Baseline | None) -> dict[str, object]:
    """The tasks that moved, were added or removed since the baseline; the others are counted."""
    rows = selectors.baseline_variance(project, baseline) if baseline else []
    moved = [row for row in rows if row.state != "on_time" or row.start_slip]
    return {"variance": moved, "unchanged": len(rows) - len(moved)}


def _chosen_baseline(request: HttpRequest, baselines: list[Baseline]) -> Baseline | None:
    wanted = request.GET.get("reference")
    for baseline in baselines:
        if wanted is None or str(baseline.pk) == wanted:
            return baseline
    return None


@require_POST
@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Planifier: the heuristic, at once; the page then shows the outcome and its reasons."""
    project = get_project_for_planning(request, pk, write=True)
    outcome = services.project_plan(project=project, by=request.user)
    if outcome.saved:
        messages.success(request, _("Planning calculé et enregistré : fin le %(date)s.") % {
            "date": outcome.run.finish_date.strftime("%d/%m/%Y") if outcome.run.finish_date else "—"})
    else:
        messages.error(request, _("Rien n'a été enregistré : voir les explications ci-dessous."))
    return _see_other(_planning_url(project))


@require_POST
@login_required
def optimize_start(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_planning(request, pk, write=True)
    form = OptimizeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une durée et un objectif proposés."))
        return _see_other(_planning_url(project))
    services.plan_optimize_enqueue(project=project, by=request.user, time_limit=form.cleaned_data["time_limit"],
                                   objective=form.cleaned_data["objective"])
    return _see_other(_planning_url(project) + "#optimisation")


@require_GET
@login_required
def optimize_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The optimisation's state, polled by HTMX every second until it finishes."""
    project = get_project_for_planning(request, pk)
    job = selectors.last_optimize_job(project)
    job_run = selectors.plan_run_of_job(job)
    return render(request, "planning/_optimize_status.html", {
        "project": project, "job": job, "job_run": job_run, "gains": selectors.optimize_gains(job_run),
    })


@require_POST
@login_required
def baseline_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_planning(request, pk, write=True)
    form = BaselineForm(request.POST)
    if form.is_valid():
        try:
            baseline = services.baseline_save(project=project, name=form.cleaned_data["name"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Référence « %(name)s » enregistrée.") % {"name": baseline.name})
            return _see_other(f"{_planning_url(project)}?reference={baseline.pk}#ecarts")
    return _see_other(_planning_url(project))


@require_http_methods(["GET", "POST"])
@login_required
def task_pin(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """The small pin form of one task (GET, loaded into its row by HTMX) and its submission."""
    project = get_project_for_planning(request, pk, write=True)
    task = get_object_or_404(Task.objects.select_related("project"), pk=task_pk, project=project)
    eligible = selectors.eligible_people(task)
    form = PinForm(request.POST or None, eligible=eligible, initial={"pinned_start": task.pinned_start})
    if request.method == "POST" and form.is_valid():
        try:
            _apply_pin(request, task, form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.headers.get("HX-Request"):
                [row] = selectors.pin_rows(project, only=task.pk)
                return render(request, "planning/_pin_row.html", {"project": project, "task": row, "can_plan": True})
            return _see_other(_planning_url(project) + f"#tache-{task.pk}")
    status = 400 if request.method == "POST" else 200
    return render(request, "planning/_pin_form.html", {"project": project, "task": task, "form": form}, status=status)


def _apply_pin(request: HttpRequest, task: Task, form: PinForm) -> None:
    services.task_pin(task=task, by=request.user, start=form.cleaned_data["pinned_start"],
                      person=form.cleaned_data["person"])
    unpin = request.POST.get("unpin")
    if unpin and unpin.isdigit():
        person = task.assignments.filter(person_id=int(unpin)).select_related("person").first()
        if person is not None:
            services.task_unpin_person(task=task, person=person.person)


# --------------------------------------------------------------------------- Gantt


def _gantt_options(request: HttpRequest, project: Project) -> tuple[str, Baseline | None]:
    form = GanttForm(request.GET)
    form.is_valid()
    zoom = form.cleaned_data.get("zoom") or "week"
    wanted = form.cleaned_data.get("reference")
    baselines = selectors.project_baselines(project)
    baseline = baselines.filter(pk=wanted).first() if wanted else baselines.first()
    return zoom, baseline


@require_GET
@login_required
def gantt(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone who sees the project sees its Gantt; only editors get clickable bars."""
    project = get_project_for_user(request, pk)
    zoom, baseline = _gantt_options(request, project)
    editor = can_plan(request.user, project)
    data = selectors.gantt_data(project, zoom=zoom, baseline=baseline, with_urls=editor, today=timezone.localdate())
    from jalon.reports.gantt import render_gantt_svg

    context = {
        "project": project, "data": data, "svg": render_gantt_svg(data.chart), "zoom": zoom,
        "zooms": ZOOM_LABELS.items(), "can_plan": editor, "staff": is_agency_staff(request.user),
    }
    template = "planning/_gantt_chart.html" if request.headers.get("HX-Request") else "planning/gantt.html"
    return render(request, template, context)


@require_GET
@login_required
def gantt_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    project = get_project_for_user(request, pk)
    zoom, baseline = _gantt_options(request, project)
    data = selectors.gantt_data(project, zoom=zoom, baseline=baseline, today=timezone.localdate())
    from jalon.reports import export

    if fmt == "pdf":
        body, content_type = export.gantt_pdf(data.chart), "application/pdf"
    elif fmt == "png":
        body, content_type = export.gantt_png(data.chart), "image/png"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    name = slugify(project.code or project.name) or "projet"
    response["Content-Disposition"] = f'attachment; filename="gantt-{name}.{fmt}"'
    return response


# --------------------------------------------------------------------------- milestones, workload


@require_GET
@login_required
def milestones(request: HttpRequest, pk: int) -> HttpResponse:
    """A month calendar of the project's milestones; HTMX swaps the month on navigation."""
    project = get_project_for_user(request, pk)
    context = selectors.milestone_calendar(project, month=request.GET.get("mois"), today=timezone.localdate(),
                                           with_urls=can_plan(request.user, project))
    context.update(project=project, staff=is_agency_staff(request.user))
    template = "planning/_milestones_month.html" if request.headers.get("HX-Request") else "planning/milestones.html"
    return render(request, template, context)


@require_GET
@login_required
def workload(request: HttpRequest) -> HttpResponse:
    if not is_agency_staff(request.user):
        raise PermissionDenied
    organisation = request.user.organisation
    today = timezone.localdate()
    start = _week_param(request.GET.get("semaine")) or selectors.workload_default_start(organisation, today)
    data = selectors.workload(organisation, start=start)
    monday = data.weeks[0]
    return render(request, "planning/workload.html", {
        "data": data, "today": today,
        "previous": (monday - dt.timedelta(weeks=selectors.WORKLOAD_WEEKS)).isoformat(),
        "next": (monday + dt.timedelta(weeks=selectors.WORKLOAD_WEEKS)).isoformat(),
    })


def _week_param(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
