"""Forms for the team: collaborators, skills and absences, limited to one organisation."""

from __future__ import annotations

from typing import Any

from jalon.accounts.forms import DATE_WIDGET, DomainModelForm
from jalon.accounts.models import Organisation
from jalon.people.models import Absence, Person, PersonSkill, Skill


class SkillForm(DomainModelForm):
    scope_fields = ("organisation",)

    class Meta:
        model = Skill
        fields = ["name", "category"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation


class PersonForm(DomainModelForm):
    scope_fields = ("organisation",)

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "job_title", "email", "user", "daily_rate", "daily_cost", "capacity", "active"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["user"].queryset = organisation.users.exclude(role="client")


class PersonSkillForm(DomainModelForm):
    class Meta:
        model = PersonSkill
        fields = ["person", "skill", "level"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = organisation.people.all()
        self.fields["skill"].queryset = organisation.skills.all()


class AbsenceForm(DomainModelForm):
    class Meta:
        model = Absence
        fields = ["person", "kind", "start", "end", "start_afternoon", "end_morning", "note"]
        widgets = {"start": DATE_WIDGET, "end": DATE_WIDGET}

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = organisation.people.filter(active=True)

