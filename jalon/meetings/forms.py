"""Forms of the meeting pages: plan (what, who, how long, when), minutes, decisions, actions,
and a person's weekly days off."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jalon.accounts.models import WEEKDAY_NAMES, Organisation
from jalon.meetings.models import Meeting
from jalon.meetings.services import SkillWanted
from jalon.people.models import Person, Skill
from jalon.projects.models import Project

SKILL_ROWS = 3
MAX_WINDOW_DAYS = 62  # two months: beyond, the answer is "any time", and the search grows
DURATIONS = [(30, _("30 min")), (60, _("1 h")), (90, _("1 h 30")), (120, _("2 h")), (180, _("3 h")), (240, _("4 h"))]
LEVELS = [(level, f"≥ {level}") for level in range(1, 6)]


class MeetingPlanForm(forms.Form):
    topic = forms.CharField(label=_("Sujet"), max_length=200)
    kind = forms.ChoiceField(label=_("Type de réunion"), choices=Meeting.Kind.choices, initial=Meeting.Kind.WORKSHOP)
    project = forms.ModelChoiceField(label=_("Projet"), queryset=Project.objects.none(), required=False,
                                     empty_label=_("— Aucun (réunion interne) —"))
    duration = forms.TypedChoiceField(label=_("Durée"), choices=DURATIONS, coerce=int, initial=120)
    first_day = forms.DateField(label=_("Entre le"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    last_day = forms.DateField(label=_("et le"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    location = forms.CharField(label=_("Lieu"), max_length=200, required=False)
    video_url = forms.URLField(label=_("Lien de visioconférence"), required=False, assume_scheme="https")
    client_visible = forms.BooleanField(label=_("Visible par le client"), required=False)

    def __init__(self, *args: Any, organisation: Organisation, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        skills = Skill.objects.filter(organisation=organisation).order_by("category", "name")
        for row in range(1, SKILL_ROWS + 1):
            self.fields[f"skill_{row}"] = forms.ModelChoiceField(
                label=_("Compétence %(n)s") % {"n": row}, queryset=skills, required=False, empty_label="—")
            self.fields[f"level_{row}"] = forms.TypedChoiceField(
                label=_("Niveau minimum %(n)s") % {"n": row}, choices=LEVELS, coerce=int, initial=3)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if last < first:
                self.add_error("last_day", _("La fin de la fenêtre précède son début."))
            elif (last - first).days > MAX_WINDOW_DAYS:
                self.add_error("last_day", _("Choisissez une fenêtre de deux mois au plus."))
        skills = [data.get(f"skill_{row}") for row in range(1, SKILL_ROWS + 1)]
        chosen = [s for s in skills if s is not None]
        if len({s.pk for s in chosen}) != len(chosen):
            raise forms.ValidationError(_("Une même compétence est demandée deux fois."))
        if data.get("client_visible") and data.get("project") is not None and data["project"].client_id is None:
            self.add_error("client_visible", _("Un projet interne n'a pas de client à qui montrer la réunion."))
        return data

    def skills_wanted(self) -> list[SkillWanted]:
        return [
            SkillWanted(self.cleaned_data[f"skill_{row}"], self.cleaned_data[f"level_{row}"])
            for row in range(1, SKILL_ROWS + 1)
            if self.cleaned_data.get(f"skill_{row}") is not None
        ]

    def skill_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"skill_{row}"], self[f"level_{row}"]) for row in range(1, SKILL_ROWS + 1)]

    @property
    def meeting_duration(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.cleaned_data["duration"])


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["minutes"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 8})}


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Décision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ActionItemForm(forms.Form):
    text = forms.CharField(label=_("Action"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Porteur"), queryset=Person.objects.none(), required=False, empty_label="—")
    due_date = forms.DateField(label=_("Échéance"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisation.people.filter(active=True).order_by("first_name", "last_name")


class DaysOffForm(forms.Form):
    weekdays_off = forms.TypedMultipleChoiceField(
        label=_("Jours non travaillés chaque semaine"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["weekdays_off"].choices = [(d, WEEKDAY_NAMES[d]) for d in organisation.weekdays]
