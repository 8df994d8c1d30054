"""The portfolio home page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jalon.accounts.models import User
from jalon.projects.selectors import portfolio_projects
from tests.factories import make_client, make_project, make_task, make_user

pytestmark = pytest.mark.django_db


def portfolio_html(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("portfolio"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_pm_sees_their_project_with_client_dates_next_milestone_and_task_count(world, client):
    html = portfolio_html(client, world.user("pm"))
    assert "Refonte boulangerie" in html and "Boulangerie Martin" in html
    assert "Site vitrine" in html and "En cours" in html and "Paul Martin" in html
    assert "07/01/2030" in html and "29/03/2030" in html  # start and deadline, French format
    assert "Validation des maquettes" in html and "14/02/2030" in html
    row = project_row(html, "Refonte boulangerie")
    assert '<td class="num">1</td>' in row  # one task; the milestone is not counted
    assert "Boutique cave" not in html


def project_row(html: str, name: str) -> str:
    start = html.index(name)
    return html[start:html.index("</tr>", start)]


def test_a_past_milestone_is_not_the_next_one(world):
    make_task(world.project_a, "Kick-off", effort_days=0, is_milestone=True, deadline=dt.date(2030, 1, 8))
    rows = portfolio_projects(world.user("pm"), today=dt.date(2030, 1, 20))
    assert [(p.next_milestone_name, p.next_milestone_date) for p in rows] == [
        ("Validation des maquettes", dt.date(2030, 2, 14))
    ]


def test_a_planned_milestone_date_wins_over_its_deadline(world):
    make_task(world.project_a, "Recette", effort_days=0, is_milestone=True,
              deadline=dt.date(2030, 1, 31), finish=dt.date(2030, 2, 4), start=dt.date(2030, 2, 4))
    [row] = portfolio_projects(world.user("pm"), today=dt.date(2030, 1, 10))
    assert (row.next_milestone_name, row.next_milestone_date) == ("Recette", dt.date(2030, 2, 4))


def test_the_number_of_queries_does_not_grow_with_the_projects(world, client):
    admin = world.user("admin")
    client.force_login(admin)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("portfolio"))
    org = world.project_a.organisation
    for n in range(6):
        project = make_project(org, client=make_client(org), manager=world.user("pm"), name=f"Projet {n}")
        make_task(project, "Tâche")
        make_task(project, "Livraison", effort_days=0, is_milestone=True, deadline=dt.date(2031, 1, 6))
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("portfolio")).content.decode()
    assert html.count("Livraison") == 6
    assert len(many) == len(few)


def test_names_are_escaped(world, client):
    make_project(world.project_a.organisation, manager=world.user("pm"), name="<script>alert(1)</script>")
    html = portfolio_html(client, world.user("pm"))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_someone_with_no_project_gets_a_friendly_empty_page(world, client):
    loner = make_user(User.Role.MEMBER, world.project_a.organisation)
    html = portfolio_html(client, loner)
    assert "Aucun projet pour l'instant" in html
    assert "Les projets auxquels vous participez apparaîtront ici." in html


def test_the_top_bar_shows_the_user_their_role_and_the_language_switch(world, client):
    html = portfolio_html(client, world.user("pm"))
    assert "Paul Martin" in html and "Chef de projet" in html
    assert f'action="{reverse("set_language")}"' in html and 'name="csrfmiddlewaretoken"' in html
    assert 'value="en"' in html


def test_switching_to_english_translates_the_page(world, client):
    client.force_login(world.user("pm"))
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("portfolio")})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Project portfolio" in html and "Next milestone" in html
    assert "Showcase website" in html and "In progress" in html
    assert '<html lang="en">' in html
