"""Meeting use cases: propose people and slots, book, take minutes, turn an action into a task,
and manage a person's calendar feed. One function per use case, each in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalon.accounts.models import Organisation, User, parse_weekdays
from jalon.engine.slots import Slot, find_best_slots, find_common_slots
from jalon.formats.ical import meeting_invitation
from jalon.meetings.agenda_templates import AGENDA_TEMPLATES, agenda_for
from jalon.meetings.models import ActionItem, Decision, Meeting, MeetingSkillWanted, Participant, PersonCalendar
from jalon.meetings.selectors import (
    attendees_for,
    calendar_for,
    meeting_event,
    meeting_hours,
    organisation_zone,
    people_with_prefetched_skills,
)
from jalon.people.models import Person, Skill
from jalon.projects.models import Assignment, Project, ProjectMember, Task

logger = logging.getLogger(__name__)

EXPERTS_PER_SKILL = 2  # a workshop needs the expertise at the table, not everyone who has it
ACTION_EFFORT_DAYS = Decimal("0.5")  # an action is a short piece of work; the PM re-estimates it


@dataclass(frozen=True)
class SkillWanted:
    skill: Skill
    min_level: int


@dataclass
class ProposedPerson:
    """Someone holding at least one wanted skill, with their levels and how free they are."""

    person: Person
    levels: list[tuple[Skill, int]]  # the wanted skills they hold at the level or above
    covers_all: bool
    free_half_days: int  # half days in the window with a slot of the meeting's length free
    invited: bool = False


@dataclass
class Proposal:
    people: list[ProposedPerson]
    invited: list[Person]
    slots: list[Slot]
    window: tuple[dt.datetime, dt.datetime]
    duration: dt.timedelta
    names: dict[int, str] = field(default_factory=dict)  # person pk -> name, for "who is missing"

    @property
    def complete(self) -> bool:
        return bool(self.slots) and self.slots[0].complete


def meeting_window(organisation: Organisation, first_day: dt.date, last_day: dt.date, *, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """[first_day 00:00, the day after last_day 00:00) in the organisation's zone, never before now."""
    if last_day < first_day:
        raise ValidationError(_("La fenêtre finit (%(end)s) avant de commencer (%(start)s).")
                              % {"end": f"{last_day:%d/%m/%Y}", "start": f"{first_day:%d/%m/%Y}"})
    zone = organisation_zone()
    start = dt.datetime.combine(first_day, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    now = (now or timezone.now()).astimezone(zone)
    if end <= now:
        raise ValidationError(_("La fenêtre est entièrement passée : choisissez des dates à venir."))
    return max(start, now), end


def meeting_propose(
    *,
    organisation: Organisation,
    skills_wanted: Sequence[SkillWanted],
    duration: dt.timedelta,
    window: tuple[dt.datetime, dt.datetime],
    project: Project | None = None,
    organiser: User | None = None,
    invite: Sequence[Person] | None = None,
    limit: int = 5,
) -> Proposal:
    """The people who hold the wanted skills, best first (skills covered, levels, then
    availability), and the earliest slots when the invited ones (by default the two best holders
    of each skill) and the organiser are all free; the best partial slots when none fits all."""
    if not skills_wanted and invite is None:
        raise ValidationError(_("Indiquez au moins une compétence recherchée ou les personnes à inviter."))
    calendar = calendar_for(organisation, window[0].date())
    hours = meeting_hours(organisation)
    holders = _holders(organisation, skills_wanted)
    free = {a.key: len(find_common_slots([a], *window, duration, calendar=calendar, limit=None, one_per_half_day=True,
                                         day_start=hours.day_start, day_end=hours.day_end, lunch=hours.lunch,
                                         earliest=hours.earliest, latest_end=hours.latest_end))
            for a in attendees_for([h.person for h in holders], organisation=organisation, window=window, calendar=calendar)}
    for holder in holders:
        holder.free_half_days = free[holder.person.pk]
    holders.sort(key=lambda h: (not h.covers_all, -len(h.levels), -sum(level for _, level in h.levels),
                                -h.free_half_days, h.person.full_name))
    invited = list(invite) if invite is not None else _default_invitees(holders, skills_wanted)
    for holder in holders:
        holder.invited = holder.person in invited
    around_table = _with_organiser(invited, organiser)
    attendees = attendees_for(around_table, organisation=organisation, window=window, calendar=calendar)
    slots = find_best_slots(attendees, *window, duration, calendar=calendar, hours=hours, limit=limit)
    return Proposal(holders, invited, slots, window, duration, {p.pk: p.full_name for p in around_table})


def _holders(organisation: Organisation, skills_wanted: Sequence[SkillWanted]) -> list[ProposedPerson]:
    holders = []
    for person in people_with_prefetched_skills(organisation):
        held = {ps.skill_id: ps.level for ps in person.skills.all()}
        levels = [(w.skill, held[w.skill.pk]) for w in skills_wanted if held.get(w.skill.pk, 0) >= w.min_level]
        if levels:
            holders.append(ProposedPerson(person, levels, len(levels) == len(skills_wanted), 0))
    return holders


def _default_invitees(holders: list[ProposedPerson], skills_wanted: Sequence[SkillWanted]) -> list[Person]:
    chosen: list[Person] = []
    for wanted in skills_wanted:
        # Best level first, then the freest: `holders` is already sorted by availability.
        ranked = sorted((h for h in holders if any(s.pk == wanted.skill.pk for s, _ in h.levels)),
                        key=lambda h: -dict((s.pk, lv) for s, lv in h.levels)[wanted.skill.pk])
        for holder in ranked[:EXPERTS_PER_SKILL]:
            if holder.person not in chosen:
                chosen.append(holder.person)
    return chosen


def _with_organiser(people: Sequence[Person], organiser: User | None) -> list[Person]:
    own = Person.objects.filter(user=organiser).first() if organiser is not None else None
    return [*people, own] if own is not None and own not in people else list(people)


@transaction.atomic
def meeting_book(
    *,
    organisation: Organisation,
    organiser: User,
    kind: str,
    topic: str,
    start: dt.datetime,
    end: dt.datetime,
    participants: Sequence[Person],
    project: Project | None = None,
    skills_wanted: Sequence[SkillWanted] = (),
    location: str = "",
    video_url: str = "",
    client_visible: bool | None = None,
    agenda: str | None = None,
) -> Meeting:
    """Book the meeting, invite the participants (and the organiser's own collaborator record)
    and e-mail them the invitation. Refuses a slot where someone has become busy meanwhile."""
    if not participants:
        raise ValidationError(_("Invitez au moins une personne."))
    strangers = [p.full_name for p in participants if p.organisation_id != organisation.pk]
    if strangers:
        raise ValidationError(_("Ces personnes n'appartiennent pas à l'organisation : %(names)s.") % {"names": ", ".join(strangers)})
    around_table = _with_organiser(participants, organiser)
    _check_still_free(organisation, around_table, start, end)
    if kind not in AGENDA_TEMPLATES:
        raise ValidationError({"kind": _("Type de réunion inconnu : « %(kind)s ».") % {"kind": kind}})
    template = AGENDA_TEMPLATES[kind]
    meeting = Meeting(
        organisation=organisation, project=project, kind=kind, topic=topic, start=start, end=end,
        location=location, video_url=video_url, organiser=organiser,
        agenda=agenda if agenda is not None else agenda_for(kind),
        client_visible=client_visible if client_visible is not None else bool(template.client_visible and project is not None and project.client_id),
    )
    meeting.full_clean()
    meeting.save()
    own = around_table[len(participants):]
    Participant.objects.bulk_create(
        [Participant(meeting=meeting, person=p) for p in participants]
        + [Participant(meeting=meeting, person=p, response=Participant.Response.ACCEPTED) for p in own]
    )
    MeetingSkillWanted.objects.bulk_create(
        [MeetingSkillWanted(meeting=meeting, skill=w.skill, min_level=w.min_level) for w in skills_wanted]
    )
    transaction.on_commit(lambda: _send_invitation(meeting, method="REQUEST"))
    return meeting


def _check_still_free(organisation: Organisation, people: Sequence[Person], start: dt.datetime, end: dt.datetime) -> None:
    calendar = calendar_for(organisation, start.date())
    if not calendar.is_working(start.astimezone(organisation_zone()).date()):
        raise ValidationError(_("Le %(day)s n'est pas un jour ouvré.") % {"day": f"{start.astimezone(organisation_zone()):%d/%m/%Y}"})
    for attendee in attendees_for(people, organisation=organisation, window=(start, end), calendar=calendar):
        if not attendee.is_free(start, end):
            reasons = [b.reason for b in attendee.busy if b.overlaps(start, end)] or [_("jour non travaillé")]
            raise ValidationError(_("%(name)s n'est pas disponible sur ce créneau (%(reason)s).")
                                  % {"name": attendee.name, "reason": ", ".join(reasons)})


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User) -> Meeting:
    """Call the meeting off: calendars receive a CANCEL with a higher SEQUENCE."""
    meeting.cancelled = True
    meeting.sequence += 1
    meeting.save(update_fields=["cancelled", "sequence", "updated_at"])
    transaction.on_commit(lambda: _send_invitation(meeting, method="CANCEL"))
    return meeting


