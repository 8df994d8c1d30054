"""Forms for the cahier des charges: section texts of a draft version, requirements."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jalon.accounts.forms import DomainModelForm
from jalon.specs.models import Requirement, SpecVersion


def _refuse_if_frozen(version: SpecVersion) -> None:
    if version.pk is not None and version.stored_is_frozen():
        raise version.frozen_error()


class SpecSectionsForm(forms.Form):
    """One text area per section of a version, in the version's order."""

    def __init__(self, *args: Any, version: SpecVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        for section in version.sections:
            self.fields[f"section_{section['key']}"] = forms.CharField(
                label=section["title"],
                initial=section["body"],
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _refuse_if_frozen(self.version)
        return cleaned

    def updated_sections(self) -> list[dict[str, str]]:
        """The version's sections with the submitted texts, ready to store."""
        return [
            {**section, "body": self.cleaned_data.get(f"section_{section['key']}", section["body"])}
            for section in self.version.sections
        ]


class SpecDecisionForm(forms.Form):
    """The client's answer to a submitted version."""

    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[(SpecVersion.Status.VALIDATED, _("Je valide")), (SpecVersion.Status.REJECTED, _("Je refuse"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") == SpecVersion.Status.REJECTED and not cleaned.get("comment", "").strip():
            raise ValidationError(_("Dites ce qui doit changer : un commentaire est obligatoire pour refuser."))
        return cleaned


class RequirementForm(DomainModelForm):
    scope_fields = ("version",)

    class Meta:
        model = Requirement
        fields = ["code", "title", "description", "priority", "acceptance_criteria", "order", "tasks"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "acceptance_criteria": forms.Textarea(attrs={"rows": 3}),
            "tasks": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, version: SpecVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.version = version
        # Traceability stays inside the project the spec describes.
        self.fields["tasks"].queryset = version.spec.project.tasks.all()
