from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jalon.projects.models import (
    Assignment,
    Client,
    Deliverable,
    Dependency,
    Phase,
    Project,
    ProjectMember,
    Task,
    TaskSkill,
)
from jalon.projects.services import save_versioned


class VersionedAdmin(admin.ModelAdmin):
    """Edits through the admin bump the version too, so an open web form sees them as stale."""

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        save_versioned(obj, expected_version=obj.version)


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_name", "contact_email", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name", "contact_name", "contact_email", "siret"]


class ProjectMemberInline(admin.TabularInline):
    model = ProjectMember
    extra = 1
    autocomplete_fields = ["person"]


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = ["name", "order", "parent"]


@admin.register(Project)
class ProjectAdmin(VersionedAdmin):
    list_display = ["name", "code", "client", "project_type", "status", "manager", "start_date", "deadline", "priority"]
    list_filter = ["status", "project_type", "organisation", "priority"]
    list_select_related = ["client", "manager"]
    search_fields = ["name", "code", "client__name"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["client", "manager"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [ProjectMemberInline, PhaseInline]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "order", "parent"]
    list_filter = ["project__organisation"]
    search_fields = ["name", "project__name"]
    autocomplete_fields = ["project", "parent"]


class PredecessorInline(admin.TabularInline):
    """A task's predecessors. Each link is checked by Dependency.clean(); since every new link
    of one submission ends at this task, any cycle goes through exactly one of them."""

    model = Dependency
    fk_name = "successor"
    extra = 1
    autocomplete_fields = ["predecessor"]
    verbose_name = _("tâche précédente")
    verbose_name_plural = _("tâches précédentes")


class SuccessorInline(admin.TabularInline):
    """Read only: links are edited on the successor's page (its predecessors), so that one
    formset holds every link of a submission and sees any cycle they close together."""

    model = Dependency
    fk_name = "predecessor"
    extra = 0
    fields = ["successor", "type", "lag_days"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True
    verbose_name = _("tâche suivante")
    verbose_name_plural = _("tâches suivantes")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TaskSkillInline(admin.TabularInline):
    model = TaskSkill
    extra = 1
    autocomplete_fields = ["skill"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Task)
class TaskAdmin(VersionedAdmin):
    list_display = ["name", "project", "phase", "effort_days", "is_milestone", "start", "finish", "deadline", "priority"]
    list_filter = ["is_milestone", "project__organisation", "project"]
    list_select_related = ["project", "phase"]
    search_fields = ["name", "project__name", "project__code"]
    autocomplete_fields = ["project", "phase"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [TaskSkillInline, AssignmentInline, PredecessorInline, SuccessorInline]


@admin.register(Dependency)
class DependencyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "predecessor", "successor", "type", "lag_days"]
    list_filter = ["type", "predecessor__project__organisation"]
    list_select_related = ["predecessor", "successor"]
    search_fields = ["predecessor__name", "successor__name"]
    autocomplete_fields = ["predecessor", "successor"]


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "task", "due_date", "status"]
    list_filter = ["status", "project__organisation"]
    list_select_related = ["project", "task"]
    search_fields = ["name", "project__name"]
    autocomplete_fields = ["project", "task", "requirements"]
