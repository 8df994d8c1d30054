from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from jalon.accounts.models import Organisation
from jalon.jobs.models import JobProgress
from jalon.jobs.selectors import latest_job
from jalon.projects.forms import ClientForm, ProjectForm
from jalon.projects.models import Client, Project
from jalon.projects.permissions import (
    Role,
    can_create_project,
    can_edit_project,
    can_see_costs,
    get_project_for_user,
    role_of,
)
from jalon.projects.selectors import portfolio_rows, project_page_data, project_type_options
from jalon.projects.services import project_create


@require_GET
@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    """Home page: the projects this user works on or follows."""
    return render(request, "projects/portfolio.html", {
        "rows": portfolio_rows(request.user),
        "can_create": can_create_project(request.user),
        # Clients get the reduced view: no team load.
        "show_load": can_see_costs(request.user),
    })


@require_GET
@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request, pk)
    can_edit = can_edit_project(request.user, project)
    return render(request, "projects/project_detail.html", {
        "project": project,
        "can_edit": can_edit,
        "last_check": latest_job(project, JobProgress.Kind.PLAN_CHECK) if can_edit else None,
        # Clients get the reduced view: no rates, costs or budget.
        "show_costs": can_see_costs(request.user),
        **project_page_data(project, request.user),
    })


# --- creating and editing a project -----------------------------------------------------------------


class ProjectEditForm(ProjectForm):
    """The project's facts; the client is picked from the list or typed in to be created."""

    new_client_name = forms.CharField(
        label=gettext_lazy("… ou nouveau client"), max_length=200, required=False,
        help_text=gettext_lazy("Créé en même temps que le projet."),
    )

    class Meta(ProjectForm.Meta):
        widgets = {**ProjectForm.Meta.widgets, "project_type": forms.RadioSelect}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, organisation=organisation, **kwargs)
        self.organisation = organisation
        self.fields["client"].empty_label = gettext_lazy("— Aucun —")
        self.fields["manager"].empty_label = gettext_lazy("— À désigner —")
        self.fields["priority"].widget.attrs.update(min=1, max=5)
        self.fields["priority"].help_text = gettext_lazy("De 1 (basse) à 5 (haute) : départage les projets qui partagent des personnes.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        name = (cleaned.get("new_client_name") or "").strip()
        cleaned["new_client_name"] = name
        if name and cleaned.get("client"):
            self.add_error("new_client_name", _("Choisissez un client dans la liste ou saisissez-en un nouveau, pas les deux."))
        elif name and self.organisation.clients.filter(name__iexact=name).exists():
            self.add_error("new_client_name", _("Le client « %(name)s » existe déjà : choisissez-le dans la liste.") % {"name": name})
        return cleaned

    def new_client(self) -> Client | None:
        """The client typed in, validated and saved; None when one was picked (or none at all)."""
        name = self.cleaned_data.get("new_client_name")
        if not name:
            return None
        client_form = ClientForm({"name": name}, organisation=self.organisation)
        if not client_form.is_valid():
            raise ValidationError({"new_client_name": [e for errors in client_form.errors.values() for e in errors]})
        return client_form.save()


class ProjectCreateForm(ProjectEditForm):
    """A new project starts as a draft: no status to choose."""

    class Meta(ProjectEditForm.Meta):
        fields = [f for f in ProjectForm.Meta.fields if f != "status"]


def _creation_fields(form: ProjectCreateForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        name: data[name]
        for name in ("code", "deadline", "budget_amount", "sold_days", "priority", "description")
        if name in data
    }


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def _form_page(request: HttpRequest, form: ProjectEditForm, project: Project | None) -> HttpResponse:
    options = {option.value: option for option in project_type_options()}
    return render(request, "projects/project_form.html", {
        "form": form,
        "project": project,
        # Each radio button with the one line its template brings.
        "type_choices": [(radio, options[radio.data["value"]].summary) for radio in form["project_type"]],
    }, status=400 if form.is_bound and form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    """The "Nouveau projet" page: the spec's sections and the starting breakdown come from the type's template."""
    if not can_create_project(request.user):
        raise PermissionDenied
    organisation = request.user.organisation
    initial = {"start_date": timezone.localdate(), "manager": request.user if role_of(request.user) == Role.MANAGER else None}
    form = ProjectCreateForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                project = project_create(
                    organisation=organisation,
                    name=form.cleaned_data["name"],
                    project_type=form.cleaned_data["project_type"],
                    start_date=form.cleaned_data["start_date"],
                    client=form.new_client() or form.cleaned_data.get("client"),
                    manager=form.cleaned_data.get("manager"),
                    **_creation_fields(form),
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Projet « %(name)s » créé avec son cahier des charges et son découpage type.")
                             % {"name": project.name})
            return _see_other(reverse("project_detail", args=[project.pk]))
    return _form_page(request, form, None)


@require_http_methods(["GET", "POST"])
@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Modifier le projet" page: a save is refused, nothing lost, when someone saved in between."""
    project = get_project_for_user(request, pk, write=True)
    form = ProjectEditForm(request.POST or None, instance=project, organisation=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                client = form.new_client()
                if client is not None:
                    form.instance.client = client
                form.save()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Projet « %(name)s » enregistré.") % {"name": project.name})
            return _see_other(reverse("project_detail", args=[project.pk]))
    return _form_page(request, form, project)

