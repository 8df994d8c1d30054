"""The PM books an "atelier d'expertise" on a skill in a real headless Chromium and gets the
right people at a free slot."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from jalon.meetings.models import Meeting, Participant
from tests.e2e.browser import expect, log_in, shot, wait_for_htmx
from tests.factories import make_absence, make_person

PARIS = ZoneInfo("Europe/Paris")
MON, WED, FRI = dt.date(2030, 5, 27), dt.date(2030, 5, 29), dt.date(2030, 5, 31)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def test_the_pm_books_an_expert_workshop_with_the_seo_experts_at_their_first_common_slot(live_server, live_world, page):
    org = live_world.project_a.organisation
    chloe = make_person(org, "Chloé", last_name="Moreau", job_title="Consultante SEO", skills={"SEO": 5}, email="chloe@durand.fr")
    bruno = make_person(org, "Bruno", last_name="Petit", job_title="Rédacteur web", skills={"SEO": 4})
    make_person(org, "David", last_name="Roux", job_title="Développeur", skills={"SEO": 2})  # below the level
    make_absence(chloe, MON)  # on leave on Monday
    busy = Meeting.objects.create(organisation=org, topic="Point client", start=dt.datetime.combine(dt.date(2030, 5, 28), dt.time(9), tzinfo=PARIS),
                                  end=dt.datetime.combine(dt.date(2030, 5, 28), dt.time(18), tzinfo=PARIS))
    Participant.objects.create(meeting=busy, person=bruno)  # Tuesday all day

    log_in(page, live_server, "pm", path=f"/reunions/planifier/?projet={live_world.project_a.pk}")
    expect(page.get_by_role("heading", name="Planifier une réunion")).to_be_visible()
    wait_for_htmx(page)

    page.get_by_label("Sujet").fill("Stratégie de mots-clés")
    page.get_by_label("Type de réunion").select_option(label="Atelier d'expertise")
    page.get_by_label("Durée").select_option(label="2 h")
    page.get_by_label("Entre le").fill("2030-05-27")
    page.get_by_label("et le").fill("2030-05-31")
    page.get_by_label("Compétence 1").select_option(label="SEO")
    page.get_by_label("Niveau minimum 1").select_option(label="≥ 4")
    shot(page, "meeting-01-plan-form")
    page.get_by_role("button", name="Proposer des personnes et des créneaux").click()

    people = page.locator("table.people tbody tr")
    expect(people).to_have_count(2)
    expect(people.nth(0)).to_contain_text("Chloé Moreau")
    expect(people.nth(0)).to_contain_text("SEO 5/5")
    expect(people.nth(1)).to_contain_text("Bruno Petit")
    expect(page.get_by_text("David Roux")).to_have_count(0)
    slots = page.locator(".slot-list li")
    # Monday: Chloé on leave; Tuesday: Bruno in a client meeting; Wednesday is the first common day.
    expect(slots.first).to_contain_text("mercredi 29/05/2030, 09:30–11:30")
    expect(slots.first).to_contain_text("Tout le monde est libre")
    shot(page, "meeting-02-proposal")

    slots.first.get_by_role("button", name="Réserver").click()
    expect(page.get_by_role("heading", name="Stratégie de mots-clés")).to_be_visible()
    expect(page.locator(".participants")).to_contain_text("Chloé Moreau")
    expect(page.locator(".participants")).to_contain_text("Bruno Petit")
    expect(page.locator(".facts")).to_contain_text("mercredi 29/05/2030, 09:30–11:30")
    expect(page.locator(".agenda")).to_contain_text("Objectif de l'atelier")
    expect(page.get_by_text("Réunion planifiée, invitations envoyées.")).to_be_visible()
    shot(page, "meeting-03-booked")

    page.get_by_label("Action").fill("Lister les 50 mots-clés prioritaires")
    page.get_by_label("Porteur").select_option(label="Chloé Moreau")
    page.get_by_role("button", name="Ajouter l'action").click()
    row = page.locator("table.action-items tbody tr").first
    expect(row).to_contain_text("Lister les 50 mots-clés prioritaires")
    row.get_by_role("button", name="Créer la tâche").click()
    expect(page.locator("table.action-items")).to_contain_text("Tâche créée")
    shot(page, "meeting-04-action-to-task")
    assert live_world.project_a.tasks.filter(name="Lister les 50 mots-clés prioritaires").exists()
    meeting = Meeting.objects.get(topic="Stratégie de mots-clés")
    assert re.fullmatch(r"[0-9a-f-]{36}@jalon", meeting.uid)
