"""The portfolio home page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decimal import Decimal

from jalon.accounts.models import User
from jalon.projects.selectors import portfolio_projects, portfolio_rows
from tests.factories import (
    make_absence,
    make_assignment,
    make_client,
    make_member,
    make_person,
    make_project,
    make_task,
    make_user,
)

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


# --- late tasks, load, query count ------------------------------------------------------------------

# September 2030 has no public holiday: the four weeks from Monday 2 September hold 20 working days.
MONDAY = dt.date(2030, 9, 2)


def late_count(world, today: dt.date = MONDAY) -> int:  # type: ignore[no-untyped-def]
    [row] = portfolio_projects(world.user("pm"), today=today)
    return row.late_task_count


def test_a_task_planned_past_its_deadline_or_still_open_after_its_finish_is_late(world):
    project = world.project_a
    project.deadline = None
    project.save()
    make_task(project, "Après sa date limite", start=dt.date(2030, 9, 9), finish=dt.date(2030, 9, 20),
              deadline=dt.date(2030, 9, 13))
    make_task(project, "Finie vendredi, pas terminée", start=dt.date(2030, 8, 26), finish=dt.date(2030, 8, 30),
              progress=Decimal("60"))
    make_task(project, "Finie vendredi et terminée", start=dt.date(2030, 8, 26), finish=dt.date(2030, 8, 30),
              progress=Decimal("100"))
    make_task(project, "À venir", start=dt.date(2030, 9, 9), finish=dt.date(2030, 9, 13), deadline=dt.date(2030, 9, 13))
    make_task(project, "Pas encore planifiée")
    assert late_count(world) == 2
    assert late_count(world, today=dt.date(2030, 8, 1)) == 1  # before anything is due: only the missed deadline


def test_a_task_planned_past_the_projects_deadline_is_late(world):
    world.project_a.deadline = dt.date(2030, 9, 30)
    world.project_a.save()
    make_task(world.project_a, "Dans les temps", start=dt.date(2030, 9, 23), finish=dt.date(2030, 9, 30))
    make_task(world.project_a, "Trop tard", start=dt.date(2030, 9, 30), finish=dt.date(2030, 10, 1))
    assert late_count(world) == 1


def test_a_closed_project_has_no_late_task(world):
    make_task(world.project_a, "Oubliée", start=dt.date(2030, 8, 26), finish=dt.date(2030, 8, 30))
    world.project_a.status = "done"
    world.project_a.save()
    assert late_count(world) == 0


def staff_for_load(project, capacity: str = "1") -> object:  # type: ignore[no-untyped-def]
    """One person on the project; 5 j/h inside the window and 10 j/h straddling its end."""
    person = make_person(project.organisation, "Léa", capacity=Decimal(capacity))
    make_member(project, person)
    make_task(project, "Dans la fenêtre", effort_days=5, start=MONDAY, finish=dt.date(2030, 9, 13))
    straddling = make_task(project, "À cheval", effort_days=10, start=dt.date(2030, 9, 23), finish=dt.date(2030, 10, 4))
    make_assignment(straddling, person)
    make_task(project, "Plus tard", effort_days=8, start=dt.date(2030, 10, 7), finish=dt.date(2030, 10, 18))
    return person


def load_of(world, role: str = "pm", today: dt.date = MONDAY):  # type: ignore[no-untyped-def]
    [row] = [r for r in portfolio_rows(world.user(role), today=today) if r.project.pk == world.project_a.pk]
    return row.load


def test_the_load_is_the_planned_effort_of_four_weeks_against_the_capacity_of_the_projects_people(world):
    staff_for_load(world.project_a)
    load = load_of(world)
    # Mona (member of project_a, full time) and Léa: 2 × 20 days. Planned: 5 + half of 10.
    assert (load.planned_days, load.capacity_days, load.people, load.percent, load.over) == (
        Decimal("10.0"), Decimal("40"), 2, 25, False)


def test_absences_and_part_time_shrink_the_capacity(world):
    lea = staff_for_load(world.project_a, capacity="0.5")
    make_absence(lea, dt.date(2030, 9, 16), dt.date(2030, 9, 20))  # a week off
    make_absence(lea, dt.date(2030, 9, 27), dt.date(2030, 9, 27), start_afternoon=True)  # a half day
    load = load_of(world)
    assert load.capacity_days == Decimal("20") + Decimal("0.5") * (20 - 5 - Decimal("0.5"))
    assert load.percent == round(100 * 10 / (20 + 7.25))


def test_a_project_without_people_has_no_load_figure(world):
    make_task(world.project_b, "Seule", effort_days=3, start=MONDAY, finish=dt.date(2030, 9, 4))
    loads = {r.project.code: r.load for r in portfolio_rows(world.user("admin"), today=MONDAY)}
    assert loads["CAVE"].percent is None and loads["CAVE"].planned_days == Decimal("3.0")


def test_an_overloaded_project_shows_in_red(world, client):
    person = make_person(world.project_a.organisation, "Zoé", capacity=Decimal("0.1"))
    make_member(world.project_a, person)
    today = dt.date.today()
    make_task(world.project_a, "Énorme", effort_days=200, start=today, finish=today + dt.timedelta(days=20))
    row = project_row(portfolio_html(client, world.user("pm")), "Refonte boulangerie")
    assert '<span class="load over"' in row


def test_clients_see_late_tasks_but_no_load(world, client):
    html = portfolio_html(client, world.user("client_a"))
    assert "En retard" in html and "Charge 4 sem." not in html
    assert "Charge 4 sem." in portfolio_html(client, world.user("pm"))


def add_busy_projects(world, n: int) -> None:  # type: ignore[no-untyped-def]
    """Projects with people, absences, planned and late tasks and milestones: all the portfolio reads."""
    org = world.project_a.organisation
    today = dt.date.today()
    for k in range(n):
        project = make_project(org, client=make_client(org), manager=world.user("pm"), name=f"Projet chargé {k}")
        person = make_person(org, f"Personne {k}")
        make_member(project, person)
        make_absence(person, today + dt.timedelta(days=3))
        task = make_task(project, "Tâche", effort_days=4, start=today, finish=today + dt.timedelta(days=6))
        make_assignment(task, make_person(org, f"Renfort {k}"))
        make_task(project, "En retard", start=today - dt.timedelta(days=9), finish=today - dt.timedelta(days=2))
        make_task(project, "Livraison", effort_days=0, is_milestone=True, deadline=today + dt.timedelta(days=30))


def test_the_number_of_queries_is_the_same_for_3_and_for_12_projects(world, client):
    client.force_login(world.user("admin"))
    add_busy_projects(world, 3)
    with CaptureQueriesContext(connection) as three:
        html = client.get(reverse("portfolio")).content.decode()
    assert html.count("Livraison") == 3
    add_busy_projects(world, 9)
    with CaptureQueriesContext(connection) as twelve:
        html = client.get(reverse("portfolio")).content.decode()
    assert html.count("Livraison") == 12 and html.count('<span class="status status-late">1</span>') == 12
    assert len(twelve) == len(three)
