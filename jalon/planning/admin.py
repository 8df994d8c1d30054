from django.contrib import admin

from jalon.planning.models import Baseline, BaselineTask


class BaselineTaskInline(admin.TabularInline):
    model = BaselineTask
    extra = 0
    fields = ["task", "task_name", "start", "finish", "effort_days"]
    autocomplete_fields = ["task"]


@admin.register(Baseline)
class BaselineAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "created_at", "created_by"]
    list_filter = ["project__organisation"]
    list_select_related = ["project", "created_by"]
    search_fields = ["name", "project__name", "project__code"]
    autocomplete_fields = ["project", "created_by"]
    readonly_fields = ["created_at"]
    inlines = [BaselineTaskInline]
