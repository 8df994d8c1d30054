"""Admin of the portal. Validations are records of a client's decision: read-only here, as in
the services (no add, no change, no delete)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from jalon.portal.models import ChangeRequest, DeliverableValidation, Feedback, SpecValidation


class ReadOnlyRecordAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "decision", "decided_by_name", "decided_at")
    list_filter = ("decision",)
    date_hierarchy = "decided_at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SpecValidation)
class SpecValidationAdmin(ReadOnlyRecordAdmin):
    list_select_related = ("version__spec__project",)


@admin.register(DeliverableValidation)
class DeliverableValidationAdmin(ReadOnlyRecordAdmin):
    list_select_related = ("deliverable",)


@admin.register(ChangeRequest)
class ChangeRequestAdmin(SimpleHistoryAdmin):
    list_display = ("title", "project", "status", "requested_by", "created_at", "new_end_date", "extra_days", "extra_cost")
    list_filter = ("status",)
    list_select_related = ("project", "requested_by")
    search_fields = ("title", "description", "project__name")
    readonly_fields = ("created_at", "triaged_at", "previous_end_date", "new_end_date", "extra_days",
                       "extra_effort_days", "extra_cost", "plan_run", "created_tasks")
    raw_id_fields = ("project", "requested_by", "triaged_by")


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("project", "author", "created_at")
    list_select_related = ("project", "author")
    search_fields = ("message", "project__name")
    raw_id_fields = ("project", "author")
