from django.contrib import admin

from jalon.meetings.models import ActionItem, Decision, Meeting, MeetingSkillWanted, Participant, PersonCalendar


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ["person"]


class SkillWantedInline(admin.TabularInline):
    model = MeetingSkillWanted
    extra = 0


class DecisionInline(admin.StackedInline):
    model = Decision
    extra = 0


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    raw_id_fields = ["task"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["topic", "kind", "start", "project", "organiser", "client_visible", "cancelled"]
    list_filter = ["organisation", "kind", "client_visible", "cancelled"]
    list_select_related = ["project", "organiser"]
    search_fields = ["topic", "agenda", "minutes"]
    date_hierarchy = "start"
    readonly_fields = ["uid", "sequence"]
    inlines = [ParticipantInline, SkillWantedInline, DecisionInline, ActionItemInline]


@admin.register(PersonCalendar)
class PersonCalendarAdmin(admin.ModelAdmin):
    # The token itself is never stored; the admin shows only when the link was made.
    list_display = ["person", "weekdays_off", "feed_token_created_at"]
    readonly_fields = ["feed_token_created_at"]
    search_fields = ["person__first_name", "person__last_name"]