def meeting_record_minutes(*, meeting: Meeting, minutes: str, by: User) -> Meeting:
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes", "updated_at"])
    return meeting


def decision_add(*, meeting: Meeting, text: str, by: User) -> Decision:
    if not text.strip():
        raise ValidationError({"text": _("La décision est vide.")})
    return Decision.objects.create(meeting=meeting, text=text.strip())


def action_item_add(*, meeting: Meeting, text: str, owner: Person | None, due_date: dt.date | None, by: User) -> ActionItem:
    item = ActionItem(meeting=meeting, text=text.strip(), owner=owner, due_date=due_date)
    item.full_clean()
    item.save()
    return item


def action_item_set_done(*, item: ActionItem, done: bool, by: User) -> ActionItem:
    item.done = done
    item.save(update_fields=["done"])
    return item


@transaction.atomic
def action_item_to_task(*, item: ActionItem, by: User, effort_days: Decimal = ACTION_EFFORT_DAYS) -> Task:
    """One click: a task in the meeting's project named after the action, its owner assigned
    (pinned, and made a project member so they see it), its due date as the deadline."""
    item = ActionItem.objects.select_for_update(of=("self",)).select_related("meeting__project", "owner").get(pk=item.pk)
    if item.task_id is not None:
        raise ValidationError(_("L'action « %(text)s » est déjà devenue une tâche.") % {"text": item.text})
    project = item.meeting.project
    if project is None:
        raise ValidationError(_("La réunion « %(topic)s » n'est rattachée à aucun projet : l'action ne peut pas y devenir une tâche.")
                              % {"topic": item.meeting.topic})
    last_order = project.tasks.order_by("-order").values_list("order", flat=True).first() or 0
    task = Task(
        project=project, name=item.text[:200], effort_days=effort_days, deadline=item.due_date, order=last_order + 1,
        description=_("Action décidée en réunion : %(meeting)s du %(day)s.")
        % {"meeting": item.meeting, "day": f"{item.meeting.start.astimezone(organisation_zone()):%d/%m/%Y}"},
    )
    task.full_clean()
    task.save()
    if item.owner is not None:
        Assignment.objects.create(task=task, person=item.owner, pinned=True)
        ProjectMember.objects.get_or_create(project=project, person=item.owner)
    item.task = task
    item.save(update_fields=["task"])
    return task


