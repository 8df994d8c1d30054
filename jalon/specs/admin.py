from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from jalon.specs.models import Requirement, Spec, SpecVersion


class SpecVersionInline(admin.TabularInline):
    model = SpecVersion
    extra = 0
    fields = ["number", "status", "created_by", "validated_by", "validated_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False


@admin.register(Spec)
class SpecAdmin(admin.ModelAdmin):
    list_display = ["__str__", "project", "created_at"]
    list_filter = ["project__organisation"]
    search_fields = ["project__name", "project__code"]
    autocomplete_fields = ["project"]
    inlines = [SpecVersionInline]


class RequirementInline(admin.StackedInline):
    model = Requirement
    extra = 0
    fields = [("code", "priority", "order"), "title", "description", "acceptance_criteria", "tasks"]
    autocomplete_fields = ["tasks"]

    def has_delete_permission(self, request: HttpRequest, obj: SpecVersion | None = None) -> bool:
        # A validated version is frozen: its requirements cannot be removed either.
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen)


@admin.register(SpecVersion)
class SpecVersionAdmin(admin.ModelAdmin):
    list_display = ["spec", "number", "status", "created_by", "submitted_at", "validated_by", "validated_at"]
    list_filter = ["status", "spec__project__organisation"]
    list_select_related = ["spec__project", "created_by", "validated_by"]
    search_fields = ["spec__project__name", "spec__project__code"]
    autocomplete_fields = ["spec", "created_by", "validated_by"]
    readonly_fields = ["created_at"]
    inlines = [RequirementInline]

    def has_delete_permission(self, request: HttpRequest, obj: SpecVersion | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen)

    def get_actions(self, request: HttpRequest) -> dict:
        # The bulk delete action bypasses the frozen guard of SpecVersion.delete().
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "priority", "version"]
    list_filter = ["priority", "version__status", "version__spec__project__organisation"]
    list_select_related = ["version__spec__project"]
    search_fields = ["code", "title", "description"]
    autocomplete_fields = ["version", "tasks"]

    def has_delete_permission(self, request: HttpRequest, obj: Requirement | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and obj.version.is_frozen)

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
