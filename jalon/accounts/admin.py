from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jalon.accounts.models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "holiday_country", "holiday_subdivision", "hours_per_day", "currency", "vat_rate"]
    search_fields = ["name", "siret"]
    fieldsets = [
        (None, {"fields": ["name"]}),
        (_("Calendrier de travail"), {"fields": [
            "working_weekdays", "hours_per_day", ("day_start", "day_end"), ("lunch_start", "lunch_end"),
            ("holiday_country", "holiday_subdivision"),
        ]}),
        (_("Facturation et devis"), {"fields": ["currency", "vat_rate", "address", "siret", "vat_number"]}),
    ]


class UserCreationWithRoleForm(AdminUserCreationForm):
    """The admin's creation form must carry organisation, role and client: User.clean() checks them."""

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username", "organisation", "role", "client"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationWithRoleForm
    list_display = ["username", "get_full_name", "organisation", "role", "client", "is_active"]
    list_filter = ["role", "organisation", "is_active", "is_superuser"]
    list_select_related = ["organisation", "client"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["organisation", "client"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (pgettext_lazy("product name", "Jalon"), {"fields": ["organisation", "role", "client", "language"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": [
            "username", "organisation", "role", "client", "usable_password", "password1", "password2",
        ]}),
    ]
