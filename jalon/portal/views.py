"""Pages of the client portal (/client/…) and, on the agency's side, the change-request inbox,
the client exchanges and the project history.

Each view checks access through jalon.portal.permissions, validates a form, calls one service
and renders. Client pages never receive a rate, a cost or a budget in their context."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jalon.portal import selectors, services
from jalon.portal.forms import (
    TASKS_PREFIX,
    ChangeRequestForm,
    DecisionForm,
    FeedbackForm,
    NewTaskForm,
    NewTaskFormSet,
    RejectChangeRequestForm,
)
from jalon.portal.models import ChangeRequest
from jalon.portal.permissions import (
    can_triage,
    get_inbox_project,
    get_managed_project,
    get_portal_project,
    is_portal_user,
)
from jalon.projects.models import Deliverable, Project
from jalon.projects.permissions import can_see_costs
from jalon.specs.models import SpecVersion
from jalon.specs.selectors import version_requirements

HISTORY_PAGE_SIZE = 50


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _see_other(url: str) -> HttpResponseRedirect:
    # 303: the browser follows with a GET, and tests tell it from a login redirect (302).
    return HttpResponseRedirect(url, status=303)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# =========================================================================== client portal


@require_GET
@login_required
def portal_home(request: HttpRequest) -> HttpResponse:
    """The client's projects, with what awaits their decision."""
    if not is_portal_user(request.user):
        raise PermissionDenied
    return render(request, "portal/home.html", {"projects": selectors.client_projects(request.user)})


def _deliverable_form(deliverable: Deliverable, data: Any = None) -> DecisionForm:
    # One form per deliverable on the page: the prefix keeps their ids apart.
    return DecisionForm(data, prefix=f"livrable-{deliverable.pk}")


def _deliverable_rows(project: Project, invalid: DecisionForm | None, invalid_pk: int | None) -> list[dict[str, Any]]:
    rows = []
    for deliverable in selectors.project_deliverables(project).prefetch_related("client_decisions"):
        form = None
        if deliverable.status == Deliverable.Status.DELIVERED:
            form = invalid if deliverable.pk == invalid_pk else _deliverable_form(deliverable)
        decisions = list(deliverable.client_decisions.all())
        rows.append({"deliverable": deliverable, "form": form, "last_decision": decisions[0] if decisions else None})
    return rows


def _portal_context(
    project: Project, *, invalid: DecisionForm | None = None, invalid_pk: int | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "project": project,
        "spec_versions": selectors.client_spec_versions(project),
        "milestones": selectors.project_milestones(project),
        "deliverable_rows": _deliverable_rows(project, invalid, invalid_pk),
        "status_reports": selectors.published_status_reports(project),
        "change_requests": selectors.project_change_requests(project),
        "feedback_form": FeedbackForm(),
        **extra,
    }


