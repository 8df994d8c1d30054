"""Read queries for meetings: what a user may see, who is busy when (as the slot finder's
`Attendee`s), and the events of the iCalendar files."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from jalon.accounts.models import Organisation
from jalon.engine.calendar import WorkCalendar
from jalon.engine.slots import Attendee, Busy, WorkingHours, absence_busy, overbooked_days, whole_days_busy
from jalon.formats.ical import AllDayEvent, CalendarUser, TimedEvent
from jalon.meetings.models import ActionItem, Meeting, Participant, PersonCalendar
from jalon.people.models import Absence, Person
from jalon.people.selectors import organisation_calendar
from jalon.projects.models import Assignment, Project, ProjectMember, Task
from jalon.projects.permissions import AnyUser, Role, role_of
from jalon.projects.selectors import projects_visible_to

FEED_HISTORY = dt.timedelta(days=90)  # a feed keeps the recent past: last week's minutes stay one click away
MEETING_MARGIN = dt.timedelta(minutes=30)  # "rarely before 9:30 or after 17:30" in a 9:00-18:00 day


def meetings_visible_to(user: AnyUser) -> QuerySet[Meeting]:
    """Every meeting this user may open; empty for anonymous visitors. See permissions.py."""
    role = role_of(user)
    if role is None:
        return Meeting.objects.none()
    in_org = Meeting.objects.filter(organisation_id=user.organisation_id)
    if role == Role.ADMIN:
        return in_org
    if role == Role.CLIENT:
        if not user.client_id:
            return Meeting.objects.none()
        return in_org.filter(client_visible=True, project__client_id=user.client_id)
    invited_to = Participant.objects.filter(person__user=user).values("meeting_id")
    return in_org.filter(
        Q(organiser=user) | Q(pk__in=invited_to) | Q(project__in=projects_visible_to(user).values("pk"))
    )


def meeting_rows(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """The list rows: project, organiser and head count in one query."""
    return meetings.select_related("project", "organiser").annotate(
        headcount=Count("attendance", distinct=True)
    ).order_by("-start", "pk")


def meeting_page_data(meeting: Meeting) -> dict[str, object]:
    return {
        "attendance": list(meeting.attendance.select_related("person").order_by("person__first_name")),
        "skills_wanted": list(meeting.skills_wanted.select_related("skill")),
        "decisions": list(meeting.decisions.all()),
        "action_items": list(meeting.action_items.select_related("owner", "task")),
    }


def person_days_off(person: Person) -> frozenset[int]:
    settings_row = PersonCalendar.objects.filter(person=person).first()
    return settings_row.days_off if settings_row else frozenset()


# --- who is busy when --------------------------------------------------------------------------


def organisation_zone() -> ZoneInfo:
    # One zone for the whole installation (settings.TIME_ZONE, Europe/Paris by default).
    return ZoneInfo(settings.TIME_ZONE)


def meeting_hours(organisation: Organisation) -> WorkingHours:
    """The organisation's day and lunch, with meetings kept half an hour inside the day."""
    day = dt.date(2000, 1, 3)
    earliest = (dt.datetime.combine(day, organisation.day_start) + MEETING_MARGIN).time()
    latest_end = (dt.datetime.combine(day, organisation.day_end) - MEETING_MARGIN).time()
    return WorkingHours(
        day_start=organisation.day_start, day_end=organisation.day_end,
        lunch=(organisation.lunch_start, organisation.lunch_end),
        earliest=earliest, latest_end=latest_end,
    )


def attendees_for(
    people: Sequence[Person],
    *,
    organisation: Organisation,
    window: tuple[dt.datetime, dt.datetime],
    calendar: WorkCalendar,
    ignore_meeting: Meeting | None = None,
) -> list[Attendee]:
    """Each person's busy intervals over the window: absences (with half days), meetings they
    attend, and the days their planned work overbooks them; with their weekly days off."""
    ids = [p.pk for p in people]
    zone = organisation_zone()
    busy: dict[int, list[Busy]] = defaultdict(list)
    first_day, last_day = window[0].astimezone(zone).date(), window[1].astimezone(zone).date()
    for absence in Absence.objects.filter(person_id__in=ids, start__lte=last_day, end__gte=first_day):
        busy[absence.person_id].append(absence_busy(
            absence.start, absence.end, zone=zone, start_afternoon=absence.start_afternoon,
            end_morning=absence.end_morning, midday=organisation.lunch_start, reason=absence.get_kind_display(),
        ))
    attending = Participant.objects.filter(
        person_id__in=ids, meeting__cancelled=False, meeting__start__lt=window[1], meeting__end__gt=window[0],
    ).exclude(response=Participant.Response.DECLINED).select_related("meeting")
    if ignore_meeting is not None:
        attending = attending.exclude(meeting=ignore_meeting)
    for row in attending:
        busy[row.person_id].append(Busy(row.meeting.start, row.meeting.end, row.meeting.topic))
    for person in people:
        days = overbooked_days(_planned_work(person, first_day, last_day, calendar),
                               capacity=float(person.capacity), calendar=calendar)
        busy[person.pk].extend(whole_days_busy(days, zone, gettext("planning surchargé")))
    days_off = {
        row.person_id: row.days_off for row in PersonCalendar.objects.filter(person_id__in=ids).exclude(weekdays_off="")
    }
    return [
        Attendee(p.pk, busy=tuple(busy[p.pk]), days_off=days_off.get(p.pk, frozenset()), name=p.full_name)
        for p in people
    ]


