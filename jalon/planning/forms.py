from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jalon.engine.model import Objective
from jalon.people.models import Person
from jalon.planning.services import OPTIMIZE_LIMITS
from jalon.reports.gantt import ZOOMS

OBJECTIVE_CHOICES = [
    (Objective.MAKESPAN.value, _("Finir au plus tôt")),
    (Objective.LATENESS.value, _("Tenir les échéances")),
    (Objective.COST.value, _("Réduire le coût")),
]
ZOOM_LABELS = {"day": _("Jour"), "week": _("Semaine"), "month": _("Mois")}


class OptimizeForm(forms.Form):
    time_limit = forms.TypedChoiceField(
        label=_("Durée maximale"),
        choices=[(s, _("%(s)d s") % {"s": s}) for s in OPTIMIZE_LIMITS],
        coerce=int,
        initial=OPTIMIZE_LIMITS[1],
    )
    objective = forms.ChoiceField(label=_("Objectif"), choices=OBJECTIVE_CHOICES, initial=Objective.MAKESPAN.value)


class BaselineForm(forms.Form):
    name = forms.CharField(label=_("Nom de la référence"), max_length=200, required=False)


class PinForm(forms.Form):
    """A date the task must start on (empty: free again) and a person to impose on it."""

    pinned_start = forms.DateField(
        label=_("Début imposé"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    person = forms.ModelChoiceField(label=_("Imposer une personne"), queryset=Person.objects.none(), required=False)

    def __init__(self, *args, eligible: list[Person], **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(pk__in=[p.pk for p in eligible]).order_by("first_name", "last_name")
        self.fields["person"].empty_label = _("— personne —")
        if not eligible:
            self.fields["person"].widget = forms.HiddenInput()


class GanttForm(forms.Form):
    zoom = forms.ChoiceField(choices=[(z, ZOOM_LABELS[z]) for z in ZOOMS], required=False)
    reference = forms.IntegerField(required=False, min_value=1)
