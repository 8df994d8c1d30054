from django.contrib import admin

from jalon.jobs.models import JobProgress


@admin.register(JobProgress)
class JobProgressAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "project", "requested_by", "status", "percent", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["task_result_id", "result", "created_at", "updated_at"]
    list_select_related = ["project", "requested_by"]
