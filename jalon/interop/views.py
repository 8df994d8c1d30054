"""File exchange pages of a project: export links and the import form.

Views check access (interop/permissions.py), validate the form, call one service and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jalon.formats import FormatError
from jalon.interop import services
from jalon.interop.forms import ImportForm
from jalon.interop.permissions import can_import, get_project_for_exchange
from jalon.projects.models import Project


def _page(request: HttpRequest, project: Project, form: ImportForm, error: str = "", status: int = 200) -> HttpResponse:
    return render(request, "interop/project_files.html", {
        "project": project,
        "form": form,
        "error": error,
        "can_import": can_import(request.user, project),
        "formats": [(fmt, services.EXPORT_FORMATS[fmt][0]) for fmt in services.EXPORT_FORMATS],
    }, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def project_files(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the export links and, for editors, the import form. POST: import a file."""
    if request.method == "GET":
        project = get_project_for_exchange(request, pk)
        return _page(request, project, ImportForm())
    project = get_project_for_exchange(request, pk, write=True)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, project, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        report = services.project_import(organisation=project.organisation, file=upload, project=project,
                                         by=request.user, name=upload.name)
    except FormatError as error:
        message = _("Rien n'a été importé : %(error)s") % {"error": error}
        return _page(request, project, form, error=message, status=400)
    messages.success(request, report.summary())
    for warning in report.warnings[:20]:
        messages.warning(request, warning)
    return HttpResponseRedirect(reverse("project_files", args=[project.pk]), status=303)


@require_GET
@login_required
def project_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    project = get_project_for_exchange(request, pk)
    if fmt not in services.EXPORT_FORMATS:
        raise Http404
    content = services.project_export(project=project, fmt=fmt)
    response = HttpResponse(content, content_type=services.EXPORT_FORMATS[fmt][1])
    response["Content-Disposition"] = f'attachment; filename="{services.export_filename(project, fmt)}"'
    return response
