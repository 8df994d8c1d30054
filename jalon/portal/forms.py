"""Forms of the portal: they check input; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from jalon.people.models import Skill
from jalon.portal.models import Decision
from jalon.portal.services import MAX_MESSAGE_LENGTH, NewTask
from jalon.projects.models import Phase, Project, Task


class FeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("Votre message"), max_length=MAX_MESSAGE_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )


class ChangeRequestForm(forms.Form):
    title = forms.CharField(label=_("Objet"), max_length=200)
    description = forms.CharField(
        label=_("Ce que vous souhaitez"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Décrivez le besoin et, si possible, pourquoi il compte pour vous."),
    )


class DecisionForm(forms.Form):
    """The client's answer on a spec version or a deliverable; a refusal says why."""

    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[(Decision.ACCEPTED, _("Je valide")), (Decision.REJECTED, _("Je refuse"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire"), required=False, max_length=MAX_MESSAGE_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") == Decision.REJECTED and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Dites ce qui doit changer : un commentaire est obligatoire pour refuser."))
        return cleaned


class RejectChangeRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Le client le lira dans son espace et par e-mail."),
    )


class NewTaskForm(forms.Form):
    """One task that accepting a change request adds; choices are limited to the project."""

    name = forms.CharField(label=_("Tâche"), max_length=200)
    effort_days = forms.DecimalField(
        label=_("Charge (j/h)"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.5"), _("La charge d'une tâche ajoutée est d'au moins 0,5 j/h."))],
    )
    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.none(), required=False, empty_label=_("— Hors phase —"))
    skills = forms.ModelMultipleChoiceField(
        label=_("Compétences"), queryset=Skill.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    min_level = forms.IntegerField(
        label=_("Niveau minimum"), initial=2,
        validators=[MinValueValidator(1, _("Le niveau va de 1 à 5.")), MaxValueValidator(5, _("Le niveau va de 1 à 5."))],
    )
    after = forms.ModelChoiceField(
        label=_("Après la tâche"), queryset=Task.objects.none(), required=False, empty_label=_("— Sans prédécesseur —")
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.filter(project=project).order_by("order", "pk")
        self.fields["skills"].queryset = Skill.objects.filter(organisation_id=project.organisation_id).order_by("name")
        self.fields["after"].queryset = Task.objects.filter(project=project).order_by("order", "pk")

    def new_task(self) -> NewTask:
        data = self.cleaned_data
        return NewTask(
            name=data["name"], effort_days=data["effort_days"], phase=data["phase"],
            skills=tuple(data["skills"]), min_level=data["min_level"], after=data["after"],
        )


class BaseNewTaskFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(form.has_changed() for form in self.forms):
            raise ValidationError(_("Ajoutez au moins une tâche pour accepter la demande."))

    def new_tasks(self) -> list[NewTask]:
        return [form.new_task() for form in self.forms if form.has_changed()]


NewTaskFormSet = forms.formset_factory(NewTaskForm, formset=BaseNewTaskFormSet, extra=1, max_num=20, validate_max=True)
TASKS_PREFIX = "taches"