# --- calendar settings and the secret feed --------------------------------------------------------


def feed_token_hash(token: str) -> str:
    """SHA-256 of the token: the database never holds a usable feed URL. A plain hash is
    enough (no salt, no slow hashing): the token carries 256 random bits."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def person_feed_token_regenerate(*, person: Person) -> str:
    """A new secret for the person's feed; the old URL stops working. Returns the token, which
    is shown once and not stored."""
    token = secrets.token_urlsafe(32)
    row, _created = PersonCalendar.objects.select_for_update().get_or_create(person=person)
    row.feed_token_hash = feed_token_hash(token)
    row.feed_token_created_at = timezone.now()
    row.save(update_fields=["feed_token_hash", "feed_token_created_at"])
    return token


def person_feed_token_revoke(*, person: Person) -> None:
    PersonCalendar.objects.filter(person=person).update(feed_token_hash=None, feed_token_created_at=None)


def person_days_off_set(*, person: Person, weekdays_off: Sequence[int]) -> PersonCalendar:
    working = set(parse_weekdays(person.organisation.working_weekdays))
    strays = sorted(set(weekdays_off) - working)
    if strays:
        raise ValidationError(_("Ces jours ne sont déjà pas travaillés dans l'organisation : %(days)s.")
                              % {"days": ", ".join(str(d) for d in strays)})
    if working and working <= set(weekdays_off):
        raise ValidationError(_("Il faut garder au moins un jour travaillé dans la semaine."))
    row, _created = PersonCalendar.objects.get_or_create(person=person)
    row.weekdays_off = ",".join(str(d) for d in sorted(set(weekdays_off)))
    row.full_clean()
    row.save(update_fields=["weekdays_off"])
    return row


def _send_invitation(meeting: Meeting, *, method: str) -> None:
    """E-mail the .ics to the participants who have an address (Django's e-mail backend:
    console or file by default, SMTP by settings)."""
    recipients = [p.email for p in meeting.participants.exclude(email="")]
    if not recipients:
        return
    event = meeting_event(meeting, fallback_email=settings.DEFAULT_FROM_EMAIL)
    data = meeting_invitation(event, stamp=timezone.now(), zone=settings.TIME_ZONE, method=method)
    subject = (_("Annulation : %(meeting)s") if method == "CANCEL" else _("Invitation : %(meeting)s")) % {"meeting": meeting}
    message = EmailMessage(subject, meeting.agenda, settings.DEFAULT_FROM_EMAIL, recipients)
    message.attach("invitation.ics", data, f"text/calendar; method={method}; charset=utf-8")
    try:
        message.send()
    except OSError:
        # The meeting is booked whatever the mail server says; the .ics stays downloadable.
        logger.exception("could not e-mail the invitation of meeting %s", meeting.pk)
