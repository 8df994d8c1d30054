"""Forms for the organisation settings and user accounts, and the base form of the domain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from jalon.accounts.models import Organisation, User

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class DomainModelForm(forms.ModelForm):
    """A ModelForm that shows every model validation error instead of crashing.

    A model's clean() may name a field this form does not display (e.g. `finish`, written by
    the planner); Django would then raise ValueError (a server error). Such errors are shown at
    the top of the form instead.

    `scope_fields` are set by the form's constructor (the organisation, project...) rather than
    typed in; Django would skip the unique constraints that involve them ("a skill name is
    unique in its organisation"), so they are validated too."""

    scope_fields: tuple[str, ...] = ()

    def _get_validation_exclusions(self) -> set[str]:
        return super()._get_validation_exclusions() - set(self.scope_fields)

    def add_error(self, field: str | None, error: Any) -> None:
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            remapped: dict[str, list[ValidationError]] = {}
            for name, errors in error.error_dict.items():
                target = name if name == NON_FIELD_ERRORS or name in self.fields else NON_FIELD_ERRORS
                remapped.setdefault(target, []).extend(errors)
            error = ValidationError(remapped)
        super().add_error(field, error)


class OrganisationSettingsForm(DomainModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "working_weekdays",
            "hours_per_day",
            "day_start",
            "day_end",
            "lunch_start",
            "lunch_end",
            "holiday_country",
            "holiday_subdivision",
            "currency",
            "vat_rate",
            "address",
            "siret",
            "vat_number",
        ]
        widgets = {
            "day_start": TIME_WIDGET,
            "day_end": TIME_WIDGET,
            "lunch_start": TIME_WIDGET,
            "lunch_end": TIME_WIDGET,
            "address": forms.Textarea(attrs={"rows": 3}),
        }


class UserAccountForm(DomainModelForm):
    """An administrator edits a login of their organisation (role, client, identity)."""

    scope_fields = ("organisation",)

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "client", "language", "is_active"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["client"].queryset = organisation.clients.all()


class UserInviteForm(DomainModelForm, UserCreationForm):
    """An administrator creates a login in their organisation, with its first password."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "first_name", "last_name", "email", "role", "client"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["client"].queryset = organisation.clients.all()
        self.fields["client"].help_text = _("Obligatoire pour un compte client, vide sinon.")