def _planned_work(person: Person, first: dt.date, last: dt.date, calendar: WorkCalendar) -> list[tuple[dt.date, dt.date, float]]:
    """(first day, last day, load per working day) of the person's planned tasks in the range.
    A task's effort is shared by its assignees over the working days of its planned span."""
    tasks = (
        Task.objects.filter(assignments__person=person, start__isnull=False, finish__isnull=False,
                            start__lte=last, finish__gte=first, is_milestone=False)
        .annotate(assignees=Count("assignments"))
    )
    work = []
    for task in tasks:
        days = calendar.working_days_between(task.start, task.finish + dt.timedelta(days=1))
        if days > 0 and task.effort_days > 0:
            work.append((task.start, task.finish, float(task.effort_days) / (task.assignees * days)))
    return work


# --- iCalendar events ----------------------------------------------------------------------------


def meeting_event(meeting: Meeting, *, fallback_email: str, url: str = "") -> TimedEvent:
    """A meeting as the iCalendar writer's event. People without an e-mail address cannot be
    ATTENDEEs (a cal-address is an e-mail URI): they are listed in the description instead."""
    attendance = list(meeting.attendance.select_related("person"))
    with_email = [a for a in attendance if a.person.email]
    without = [a.person.full_name for a in attendance if not a.person.email]
    description = meeting.agenda
    if without:
        description += "\n\n" + "Participants sans adresse e-mail : " + ", ".join(without)
    if meeting.video_url:
        description = f"Visio : {meeting.video_url}\n\n{description}"
    organiser = meeting.organiser
    organiser_user = CalendarUser(
        str(organiser) if organiser else "Jalon", (organiser.email if organiser and organiser.email else fallback_email)
    )
    return TimedEvent(
        uid=meeting.uid, start=meeting.start, end=meeting.end,
        summary=f"{meeting.get_kind_display()} — {meeting.topic}",
        description=description.strip(), location=meeting.location or meeting.video_url, url=url,
        organiser=organiser_user,
        attendees=tuple(CalendarUser(a.person.full_name, a.person.email, partstat=a.response) for a in with_email),
        sequence=meeting.sequence, status="CANCELLED" if meeting.cancelled else "CONFIRMED",
        categories=(str(meeting.get_kind_display()),),
    )


def _milestone_events(tasks: Iterable[Task], domain: str) -> list[AllDayEvent]:
    events = []
    for task in tasks:
        day = task.finish or task.deadline
        if day is not None:
            events.append(AllDayEvent(f"milestone-{task.pk}@{domain}", day, day, f"◆ {task.name}",
                                      description=str(task.project), categories=("Jalon",)))
    return events


def _assignment_events(assignments: Iterable[Assignment], domain: str, *, with_names: bool) -> list[AllDayEvent]:
    return [
        AllDayEvent(
            f"assignment-{a.pk}@{domain}", a.task.start, a.task.finish,
            f"{a.task.name} — {a.person.full_name}" if with_names else a.task.name,
            description=str(a.task.project), categories=("Affectation",),
        )
        for a in assignments
        if a.task.start and a.task.finish
    ]


def person_feed_events(person: Person, *, domain: str, fallback_email: str, now: dt.datetime | None = None) -> list[TimedEvent | AllDayEvent]:
    """The personal feed: meetings the person attends, milestones of their projects, their
    assignments; from three months ago on."""
    since = (now or timezone.now()) - FEED_HISTORY
    meetings = Meeting.objects.filter(attendance__person=person, cancelled=False, end__gte=since).select_related("organiser")
    projects = Project.objects.filter(
        Q(pk__in=ProjectMember.objects.filter(person=person).values("project_id"))
        | Q(pk__in=Assignment.objects.filter(person=person).values("task__project_id"))
    )
    milestones = Task.objects.filter(project__in=projects, is_milestone=True).select_related("project")
    assignments = Assignment.objects.filter(person=person, task__finish__gte=since.date(), task__is_milestone=False).select_related("task", "task__project", "person")
    return [
        *(meeting_event(m, fallback_email=fallback_email) for m in meetings),
        *_milestone_events(milestones, domain),
        *_assignment_events(assignments, domain, with_names=False),
    ]


def project_calendar_events(project: Project, user: AnyUser, *, domain: str, fallback_email: str) -> list[TimedEvent | AllDayEvent]:
    """A project's milestones and meetings as this user may see them; assignments (who works
    on what, when) only for the agency's staff, not for clients."""
    meetings = meetings_visible_to(user).filter(project=project, cancelled=False).select_related("organiser")
    milestones = project.tasks.filter(is_milestone=True).select_related("project")
    events: list[TimedEvent | AllDayEvent] = [
        *(meeting_event(m, fallback_email=fallback_email) for m in meetings),
        *_milestone_events(milestones, domain),
    ]
    if role_of(user) != Role.CLIENT:
        assignments = Assignment.objects.filter(task__project=project, task__is_milestone=False).select_related("task", "task__project", "person")
        events += _assignment_events(assignments, domain, with_names=True)
    return events


def open_action_items(meeting: Meeting) -> QuerySet[ActionItem]:
    return meeting.action_items.filter(done=False).select_related("owner", "task")


def people_with_prefetched_skills(organisation: Organisation) -> QuerySet[Person]:
    from jalon.people.models import PersonSkill

    return organisation.people.filter(active=True).prefetch_related(
        Prefetch("skills", queryset=PersonSkill.objects.select_related("skill"))
    )


def calendar_for(organisation: Organisation, day: dt.date) -> WorkCalendar:
    return organisation_calendar(organisation, day)
