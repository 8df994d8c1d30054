"""Meeting use cases on the database: who is proposed, which slots, booking, minutes, action
items becoming tasks, the calendar feed's secret."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from jalon.meetings import services
from jalon.meetings.models import Meeting, Participant, PersonCalendar
from jalon.meetings.services import SkillWanted
from jalon.people.models import Skill
from jalon.projects.models import Assignment, ProjectMember
from tests.factories import make_absence, make_assignment, make_person, make_task

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# The week of Ascension 2030: Monday 27 to Friday 31 May, Thursday 30 is a holiday.
MON, TUE, WED, THU, FRI = (dt.date(2030, 5, d) for d in range(27, 32))
TWO_HOURS = dt.timedelta(hours=2)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def book_existing(world, person, start, end, topic="Point client"):  # type: ignore[no-untyped-def]
    meeting = Meeting.objects.create(organisation=world.project_a.organisation, topic=topic, start=start, end=end)
    Participant.objects.create(meeting=meeting, person=person)
    return meeting


@pytest.fixture
def seo_team(world):  # type: ignore[no-untyped-def]
    org = world.project_a.organisation
    team = {
        "chloe": make_person(org, "Chloé", skills={"SEO": 5}, email="chloe@durand.fr"),
        "bruno": make_person(org, "Bruno", skills={"SEO": 4}, capacity=Decimal("0.8"), email="bruno@durand.fr"),
        "eve": make_person(org, "Eve", skills={"SEO": 3}),
        "david": make_person(org, "David", skills={"SEO": 2}),  # below the level asked
        "paul": make_person(org, "Paul", user=world.user("pm"), email="paul@durand.fr"),  # the organiser
    }
    make_absence(team["chloe"], MON)                                          # Monday off
    services.person_days_off_set(person=team["bruno"], weekdays_off=[1])      # 80 %: no Tuesdays
    book_existing(world, team["bruno"], at(WED, 9), at(WED, 12))              # Wednesday morning taken
    book_existing(world, team["paul"], at(FRI, 9), at(FRI, 10), "COPIL")      # the organiser's Friday 9-10
    book_existing(world, team["eve"], at(WED, 14), at(WED, 17, 30))
    return team


def propose(world, **kwargs):  # type: ignore[no-untyped-def]
    org = world.project_a.organisation
    seo = Skill.objects.get(organisation=org, name="SEO")
    window = services.meeting_window(org, MON, FRI, now=at(MON, 0) - dt.timedelta(days=1))
    return services.meeting_propose(organisation=org, skills_wanted=[SkillWanted(seo, 3)], duration=TWO_HOURS,
                                    window=window, project=world.project_a, organiser=world.user("pm"), **kwargs)


def starts(proposal) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{s.start:%a %d/%m %H:%M}" for s in proposal.slots]


def test_it_proposes_the_holders_of_the_skill_best_level_first_and_the_earliest_common_slots(world, seo_team):
    proposal = propose(world)

    assert [(p.person.first_name, p.invited) for p in proposal.people] == [("Chloé", True), ("Bruno", True), ("Eve", False)]
    # Monday: Chloé is on leave. Tuesday: Bruno's day off. Wednesday morning: Bruno's meeting.
    # Thursday: Ascension. Friday: the organiser is in a COPIL until 10:00.
    assert starts(proposal) == ["Wed 29/05 14:00", "Fri 31/05 10:00", "Fri 31/05 14:00"]
    assert proposal.complete
    # Eight half days (Thursday is off for all); each person's own constraints take some away.
    assert {p.person.first_name: p.free_half_days for p in proposal.people} == {"Chloé": 6, "Bruno": 5, "Eve": 7}


def test_a_day_overbooked_by_planned_work_is_not_proposed(world, seo_team):
    chloe = seo_team["chloe"]
    # Two working days (Thursday is a holiday) for 2 person-days: exactly full, not overbooked.
    make_assignment(make_task(world.project_a, "Audit SEO", effort_days=2, start=WED, finish=FRI), chloe)
    assert starts(propose(world)) == ["Wed 29/05 14:00", "Fri 31/05 10:00", "Fri 31/05 14:00"]
    # Another half day on Friday makes it 1.5 days of work on a 1-day Friday.
    make_assignment(make_task(world.project_a, "Balisage", effort_days="0.5", start=FRI, finish=FRI), chloe)
    assert starts(propose(world)) == ["Wed 29/05 14:00"]


def test_when_nobody_fits_it_proposes_partial_slots_naming_who_is_missing(world, seo_team):
    make_absence(seo_team["bruno"], WED, FRI)
    proposal = propose(world)

    assert not proposal.complete
    assert [(f"{s.start:%a %H:%M}", [proposal.names[k] for k in s.missing]) for s in proposal.slots] == [
        ("Mon 09:30", ["Chloé Test"]),
        ("Mon 14:00", ["Chloé Test"]),
        ("Tue 09:30", ["Bruno Test"]),
        ("Tue 14:00", ["Bruno Test"]),
        ("Wed 09:30", ["Bruno Test"]),
    ]


def test_the_manager_may_choose_whom_to_invite(world, seo_team):
    proposal = propose(world, invite=[seo_team["eve"]])
    assert [p.person.first_name for p in proposal.people if p.invited] == ["Eve"]
    assert starts(proposal)[:2] == ["Mon 27/05 09:30", "Mon 27/05 14:00"]  # Paul and Eve are free on Monday


def test_booking_invites_the_people_and_the_organiser_and_mails_an_ics(world, seo_team, django_capture_on_commit_callbacks):
    seo = Skill.objects.get(name="SEO")
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_book(
            organisation=world.project_a.organisation, organiser=world.user("pm"), kind="workshop",
            topic="Stratégie de mots-clés", start=at(WED, 14), end=at(WED, 16),
            participants=[seo_team["chloe"], seo_team["bruno"]], project=world.project_a,
            skills_wanted=[SkillWanted(seo, 3)],
        )

    responses = dict(meeting.attendance.values_list("person__first_name", "response"))
    assert responses == {"Chloé": "NEEDS-ACTION", "Bruno": "NEEDS-ACTION", "Paul": "ACCEPTED"}
    assert meeting.agenda.startswith("1. Objectif de l'atelier")
    assert not meeting.client_visible  # an expert workshop is internal by default
    assert meeting.sequence == 0 and meeting.uid.endswith("@jalon")
    [message] = mail.outbox
    assert sorted(message.to) == ["bruno@durand.fr", "chloe@durand.fr", "paul@durand.fr"]
    name, content, mimetype = message.attachments[0]
    assert mimetype.startswith("text/calendar; method=REQUEST")
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["UID"]) == meeting.uid and event["DTSTART"].params["TZID"] == "Europe/Paris"


def test_booking_a_slot_someone_has_meanwhile_lost_names_them(world, seo_team):
    args = dict(organisation=world.project_a.organisation, organiser=world.user("pm"), kind="workshop", topic="SEO",
                participants=[seo_team["chloe"]])
    with pytest.raises(ValidationError, match="Chloé Test n'est pas disponible sur ce créneau \\(Congés payés\\)"):
        services.meeting_book(start=at(MON, 14), end=at(MON, 16), **args)
    with pytest.raises(ValidationError, match="n'est pas un jour ouvré"):
        services.meeting_book(start=at(THU, 14), end=at(THU, 16), **args)
    services.meeting_book(start=at(WED, 14), end=at(WED, 16), **args)
    with pytest.raises(ValidationError, match="Chloé Test n'est pas disponible sur ce créneau \\(SEO\\)"):
        services.meeting_book(start=at(WED, 15), end=at(WED, 17), **args)


def test_cancelling_raises_the_sequence_so_calendars_replace_the_event(world, seo_team):
    meeting = book_existing(world, seo_team["chloe"], at(WED, 14), at(WED, 15))
    services.meeting_cancel(meeting=meeting, by=world.user("pm"))
    meeting.refresh_from_db()
    assert meeting.cancelled and meeting.sequence == 1
    # A cancelled meeting no longer blocks anybody.
    assert "Wed 29/05 14:00" in starts(propose(world))


def test_an_action_item_becomes_a_task_in_one_click(world, seo_team):
    meeting = book_existing(world, seo_team["chloe"], at(WED, 14), at(WED, 15))
    meeting.project = world.project_a
    meeting.save()
    item = services.action_item_add(meeting=meeting, text="Rédiger les balises title", owner=seo_team["eve"],
                                    due_date=dt.date(2030, 6, 14), by=world.user("pm"))

    task = services.action_item_to_task(item=item, by=world.user("pm"))

    assert (task.project, task.name, task.deadline) == (world.project_a, "Rédiger les balises title", dt.date(2030, 6, 14))
    assert list(Assignment.objects.filter(task=task).values_list("person__first_name", "pinned")) == [("Eve", True)]
    assert ProjectMember.objects.filter(project=world.project_a, person=seo_team["eve"]).exists()
    item.refresh_from_db()
    assert item.task == task
    with pytest.raises(ValidationError, match="est déjà devenue une tâche"):
        services.action_item_to_task(item=item, by=world.user("pm"))


def test_an_action_of_a_meeting_without_project_cannot_become_a_task(world, seo_team):
    meeting = book_existing(world, seo_team["chloe"], at(WED, 14), at(WED, 15), "Point interne")
    item = services.action_item_add(meeting=meeting, text="Relancer", owner=None, due_date=None, by=world.user("pm"))
    with pytest.raises(ValidationError, match="« Point interne » n'est rattachée à aucun projet"):
        services.action_item_to_task(item=item, by=world.user("pm"))


def test_the_feed_token_is_stored_hashed_and_can_be_revoked(world, seo_team):
    chloe = seo_team["chloe"]
    first = services.person_feed_token_regenerate(person=chloe)
    second = services.person_feed_token_regenerate(person=chloe)
    row = PersonCalendar.objects.get(person=chloe)

    assert first != second and len(second) >= 40
    assert row.feed_token_hash == services.feed_token_hash(second) and second not in row.feed_token_hash
    services.person_feed_token_revoke(person=chloe)
    assert PersonCalendar.objects.get(person=chloe).feed_token_hash is None


def test_days_off_must_be_working_days_and_leave_one(world, seo_team):
    with pytest.raises(ValidationError, match="déjà pas travaillés"):
        services.person_days_off_set(person=seo_team["eve"], weekdays_off=[5])
    with pytest.raises(ValidationError, match="au moins un jour travaillé"):
        services.person_days_off_set(person=seo_team["eve"], weekdays_off=[0, 1, 2, 3, 4])
