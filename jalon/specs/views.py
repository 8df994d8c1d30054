"""Pages of the cahier des charges: one version at a time, its sections and requirements,
the workflow buttons, the comparison of two versions and the exports.

Every view checks access through jalon.projects.permissions / jalon.specs.permissions,
validates a form, calls one service and renders. HTMX requests get the partial template
that the full page includes; a form with errors is shown again with every message."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jalon.portal.models import Decision
from jalon.portal.services import spec_version_client_decide
from jalon.projects.models import Project
from jalon.projects.permissions import Role, can_see_costs, get_project_for_user, role_of
from jalon.specs import exports, services
from jalon.specs.forms import RequirementForm, SpecDecisionForm, SpecSectionsForm
from jalon.specs.models import Requirement, SpecVersion
from jalon.specs.permissions import can_decide_spec, can_edit_spec
from jalon.specs.selectors import spec_version_get, spec_versions_visible_to, version_requirements

EXPORTS = {
    "docx": ("spec_docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("spec_pdf", "application/pdf"),
    "md": ("spec_markdown", "text/markdown; charset=utf-8"),
}


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _see_other(url: str) -> HttpResponseRedirect:
    # 303: the browser follows with a GET, and tests tell it from a login redirect (302).
    return HttpResponseRedirect(url, status=303)


def _version(request: HttpRequest, pk: int, number: int | None, *, write: bool = False) -> tuple[Project, SpecVersion]:
    """The project and the version the user may read (a client asking for a draft: 404)."""
    project = get_project_for_user(request, pk, write=write)
    spec = services.spec_for_project(project=project, by=request.user if write else None)
    return project, spec_version_get(spec, number, reader=request.user)


def _page_context(request: HttpRequest, project: Project, version: SpecVersion, **forms: Any) -> dict[str, Any]:
    can_edit = can_edit_spec(request.user, project) and version.status == SpecVersion.Status.DRAFT
    versions = list(spec_versions_visible_to(request.user, version.spec))
    context: dict[str, Any] = {
        "project": project,
        "version": version,
        "versions": versions,
        "latest": versions[0],
        "requirements": version_requirements(version),
        "can_edit": can_edit,
        "can_manage": can_edit_spec(request.user, project),
        "can_decide": version.status == SpecVersion.Status.SUBMITTED and can_decide_spec(request.user, project),
        "show_costs": can_see_costs(request.user),
        "sections_fingerprint": services.fingerprint(version.sections),
    }
    # A form given back with errors is shown even if the version is no longer editable (it was
    # validated meanwhile): its error says so.
    context["sections_form"] = forms.get("sections_form") or (SpecSectionsForm(version=version) if can_edit else None)
    context["requirement_form"] = forms.get("requirement_form") or (_blank_requirement_form(version) if can_edit else None)
    if context["can_decide"]:
        context["decision_form"] = forms.get("decision_form") or SpecDecisionForm()
    return context


def _blank_requirement_form(version: SpecVersion) -> RequirementForm:
    return RequirementForm(version=version, initial={"code": services.requirement_next_code(version)})


def _add_error(form: Any, error: ValidationError) -> None:
    form.add_error(None, error)


@require_GET
@login_required
def spec_detail(request: HttpRequest, pk: int, number: int | None = None) -> HttpResponse:
    project = get_project_for_user(request, pk)
    spec = services.spec_for_project(project=project)
    if number is None and not spec_versions_visible_to(request.user, spec).exists():
        # A client before the first submission: their tab says so rather than answering 404.
        return render(request, "specs/spec_not_submitted.html", {"project": project})
    version = spec_version_get(spec, number, reader=request.user)
    return render(request, "specs/spec_detail.html", _page_context(request, project, version))


@require_POST
@login_required
def spec_sections_save(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    project, version = _version(request, pk, number, write=True)
    form = SpecSectionsForm(request.POST, version=version)
    saved = False
    if form.is_valid():
        try:
            services.spec_sections_save(version=version, sections=form.updated_sections(),
                                        expected=request.POST.get("fingerprint"))
            saved = True
        except ValidationError as error:
            _add_error(form, error)
    if saved and not _is_htmx(request):
        messages.success(request, _("Sections enregistrées."))
        return _see_other(reverse("spec_version", args=[project.pk, version.number]))
    context = _page_context(request, project, version, sections_form=None if saved else form)
    context["sections_saved"] = saved
    template = "specs/_sections.html" if _is_htmx(request) else "specs/spec_detail.html"
    return render(request, template, context)


@require_POST
@login_required
def requirement_create(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    project, version = _version(request, pk, number, write=True)
    data = request.POST.copy()
    if not data.get("code", "").strip():  # a blank code gets the next one: EX-01, EX-02…
        data["code"] = services.requirement_next_code(version)
    form = RequirementForm(data, version=version)
    created = False
    if form.is_valid():
        try:
            services.requirement_save(requirement=form.instance, tasks=form.cleaned_data.get("tasks"))
            created = True
        except ValidationError as error:
            _add_error(form, error)
    if created and not _is_htmx(request):
        return _see_other(reverse("spec_version", args=[project.pk, version.number]) + "#exigences")
    context = _page_context(request, project, version, requirement_form=None if created else form)
    template = "specs/_requirements.html" if _is_htmx(request) else "specs/spec_detail.html"
    return render(request, template, context)


def _requirement(request: HttpRequest, pk: int, req_pk: int, *, write: bool) -> tuple[Project, Requirement]:
    project = get_project_for_user(request, pk, write=write)
    requirement = get_object_or_404(Requirement.objects.select_related("version__spec"), pk=req_pk,
                                    version__spec__project=project)
    return project, requirement


@require_http_methods(["GET", "POST"])
@login_required
def requirement_edit(request: HttpRequest, pk: int, req_pk: int) -> HttpResponse:
    """GET the inline editor of one requirement (or its plain row with ?annuler), POST it."""
    project, requirement = _requirement(request, pk, req_pk, write=True)
    version = requirement.version
    if request.method == "GET" and "annuler" in request.GET:
        return render(request, "specs/_requirement_row.html", {"project": project, "requirement": requirement,
                                                              "version": version, "can_edit": True})
    form = RequirementForm(request.POST or None, instance=requirement, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            services.requirement_save(requirement=form.instance, expected=request.POST.get("fingerprint"),
                                      tasks=form.cleaned_data.get("tasks"))
            if not _is_htmx(request):
                return _see_other(reverse("spec_version", args=[project.pk, version.number]) + "#exigences")
            requirement = version_requirements(version).get(pk=requirement.pk)
            return render(request, "specs/_requirement_row.html", {"project": project, "requirement": requirement,
                                                                  "version": version, "can_edit": True})
        except ValidationError as error:
            _add_error(form, error)
    context = {"project": project, "requirement": requirement, "version": version, "form": form,
               "fingerprint": request.POST.get("fingerprint") or services.requirement_fingerprint(requirement)}
    template = "specs/_requirement_form.html" if _is_htmx(request) else "specs/requirement_edit.html"
    return render(request, template, context)


@require_POST
@login_required
def requirement_delete(request: HttpRequest, pk: int, req_pk: int) -> HttpResponse:
    project, requirement = _requirement(request, pk, req_pk, write=True)
    version = requirement.version
    error_text = ""
    try:
        services.requirement_delete(requirement=requirement)
    except ValidationError as error:
        error_text = " ".join(error.messages)
    if _is_htmx(request):
        context = {**_page_context(request, project, version), "delete_error": error_text}
        return render(request, "specs/_requirements.html", context)
    if error_text:
        messages.error(request, error_text)
    return _see_other(reverse("spec_version", args=[project.pk, version.number]) + "#exigences")


@require_POST
@login_required
def spec_version_submit(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    project, version = _version(request, pk, number, write=True)
    try:
        services.spec_version_submit(version=version)
        messages.success(request, _("Version %(number)s soumise au client.") % {"number": version.number})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _see_other(reverse("spec_version", args=[project.pk, version.number]))


@require_POST
@login_required
def spec_version_decide(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Validate or reject a submitted version (the client, or the PM on the client's behalf)."""
    project, version = _version(request, pk, number)
    if not can_decide_spec(request.user, project):
        raise PermissionDenied
    form = SpecDecisionForm(request.POST)
    if form.is_valid():
        validated = form.cleaned_data["decision"] == SpecVersion.Status.VALIDATED
        try:
            if role_of(request.user) == Role.CLIENT:
                _client_decide(request, version, validated=validated, comment=form.cleaned_data["comment"])
            else:
                decide = services.spec_version_validate if validated else services.spec_version_reject
                decided = decide(version=version, by=request.user, comment=form.cleaned_data["comment"])
                messages.success(request, _("Version %(number)s : %(status)s.") % {
                    "number": decided.number, "status": decided.get_status_display().lower()})
        except ValidationError as error:  # decided meanwhile: the page no longer offers the form
            messages.error(request, " ".join(error.messages))
        return _see_other(reverse("spec_version", args=[project.pk, version.number]))
    return render(request, "specs/spec_detail.html", _page_context(request, project, version, decision_form=form))


