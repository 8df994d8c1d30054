"""The .ics downloads and the personal feed: every file parses with `icalendar`, carries UID,
DTSTAMP and the Paris time zone, and shows each role only what it may see."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from jalon.meetings import services
from jalon.meetings.models import Meeting, Participant
from jalon.people.models import Person

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
WED = dt.date(2030, 5, 29)


@pytest.fixture
def calendar_world(world):  # type: ignore[no-untyped-def]
    org = world.project_a.organisation
    mona = Person.objects.get(user=world.user("member"))
    mona.email = "mona@durand.fr"
    mona.save()

    def meeting(topic, hour, client_visible=False, project=world.project_a):  # type: ignore[no-untyped-def]
        m = Meeting.objects.create(organisation=org, project=project, organiser=world.user("pm"), topic=topic, kind="steering",
                                   start=dt.datetime.combine(WED, dt.time(hour), tzinfo=PARIS),
                                   end=dt.datetime.combine(WED, dt.time(hour + 1), tzinfo=PARIS), client_visible=client_visible)
        Participant.objects.create(meeting=m, person=mona)
        return m

    internal = meeting("Atelier interne", 10)
    shared = meeting("COPIL de mai", 14, client_visible=True)
    task = world.project_a.tasks.get(name="Maquettes")
    task.start, task.finish = dt.date(2030, 2, 4), dt.date(2030, 2, 8)
    task.save()
    return {"internal": internal, "shared": shared, "mona": mona}


def parse(response) -> icalendar.Calendar:  # type: ignore[no-untyped-def]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    for event in calendar.walk("VEVENT"):
        assert event["UID"] and event["DTSTAMP"].dt.tzinfo is not None
        if not isinstance(event["DTSTART"].dt, dt.date) or isinstance(event["DTSTART"].dt, dt.datetime):
            assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    return calendar


def summaries(calendar: icalendar.Calendar) -> list[str]:
    return sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))


def test_a_meeting_invitation_is_an_itip_request(world, calendar_world, as_role):
    meeting = calendar_world["internal"]
    calendar = parse(as_role(world, "member").get(reverse("meeting_ics", args=[meeting.pk])))
    [event] = calendar.walk("VEVENT")

    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == meeting.uid
    assert event["DTSTART"].dt == dt.datetime(2030, 5, 29, 10, tzinfo=PARIS)
    assert str(event["ATTENDEE"]) == "mailto:mona@durand.fr"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_the_project_calendar_gives_the_client_milestones_and_shared_meetings_only(world, calendar_world, as_role):
    url = reverse("project_calendar", args=[world.project_a.pk])
    staff = parse(as_role(world, "pm").get(url))
    client = parse(as_role(world, "client_a").get(url))

    assert summaries(staff) == ["Comité de pilotage — Atelier interne", "Comité de pilotage — COPIL de mai",
                                "Maquettes — Mona Graphiste", "◆ Validation des maquettes"]
    assert summaries(client) == ["Comité de pilotage — COPIL de mai", "◆ Validation des maquettes"]
    span = next(e for e in staff.walk("VEVENT") if str(e["SUMMARY"]).startswith("Maquettes"))
    assert (span["DTSTART"].dt, span["DTEND"].dt) == (dt.date(2030, 2, 4), dt.date(2030, 2, 9))  # DTEND exclusive


def test_project_calendar_access(world, calendar_world, status_row):
    assert status_row(world, "GET", reverse("project_calendar", args=[world.project_a.pk])) == [302, 200, 200, 200, 200, 404, 404]
    assert status_row(world, "GET", reverse("project_calendar", args=[world.project_b.pk])) == [302, 200, 404, 404, 404, 200, 404]


def test_the_personal_feed_needs_no_login_but_its_secret_and_dies_when_revoked(world, calendar_world, as_role, status_row):
    http = as_role(world, "member")
    http.post(reverse("my_calendar_token"))
    page = http.get(reverse("my_calendar")).content.decode()
    feed_url = re.search(r'id="feed-url">([^<]+)<', page).group(1)
    path = feed_url.removeprefix("http://testserver")
    assert http.get(reverse("my_calendar")).content.decode().count(path) == 0  # shown once only

    assert status_row(world, "GET", path) == [200] * 7
    calendar = parse(as_role(world, "anonymous").get(path))
    assert calendar["METHOD"] == "PUBLISH"
    assert summaries(calendar) == ["Comité de pilotage — Atelier interne", "Comité de pilotage — COPIL de mai",
                                   "Maquettes", "◆ Validation des maquettes"]

    as_role(world, "member").post(reverse("my_calendar_token"), {"action": "revoke"})
    assert status_row(world, "GET", path) == [404] * 7


def test_a_regenerated_token_replaces_the_old_one(world, calendar_world, client):
    old = services.person_feed_token_regenerate(person=calendar_world["mona"])
    new = services.person_feed_token_regenerate(person=calendar_world["mona"])
    assert client.get(reverse("person_feed", args=[old])).status_code == 404
    assert client.get(reverse("person_feed", args=[new])).status_code == 200
    assert client.get(reverse("person_feed", args=["x" * 43])).status_code == 404


def test_a_cancelled_meeting_downloads_as_a_cancel_with_a_higher_sequence(world, calendar_world, as_role):
    meeting = services.meeting_cancel(meeting=calendar_world["shared"], by=world.user("pm"))
    calendar = parse(as_role(world, "client_a").get(reverse("meeting_ics", args=[meeting.pk])))
    [event] = calendar.walk("VEVENT")
    assert (calendar["METHOD"], event["STATUS"], event["SEQUENCE"]) == ("CANCEL", "CANCELLED", 1)