@require_GET
@login_required
def portal_project(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_portal_project(request, pk)
    return render(request, "portal/project.html", _portal_context(project))


@require_GET
@login_required
def portal_spec_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """A version sent to the client, to read and decide on; drafts are not shown (404)."""
    project = get_portal_project(request, pk)
    version = selectors.client_spec_version(project, number)
    if version is None:
        raise Http404
    return render(request, "portal/spec_version.html", _spec_context(project, version, DecisionForm()))


def _spec_context(project: Project, version: SpecVersion, form: DecisionForm) -> dict[str, Any]:
    return {
        "project": project,
        "version": version,
        "requirements": version_requirements(version),
        "decision_form": form if version.status == SpecVersion.Status.SUBMITTED else None,
        "decisions": version.client_decisions.order_by("-decided_at"),
    }


@require_POST
@login_required
def portal_spec_decide(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    project = get_portal_project(request, pk)
    version = selectors.client_spec_version(project, number)
    if version is None:
        raise Http404
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/spec_version.html", _spec_context(project, version, form), status=400)
    try:
        record = services.spec_version_client_decide(version=version, by=request.user, **form.cleaned_data)
        messages.success(request, _("Version %(number)s : %(decision)s. Votre chef de projet est prévenu.") % {
            "number": version.number, "decision": record.get_decision_display().lower()})
    except ValidationError as error:  # decided meanwhile
        messages.error(request, _error_text(error))
    return _see_other(reverse("portal_spec_version", args=[project.pk, version.number]))


@require_POST
@login_required
def portal_deliverable_decide(request: HttpRequest, pk: int, deliverable_pk: int) -> HttpResponse:
    project = get_portal_project(request, pk)
    deliverable = get_object_or_404(Deliverable, pk=deliverable_pk, project=project)
    form = _deliverable_form(deliverable, request.POST)
    if not form.is_valid():
        context = _portal_context(project, invalid=form, invalid_pk=deliverable.pk)
        return render(request, "portal/project.html", context, status=400)
    try:
        record = services.deliverable_client_decide(deliverable=deliverable, by=request.user, **form.cleaned_data)
        messages.success(request, _("Livrable « %(name)s » : %(decision)s. Votre chef de projet est prévenu.") % {
            "name": deliverable.name, "decision": record.get_decision_display().lower()})
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return _see_other(reverse("portal_project", args=[project.pk]) + "#livrables")


@require_POST
@login_required
def portal_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_portal_project(request, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/project.html", _portal_context(project, feedback_form=form), status=400)
    services.feedback_send(project=project, by=request.user, message=form.cleaned_data["message"])
    messages.success(request, _("Merci : votre message a été transmis à votre chef de projet."))
    return _see_other(reverse("portal_project", args=[project.pk]))


@require_http_methods(["GET", "POST"])
@login_required
def portal_change_request_new(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_portal_project(request, pk)
    form = ChangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        change = services.change_request_file(project=project, by=request.user, **form.cleaned_data)
        messages.success(request, _("Demande envoyée : votre chef de projet va l'étudier."))
        return _see_other(reverse("portal_change_request", args=[project.pk, change.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/change_request_new.html", {"project": project, "form": form}, status=status)


@require_GET
@login_required
def portal_change_request(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    project = get_portal_project(request, pk)
    change = selectors.change_request_get(project, change_pk)
    if change is None:
        raise Http404
    return render(request, "portal/change_request_client.html", {"project": project, "change": change})


# =========================================================================== change requests (agency)


@require_GET
@login_required
def change_request_inbox(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_inbox_project(request, pk)
    status = request.GET.get("statut") or ""
    if status and status not in ChangeRequest.Status.values:
        status = ""
    return render(request, "portal/inbox.html", {
        "project": project,
        "change_requests": selectors.project_change_requests(project, status=status or None),
        "counts": selectors.change_request_counts(project),
        "status": status,
        "statuses": ChangeRequest.Status.choices,
        "show_costs": can_see_costs(request.user),
        "manager": can_triage(request.user, project),
    })


def _detail_context(request: HttpRequest, project: Project, change: ChangeRequest, **forms: Any) -> dict[str, Any]:
    triage = change.is_open and can_triage(request.user, project)
    return {
        "project": project,
        "change": change,
        "show_costs": can_see_costs(request.user),
        "can_triage": triage,
        "manager": can_triage(request.user, project),
        "task_formset": forms.get("task_formset") or (NewTaskFormSet(prefix=TASKS_PREFIX, form_kwargs={"project": project}) if triage else None),
        "reject_form": forms.get("reject_form") or (RejectChangeRequestForm() if triage else None),
    }


def _change_request(project: Project, change_pk: int) -> ChangeRequest:
    change = selectors.change_request_get(project, change_pk)
    if change is None:
        raise Http404
    return change


@require_GET
@login_required
def change_request_detail(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    project = get_inbox_project(request, pk)
    change = _change_request(project, change_pk)
    return render(request, "portal/change_request.html", _detail_context(request, project, change))


@require_POST
@login_required
def change_request_accept(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    project = get_inbox_project(request, pk, triage=True)
    change = _change_request(project, change_pk)
    formset = NewTaskFormSet(request.POST, prefix=TASKS_PREFIX, form_kwargs={"project": project})
    accept_errors: list[str] = []
    if formset.is_valid():
        tasks = formset.new_tasks()
        try:
            accepted = services.change_request_accept(change_request=change, by=request.user, tasks=tasks)
            messages.success(request, _("Demande acceptée : %(count)d tâche(s) ajoutée(s) et projet replanifié.") % {
                "count": len(tasks)})
            return _see_other(reverse("change_request_detail", args=[project.pk, accepted.pk]))
        except ValidationError as error:  # triaged meanwhile, or the new plan is impossible
            accept_errors = error.messages
    context = _detail_context(request, project, change, task_formset=formset)
    context["accept_errors"] = accept_errors
    return render(request, "portal/change_request.html", context, status=400)


@require_POST
@login_required
def change_request_reject(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    project = get_inbox_project(request, pk, triage=True)
    change = _change_request(project, change_pk)
    form = RejectChangeRequestForm(request.POST)
    if form.is_valid():
        try:
            services.change_request_reject(change_request=change, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Demande refusée : le client est prévenu, avec le motif."))
            return _see_other(reverse("change_request_detail", args=[project.pk, change.pk]))
        except ValidationError as error:
            form.add_error(None, error)
    return render(request, "portal/change_request.html", _detail_context(request, project, change, reject_form=form), status=400)


@require_GET
@login_required
def change_request_task_row(request: HttpRequest, pk: int, change_pk: int) -> HttpResponse:
    """HTMX: one more task row for the accept form (and the formset's new count)."""
    project = get_inbox_project(request, pk, triage=True)
    _change_request(project, change_pk)
    try:
        index = int(request.GET.get("rang", "1"))
    except ValueError:
        index = 1
    if not 0 <= index < NewTaskFormSet.max_num:
        return HttpResponse(status=204)  # the form already has as many rows as it may
    # Like the formset's own extra rows: optional, so a row left blank does not block the form.
    form = NewTaskForm(project=project, prefix=f"{TASKS_PREFIX}-{index}", use_required_attribute=False, empty_permitted=True)
    return render(request, "portal/_task_row.html", {
        "form": form, "index": index, "next_index": index + 1, "oob": True,
        "project": project, "change_pk": change_pk, "prefix": TASKS_PREFIX, "max_rows": NewTaskFormSet.max_num,
    })


@require_GET
@login_required
def change_request_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's change requests as CSV (semicolons and a BOM: what French Excel opens)."""
    project = get_inbox_project(request, pk)
    show_costs = can_see_costs(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(project.code or project.name)
    response["Content-Disposition"] = f'attachment; filename="demandes-de-changement-{name}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    header = [_("Objet"), _("Statut"), _("Déposée le"), _("Demandée par"), _("Traitée le"), _("Fin avant"),
              _("Fin après"), _("Décalage (jours ouvrés)"), _("Charge ajoutée (j/h)")]
    writer.writerow([*header, _("Coût ajouté (€ HT)")] if show_costs else header)
    for change in selectors.project_change_requests(project):
        row = [
            change.title, change.get_status_display(), _local(change.created_at),
            _name(change.requested_by), _local(change.triaged_at), change.previous_end_date or "",
            change.new_end_date or "", "" if change.extra_days is None else change.extra_days,
            change.extra_effort_days if change.extra_effort_days is not None else "",
        ]
        writer.writerow([*row, change.extra_cost if change.extra_cost is not None else ""] if show_costs else row)
    return response


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _name(user: Any) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


# =========================================================================== client exchanges, history (PM)


@require_GET
@login_required
def client_exchanges(request: HttpRequest, pk: int) -> HttpResponse:
    """For the PM: the client's feedback, decisions and the deliverables awaiting acceptance."""
    project = get_managed_project(request, pk)
    return render(request, "portal/client_exchanges.html", {
        "project": project,
        "feedback": selectors.project_feedback(project),
        "decisions": selectors.project_decisions(project),
        "deliverables": selectors.project_deliverables(project),
        "open_requests": selectors.change_request_counts(project)[ChangeRequest.Status.NEW],
    })


@require_POST
@login_required
def deliverable_deliver(request: HttpRequest, pk: int, deliverable_pk: int) -> HttpResponse:
    project = get_managed_project(request, pk)
    deliverable = get_object_or_404(Deliverable, pk=deliverable_pk, project=project)
    try:
        services.deliverable_mark_delivered(deliverable=deliverable)
        messages.success(request, _("« %(name)s » est livré : le client peut le valider.") % {"name": deliverable.name})
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return _see_other(reverse("portal_client_exchanges", args=[project.pk]))


@require_GET
@login_required
def project_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what and when, filtered by kind; HTMX swaps only the list."""
    project = get_managed_project(request, pk)
    kind = request.GET.get("type") or None
    if kind not in selectors.HISTORY_KINDS:
        kind = None
    page = Paginator(selectors.project_history(project, kind=kind), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"project": project, "page": page, "kind": kind or "", "kinds": selectors.HISTORY_KINDS}
    template = "portal/_history_list.html" if _is_htmx(request) else "portal/history.html"
    return render(request, template, context)