def _client_decide(request: HttpRequest, version: SpecVersion, *, validated: bool, comment: str) -> None:
    """A client's decision goes through the portal's service wherever it is made: the same
    frozen SpecValidation record and the same e-mail to the project manager."""
    record = spec_version_client_decide(version=version, by=request.user, comment=comment,
                                        decision=Decision.ACCEPTED if validated else Decision.REJECTED)
    messages.success(request, _("Version %(number)s : %(decision)s. Votre chef de projet est prévenu.") % {
        "number": version.number, "decision": record.get_decision_display().lower()})


@require_POST
@login_required
def spec_version_new(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request, pk, write=True)
    spec = services.spec_for_project(project=project, by=request.user)
    try:
        version = services.spec_version_new(spec=spec, by=request.user)
        messages.success(request, _("Version %(number)s créée à partir de la précédente.") % {"number": version.number})
        return _see_other(reverse("spec_version", args=[project.pk, version.number]))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _see_other(reverse("spec_detail", args=[project.pk]))


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_GET
@login_required
def spec_diff(request: HttpRequest, pk: int) -> HttpResponse:
    """Compare two versions: ?de=1&a=2 (by default, the last two)."""
    project = get_project_for_user(request, pk)
    spec = services.spec_for_project(project=project)
    versions = list(spec_versions_visible_to(request.user, spec))
    if not versions:  # a client, before any version was submitted to them
        raise Http404
    new = spec_version_get(spec, _number(request.GET.get("a")) or versions[0].number, reader=request.user)
    old_number = _number(request.GET.get("de")) or (versions[1].number if len(versions) > 1 else new.number)
    old = spec_version_get(spec, old_number, reader=request.user)
    return render(request, "specs/spec_diff.html", {
        "project": project, "versions": versions, "diff": services.spec_version_diff(old, new),
    })


@require_GET
@login_required
def spec_export(request: HttpRequest, pk: int, number: int, fmt: str) -> HttpResponse:
    """The version as a DOCX, PDF or Markdown file, made by jalon.specs.exports."""
    if fmt not in EXPORTS:
        raise Http404
    project, version = _version(request, pk, number)
    function_name, content_type = EXPORTS[fmt]
    payload = getattr(exports, function_name)(version)
    body = payload.encode() if isinstance(payload, str) else payload
    response = HttpResponse(body, content_type=content_type)
    filename = f"cahier-des-charges-{slugify(project.code or project.name)}-v{version.number}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
