"""Forms for clients, projects and their breakdown. Every form is bound to one organisation
(or project) so its choices never offer another organisation's records."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jalon.accounts.forms import DATE_WIDGET, DomainModelForm
from jalon.accounts.models import Organisation, User
from jalon.projects.models import (
    Assignment,
    Client,
    Deliverable,
    Dependency,
    Phase,
    Project,
    Task,
    TaskSkill,
)
from jalon.projects.services import save_versioned


class VersionedForm(DomainModelForm):
    """Optimistic locking: the form carries the version it was loaded at; saving a record that
    changed in between is refused with a message offering to reload (nothing is overwritten)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        expected = cleaned.get("version")
        if self.instance.pk is not None and expected is not None:
            stored = type(self.instance)._default_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if stored != expected:
                raise ValidationError(
                    _("« %(name)s » a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert. "
                      "Rechargez la page pour voir sa dernière version, puis refaites votre modification.")
                    % {"name": self.instance},
                    code="stale",
                )
        return cleaned

    def save(self, commit: bool = True) -> Any:
        instance = super().save(commit=False)
        if commit:
            expected = self.cleaned_data.get("version")
            save_versioned(instance, expected_version=instance.version if expected is None else expected)
            self._save_m2m()
        return instance


class ClientForm(DomainModelForm):
    scope_fields = ("organisation",)

    class Meta:
        model = Client
        fields = ["name", "contact_name", "contact_email", "address", "siret"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation


class ProjectForm(VersionedForm):
    scope_fields = ("organisation",)

    class Meta:
        model = Project
        fields = [
            "name", "code", "client", "project_type", "status", "manager", "start_date", "deadline",
            "budget_amount", "sold_days", "priority", "description",
        ]
        widgets = {"start_date": DATE_WIDGET, "deadline": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["client"].queryset = organisation.clients.all()
        self.fields["manager"].queryset = organisation.users.filter(
            role__in=[User.Role.ADMIN, User.Role.MANAGER], is_active=True
        )


class PhaseForm(DomainModelForm):
    scope_fields = ("project",)

    class Meta:
        model = Phase
        fields = ["name", "order", "parent"]

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.project = project
        parents = project.phases.all()
        if self.instance.pk is not None:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class TaskForm(VersionedForm):
    scope_fields = ("project",)

    class Meta:
        model = Task
        fields = [
            "name", "phase", "order", "effort_days", "duration_days", "is_milestone",
            "start_no_earlier_than", "deadline", "pinned_start", "priority", "description",
        ]
        widgets = {
            "start_no_earlier_than": DATE_WIDGET,
            "deadline": DATE_WIDGET,
            "pinned_start": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["phase"].queryset = project.phases.all()


class TaskProgressForm(VersionedForm):
    """What a team member reports on their task: progress and remaining work."""

    class Meta:
        model = Task
        fields = ["progress", "remaining_days"]


class TaskSkillForm(DomainModelForm):
    scope_fields = ("task",)

    class Meta:
        model = TaskSkill
        fields = ["skill", "min_level", "headcount"]

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.task = task
        self.fields["skill"].queryset = task.project.organisation.skills.all()


class AssignmentForm(DomainModelForm):
    scope_fields = ("task",)

    class Meta:
        model = Assignment
        fields = ["person", "pinned"]

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.task = task
        self.fields["person"].queryset = task.project.organisation.people.filter(active=True)


def organisation_tasks(organisation: Organisation) -> models.QuerySet[Task]:
    return Task.objects.filter(project__organisation=organisation).select_related("project")


class TaskChoiceField(forms.ModelChoiceField):
    """Tasks labelled with their project, since links may cross projects."""

    def label_from_instance(self, obj: Task) -> str:
        return f"{obj.project.code or obj.project.name} · {obj.name}"


class DependencyForm(DomainModelForm):
    """A link between two tasks of the organisation; the model refuses self-links, links to
    another organisation and cycles (naming the tasks of the cycle in order)."""

    class Meta:
        model = Dependency
        fields = ["predecessor", "successor", "type", "lag_days"]
        field_classes = {"predecessor": TaskChoiceField, "successor": TaskChoiceField}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tasks = organisation_tasks(organisation)
        self.fields["predecessor"].queryset = tasks
        self.fields["successor"].queryset = tasks


class DeliverableForm(DomainModelForm):
    scope_fields = ("project",)

    class Meta:
        model = Deliverable
        fields = ["name", "description", "task", "due_date", "status", "requirements"]
        widgets = {"due_date": DATE_WIDGET}

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["task"].queryset = project.tasks.all()
        self.fields["requirements"].queryset = self.fields["requirements"].queryset.filter(
            version__spec__project=project
        )
