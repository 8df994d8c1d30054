"""Organisation settings and user roles: model validation and forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jalon.accounts.forms import OrganisationSettingsForm, UserAccountForm
from jalon.accounts.models import Organisation, User
from tests.factories import make_client, make_org, make_user

pytestmark = pytest.mark.django_db


def settings_data(org: Organisation, **changes: str) -> dict[str, str]:
    data = {
        "name": org.name, "working_weekdays": "0,1,2,3,4", "hours_per_day": "7", "day_start": "09:00",
        "day_end": "18:00", "lunch_start": "12:00", "lunch_end": "14:00", "holiday_country": "FR",
        "holiday_subdivision": "", "currency": "EUR", "vat_rate": "20.00", "address": "", "siret": "",
        "vat_number": "",
    }
    return {**data, **changes}


def test_an_organisation_has_french_defaults() -> None:
    org = make_org()
    assert org.weekdays == (0, 1, 2, 3, 4)
    assert (org.day_start, org.lunch_start, org.lunch_end, org.day_end) == (
        dt.time(9), dt.time(12), dt.time(14), dt.time(18))
    assert (org.holiday_country, org.currency, org.vat_rate, org.hours_per_day) == ("FR", "EUR", 20, 7)


def test_alsace_moselle_is_a_known_subdivision_and_67_means_alsace() -> None:
    org = make_org(holiday_subdivision="57")
    org.full_clean()
    org.holiday_subdivision = "67"
    org.full_clean()
    assert org.holiday_subdivision == "6AE"


def test_it_names_an_unknown_holiday_subdivision() -> None:
    org = make_org(holiday_subdivision="99")
    with pytest.raises(ValidationError) as error:
        org.full_clean()
    assert "« 99 »" in error.value.message_dict["holiday_subdivision"][0]


def test_it_names_a_bad_working_weekday_in_the_form() -> None:
    org = make_org()
    form = OrganisationSettingsForm(data=settings_data(org, working_weekdays="0,1,8"), instance=org)
    assert not form.is_valid()
    assert "« 8 »" in form.errors["working_weekdays"][0]
    form = OrganisationSettingsForm(data=settings_data(org, working_weekdays="0,1,1"), instance=org)
    assert "mardi est répété" in form.errors["working_weekdays"][0]


def test_lunch_must_fit_in_the_working_day() -> None:
    org = make_org()
    form = OrganisationSettingsForm(data=settings_data(org, lunch_start="19:00", lunch_end="20:00"), instance=org)
    assert not form.is_valid()
    assert "pause déjeuner" in form.errors["lunch_end"][0]


def test_a_siret_has_fourteen_digits() -> None:
    org = make_org()
    form = OrganisationSettingsForm(data=settings_data(org, siret="123 456"), instance=org)
    assert "14 chiffres" in form.errors["siret"][0]


def test_role_labels_are_french() -> None:
    assert [str(label) for _, label in User.Role.choices] == [
        "Administrateur", "Chef de projet", "Membre de l'équipe", "Client"]


def test_a_client_user_needs_a_client() -> None:
    user = User(username="sans-client", organisation=make_org(), role=User.Role.CLIENT)
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "rattaché à un client" in error.value.message_dict["client"][0]


def test_only_a_client_user_may_have_a_client() -> None:
    client = make_client()
    user = User(username="chef-x", organisation=client.organisation, role=User.Role.MANAGER, client=client)
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "Chef de projet" in error.value.message_dict["client"][0]


def test_a_client_user_cannot_see_another_organisations_client() -> None:
    user = User(username="x", organisation=make_org(), role=User.Role.CLIENT, client=make_client())
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "autre organisation" in error.value.message_dict["client"][0]


def test_a_staff_user_needs_an_organisation_but_a_superuser_does_not() -> None:
    with pytest.raises(ValidationError) as error:
        User(username="orphan", password="x").full_clean()
    assert "organisation" in error.value.message_dict
    User(username="root", password="x", is_superuser=True).full_clean()


def test_the_account_form_reports_a_missing_client() -> None:
    admin = make_user(role=User.Role.ADMIN)
    form = UserAccountForm(
        data={"username": "nouveau", "role": "client", "language": "", "is_active": "on"},
        organisation=admin.organisation,
    )
    assert not form.is_valid()
    assert "rattaché à un client" in form.errors["client"][0]


def test_factories_make_each_role() -> None:
    for role in User.Role.values:
        user = make_user(role=role)
        assert user.role == role and user.check_password("jalon-test-pass")
        assert (user.client is not None) == (role == User.Role.CLIENT)
