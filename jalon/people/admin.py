from django.contrib import admin

from jalon.people.models import Absence, Person, PersonSkill, Skill


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "organisation"]
    list_filter = ["organisation", "category"]
    search_fields = ["name", "category"]


class PersonSkillInline(admin.TabularInline):
    model = PersonSkill
    extra = 1
    autocomplete_fields = ["skill"]


class AbsenceInline(admin.TabularInline):
    model = Absence
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "job_title", "organisation", "daily_rate", "capacity", "active"]
    list_filter = ["organisation", "active", "job_title"]
    list_select_related = ["organisation"]
    search_fields = ["first_name", "last_name", "job_title", "email"]
    autocomplete_fields = ["user"]
    inlines = [PersonSkillInline, AbsenceInline]


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "start", "end", "start_afternoon", "end_morning"]
    list_filter = ["kind", "person__organisation"]
    list_select_related = ["person"]
    search_fields = ["person__first_name", "person__last_name", "note"]
    date_hierarchy = "start"
    autocomplete_fields = ["person"]
