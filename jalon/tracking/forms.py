"""Forms of tracking: the timesheet grid (parsed from its cells), week locks, risks, quotes and
status reports."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalon.people.models import Person
from jalon.projects.models import Project
from jalon.reports.typography import format_date
from jalon.tracking.models import Quote, QuoteLine, Risk, StatusReport
from jalon.tracking.selectors import TimesheetGrid
from jalon.tracking.services import DAY_NAMES, parse_days

WEEK_INPUT = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_timesheet(post: QueryDict, grid: TimesheetGrid) -> tuple[dict[tuple[int, dt.date], Decimal | None], dict[int, Decimal | None], list[str]]:
    """The grid's cells (`jour-<task>-<date>`) and remaining work (`raf-<task>`) for the tasks
    of the grid; errors name the task and the day."""
    cells: dict[tuple[int, dt.date], Decimal | None] = {}
    remaining: dict[int, Decimal | None] = {}
    errors: list[str] = []
    for row in grid.rows:
        task = row.task
        for day in grid.days:
            key = f"jour-{task.pk}-{day.isoformat()}"
            if key not in post:
                continue
            where = f"« {task.name} », {DAY_NAMES[day.weekday()]} {format_date(day)}"
            try:
                cells[(task.pk, day)] = parse_days(post[key], where)
            except ValidationError as error:
                errors += error.messages
        key = f"raf-{task.pk}"
        if key in post:
            try:
                remaining[task.pk] = _remaining(post[key], task.name)
            except ValidationError as error:
                errors += error.messages
    return cells, remaining, errors


def _remaining(raw: str, task: str) -> Decimal | None:
    text = raw.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except ArithmeticError:
        raise ValidationError(_("Reste à faire de « %(task)s » : « %(raw)s » n'est pas un nombre de jours.") % {"task": task, "raw": raw}) from None
    if value < 0 or not value.is_finite() or value > 9999:
        raise ValidationError(_("Reste à faire de « %(task)s » : %(raw)s n'est pas possible (de 0 à 9 999 j).") % {"task": task, "raw": raw})
    return value.quantize(Decimal("0.01"))


class LockForm(forms.Form):
    week = forms.CharField(label=gettext_lazy("Semaine"), widget=forms.TextInput(attrs={"type": "week"}),
                           help_text=gettext_lazy("Format AAAA-Wss, par exemple 2026-W09."))
    person = forms.ModelChoiceField(label=gettext_lazy("Collaborateur"), queryset=Person.objects.none(), required=False,
                                    empty_label=gettext_lazy("Toute l'équipe"))

    def __init__(self, *args: object, organisation: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person"].queryset = Person.objects.filter(organisation=organisation, active=True)  # type: ignore[attr-defined]

    def clean_week(self) -> tuple[int, int]:
        found = WEEK_INPUT.match(self.cleaned_data["week"].strip())
        if not found:
            raise ValidationError(_("Semaine attendue au format AAAA-Wss (par exemple 2026-W09), reçu « %(value)s ».") % {
                "value": self.cleaned_data["week"]})
        return int(found.group(1)), int(found.group(2))


class RiskForm(forms.ModelForm):
    class Meta:
        model = Risk
        fields = ["title", "description", "probability", "impact", "owner", "mitigation", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "mitigation": forms.Textarea(attrs={"rows": 2}),
                   "probability": forms.Select(choices=[(i, i) for i in range(1, 6)]),
                   "impact": forms.Select(choices=[(i, i) for i in range(1, 6)])}

    def __init__(self, *args: object, project: Project, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.instance.project = project
        self.fields["owner"].queryset = Person.objects.filter(organisation_id=project.organisation_id, active=True)  # type: ignore[attr-defined]


class QuoteForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = ["issue_date", "validity_date", "start_date", "duration_text", "discount_percent", "vat_rate", "vat_exempt",
                  "client_name", "client_address", "client_siret", "payment_terms", "notes"]
        widgets = {"issue_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "validity_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "client_address": forms.Textarea(attrs={"rows": 2}), "payment_terms": forms.Textarea(attrs={"rows": 3}),
                   "notes": forms.Textarea(attrs={"rows": 2})}


class QuoteLineForm(forms.ModelForm):
    class Meta:
        model = QuoteLine
        fields = ["label", "detail", "quantity", "unit_price"]
        widgets = {"quantity": forms.NumberInput(attrs={"step": "0.25", "min": "0"}),
                   "unit_price": forms.NumberInput(attrs={"step": "0.01", "min": "0"})}


class BaseQuoteLineFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.has_changed() or f.instance.pk]
        if all(self._should_delete_form(f) for f in kept):
            raise ValidationError(_("Un devis garde au moins une ligne."))

    def kept_lines(self) -> list[QuoteLine]:
        """The lines to keep, in the order shown (blank extra rows left out)."""
        return [f.instance for f in self.forms
                if (f.has_changed() or f.instance.pk) and not self._should_delete_form(f)]

    def deleted_lines(self) -> list[QuoteLine]:
        return [f.instance for f in self.forms if f.instance.pk and self._should_delete_form(f)]


QuoteLineFormSet = forms.inlineformset_factory(
    Quote, QuoteLine, form=QuoteLineForm, formset=BaseQuoteLineFormSet, extra=1, can_delete=True)


class QuoteStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Quote.Status.choices)


class ReportForm(forms.ModelForm):
    class Meta:
        model = StatusReport
        fields = ["weather_override", "override_reason", "achievements", "next_steps", "decisions"]
        widgets = {"override_reason": forms.Textarea(attrs={"rows": 2}), "achievements": forms.Textarea(attrs={"rows": 5}),
                   "next_steps": forms.Textarea(attrs={"rows": 5}), "decisions": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"achievements": gettext_lazy("Une ligne par réalisation."), "next_steps": gettext_lazy("Une ligne par étape.")}
