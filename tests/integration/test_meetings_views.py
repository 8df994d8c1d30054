"""Meeting pages: every role against every view (whole rows), the planning journey over
HTMX, and escaping of what users type.

Columns (tests/conftest.py, ROLE_ORDER): anonymous, admin, pm, member, client_a, client_b, outsider.
302 = sent to the login page, 303 = action accepted, 403 = visible but not allowed,
404 = not shown to this user (its existence is not revealed), 400 = form refused."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from jalon.meetings.models import ActionItem, Meeting, Participant
from jalon.people.models import Person
from tests.factories import make_person

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
WED = dt.date(2030, 5, 29)  # Ascension week: Thursday 30 May 2030 is a holiday


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=PARIS)


@dataclass
class Meetings:
    internal: Meeting  # project A, organised by pm, Mona invited, not for the client
    shared: Meeting  # project A, client-visible
    other: Meeting  # project B, organised by another manager
    rival: Meeting  # another organisation's
    action: ActionItem  # on `internal`


def build_meetings(world) -> Meetings:  # type: ignore[no-untyped-def]
    org = world.project_a.organisation
    mona = Person.objects.get(user=world.user("member"))

    def meeting(project, organiser, topic, *, client_visible=False, organisation=org, hour=10):  # type: ignore[no-untyped-def]
        return Meeting.objects.create(organisation=organisation, project=project, organiser=organiser, topic=topic,
                                      kind="workshop", start=at(WED, hour), end=at(WED, hour + 1), client_visible=client_visible)

    internal = meeting(world.project_a, world.user("pm"), "Atelier technique")
    Participant.objects.create(meeting=internal, person=mona)
    shared = meeting(world.project_a, world.user("pm"), "Comité de pilotage", client_visible=True, hour=14)
    other = meeting(world.project_b, world.project_b.manager, "Atelier cave")
    rival = meeting(world.outsider_project, world.user("outsider"), "Réunion rivale", organisation=world.outsider_project.organisation)
    action = ActionItem.objects.create(meeting=internal, text="Relire la maquette", owner=mona)
    return Meetings(internal, shared, other, rival, action)


@pytest.fixture
def meetings(world) -> Meetings:  # type: ignore[no-untyped-def]
    return build_meetings(world)


# --- the access matrix ------------------------------------------------------------------------


def test_meeting_list(world, meetings, status_row):
    assert status_row(world, "GET", reverse("meeting_list")) == [302, 200, 200, 200, 200, 200, 200]


def test_meeting_list_shows_each_role_only_its_meetings(world, meetings, as_role):
    seen = {}
    for role in ("admin", "pm", "member", "client_a", "client_b", "outsider"):
        page = as_role(world, role).get(reverse("meeting_list")).content.decode()
        seen[role] = [m.topic for m in (meetings.internal, meetings.shared, meetings.other, meetings.rival) if m.topic in page]
    assert seen == {
        "admin": ["Atelier technique", "Comité de pilotage", "Atelier cave"],
        "pm": ["Atelier technique", "Comité de pilotage"],
        "member": ["Atelier technique", "Comité de pilotage"],
        "client_a": ["Comité de pilotage"],
        "client_b": [],
        "outsider": ["Réunion rivale"],
    }


def test_project_meetings(world, meetings, status_row):
    assert status_row(world, "GET", reverse("project_meetings", args=[world.project_a.pk])) == [302, 200, 200, 200, 200, 404, 404]
    assert status_row(world, "GET", reverse("project_meetings", args=[world.project_b.pk])) == [302, 200, 404, 404, 404, 200, 404]


def test_internal_meeting_page_and_invitation(world, meetings, status_row):
    for name in ("meeting_detail", "meeting_ics"):
        url = reverse(name, args=[meetings.internal.pk])
        assert status_row(world, "GET", url) == [302, 200, 200, 200, 404, 404, 404], name


def test_client_visible_meeting_page_and_invitation(world, meetings, status_row):
    for name in ("meeting_detail", "meeting_ics"):
        url = reverse(name, args=[meetings.shared.pk])
        assert status_row(world, "GET", url) == [302, 200, 200, 200, 200, 404, 404], name


def test_meeting_of_a_project_pm_does_not_see(world, meetings, status_row):
    assert status_row(world, "GET", reverse("meeting_detail", args=[meetings.other.pk])) == [302, 200, 404, 404, 404, 404, 404]
    assert status_row(world, "GET", reverse("meeting_detail", args=[meetings.rival.pk])) == [302, 404, 404, 404, 404, 404, 200]


def test_planning_page(world, status_row):
    assert status_row(world, "GET", reverse("meeting_plan")) == [302, 200, 200, 403, 403, 403, 200]
    assert status_row(world, "POST", reverse("meeting_plan"), {"topic": ""}) == [302, 200, 200, 403, 403, 403, 200]


def test_booking_refuses_an_incomplete_form(world, status_row):
    assert status_row(world, "POST", reverse("meeting_book"), {"topic": "x"}) == [302, 400, 400, 403, 403, 403, 400]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(("name", "data"), [
    ("meeting_minutes", {"minutes": "RAS"}),
    ("decision_create", {"decision-text": "On garde WordPress"}),
    ("action_create", {"action-text": "Envoyer le devis"}),
    ("meeting_cancel", {}),
])
def test_editing_a_meeting(world, meetings, status_row, name, data):
    url = reverse(name, args=[meetings.internal.pk])
    assert status_row(world, "POST", url, data) == [302, 303, 303, 403, 404, 404, 404]


def test_editing_a_client_visible_meeting_is_still_for_the_agency(world, meetings, status_row):
    url = reverse("meeting_minutes", args=[meetings.shared.pk])
    assert status_row(world, "POST", url, {"minutes": "RAS"}) == [302, 303, 303, 403, 403, 404, 404]


@pytest.mark.parametrize("name", ["action_to_task", "action_done"])
def test_acting_on_an_action_item(world, meetings, status_row, name):
    url = reverse(name, args=[meetings.action.pk])
    assert status_row(world, "POST", url, {"done": "1"}) == [302, 303, 303, 403, 404, 404, 404]


def test_meeting_views_refuse_get_where_they_change_data(world, meetings, status_row):
    url = reverse("meeting_minutes", args=[meetings.internal.pk])
    assert status_row(world, "GET", url) == [405, 405, 405, 405, 405, 405, 405]


def test_my_calendar(world, status_row):
    assert status_row(world, "GET", reverse("my_calendar")) == [302, 200, 200, 200, 200, 200, 200]
    # Only Mona (member) has a collaborator record in this cast.
    assert status_row(world, "POST", reverse("my_calendar_token")) == [302, 404, 404, 303, 404, 404, 404]
    assert status_row(world, "POST", reverse("my_calendar_days_off"), {"weekdays_off": "2"}) == [302, 404, 404, 303, 404, 404, 404]


# --- the journey over HTMX -------------------------------------------------------------------


def test_the_manager_plans_an_expert_workshop_and_books_a_proposed_slot(world, as_role):
    org = world.project_a.organisation
    expert = make_person(org, "Chloé", skills={"SEO": 5}, email="chloe@durand.fr")
    seo = expert.skills.get().skill
    http = as_role(world, "pm")
    plan = {
        "topic": "Stratégie de mots-clés", "kind": "workshop", "project": world.project_a.pk, "duration": "120",
        "first_day": "2030-05-27", "last_day": "2030-05-31", "skill_1": seo.pk, "level_1": "4",
        "level_2": "3", "level_3": "3",
    }
    fragment = http.post(reverse("meeting_plan"), plan, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html
    assert "Chloé Test" in html and "SEO 5/5" in html
    first_slot = re.search(r'name="slot" value="([^"]+)"', html).group(1)
    assert first_slot.startswith("2030-05-27T09:30:00+02:00")

    booked = http.post(reverse("meeting_book"), {**plan, "slot": first_slot, "invite": [expert.pk]}, HTTP_HX_REQUEST="true")
    meeting = Meeting.objects.get()
    assert booked.headers["HX-Redirect"] == reverse("meeting_detail", args=[meeting.pk])
    assert (meeting.topic, list(meeting.participants.all())) == ("Stratégie de mots-clés", [expert])
    page = http.get(booked.headers["HX-Redirect"]).content.decode()
    assert "Objectif de l&#x27;atelier" in page and "Créer la tâche" not in page  # no action yet

    again = http.post(reverse("meeting_book"), {**plan, "slot": first_slot, "invite": [expert.pk]}, HTTP_HX_REQUEST="true")
    assert again.headers["HX-Retarget"] == "#plan-form"
    assert "Chloé Test n&#x27;est pas disponible sur ce créneau" in again.content.decode()


def test_an_action_item_becomes_a_task_from_the_meeting_page(world, meetings, as_role):
    http = as_role(world, "pm")
    page = http.get(reverse("meeting_detail", args=[meetings.internal.pk])).content.decode()
    assert "Créer la tâche" in page
    fragment = http.post(reverse("action_to_task", args=[meetings.action.pk]), HTTP_HX_REQUEST="true")
    assert "Tâche créée" in fragment.content.decode()
    assert world.project_a.tasks.filter(name="Relire la maquette", assignments__person__first_name="Mona").exists()


# --- escaping ---------------------------------------------------------------------------------

XSS = '<script>alert("jalon")</script>'


def test_what_users_type_is_escaped_on_every_meeting_page(world, meetings, as_role):
    meetings.shared.topic = XSS
    meetings.shared.minutes = f"Compte rendu {XSS}"
    meetings.shared.agenda = f"1. {XSS}"
    meetings.shared.save()
    ActionItem.objects.create(meeting=meetings.shared, text=XSS)
    for role, url in [
        ("pm", reverse("meeting_detail", args=[meetings.shared.pk])),
        ("client_a", reverse("meeting_detail", args=[meetings.shared.pk])),
        ("pm", reverse("meeting_list")),
        ("client_a", reverse("project_meetings", args=[world.project_a.pk])),
    ]:
        html = as_role(world, role).get(url).content.decode()
        assert XSS not in html, (role, url)
        assert "&lt;script&gt;alert(&quot;jalon&quot;)&lt;/script&gt;" in html, (role, url)


def test_the_client_sees_minutes_read_only_and_no_editing_form(world, meetings, as_role):
    meetings.shared.minutes = "Maquettes validées."
    meetings.shared.save()
    html = as_role(world, "client_a").get(reverse("meeting_detail", args=[meetings.shared.pk])).content.decode()
    assert "Maquettes validées." in html
    assert "Enregistrer le compte rendu" not in html and "Créer la tâche" not in html
