"""The project page: full view for the agency, reduced view for the client."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.factories import make_assignment, make_person, make_phase, make_task

pytestmark = pytest.mark.django_db


def page(client, user, project) -> str:
    client.force_login(user)
    response = client.get(reverse("project_detail", args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_pm_sees_header_phases_tasks_team_and_the_check_button(world, client):
    html = page(client, world.user("pm"), world.project_a)
    for text in ("Refonte boulangerie", "Boulangerie Martin", "Site vitrine", "En cours",
                 "07/01/2030", "29/03/2030", "Design UI", "Maquettes", "Validation des maquettes",
                 "Mona Graphiste", "Graphiste", "Vérifier le planning"):
        assert text in html, text
    assert "24\xa0500 € HT" in html  # budget, grouped the French way
    assert "480 €" in html  # the daily rate of the team member


def test_the_client_gets_a_reduced_view_without_money(world, client):
    html = page(client, world.user("client_a"), world.project_a)
    assert "Maquettes" in html and "Mona Graphiste" in html
    for hidden in ("Budget", "500", "480", "TJM", "Jours vendus", "Vérifier le planning"):
        assert hidden not in html, hidden


def test_a_member_sees_the_plan_but_cannot_start_a_check(world, client):
    html = page(client, world.user("member"), world.project_a)
    assert "Maquettes" in html and "Vérifier le planning" not in html


def test_a_member_who_tries_to_start_a_check_gets_the_friendly_403(world, client):
    client.force_login(world.user("member"))
    response = client.post(reverse("plan_check_start", args=[world.project_a.pk]))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_a_hidden_project_gets_the_friendly_404(world, client):
    client.force_login(world.user("client_b"))
    response = client.get(reverse("project_detail", args=[world.project_a.pk]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html and "Refonte boulangerie" not in html


def test_the_last_plan_check_is_linked_from_the_page(world, client):
    client.force_login(world.user("pm"))
    client.post(reverse("plan_check_start", args=[world.project_a.pk]))
    html = page(client, world.user("pm"), world.project_a)
    assert "Dernière vérification :" in html and "En attente d&#x27;un processus de calcul…" in html


def test_the_number_of_queries_does_not_grow_with_the_tasks(world, client):
    client.force_login(world.user("pm"))
    url = reverse("project_detail", args=[world.project_a.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    phase = make_phase(world.project_a, "Développement", order=2)
    for n in range(8):
        task = make_task(world.project_a, f"Gabarit {n}", phase=phase, order=n)
        make_assignment(task, make_person(world.project_a.organisation, f"Dev {n}"))
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count("Gabarit") == 8
    assert len(many) == len(few)


def test_the_page_reads_in_english_after_switching(world, client):
    client.force_login(world.user("pm"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("project_detail", args=[world.project_a.pk])).content.decode()
    assert "Phases and tasks" in html and "Check the schedule" in html and "Team" in html


def test_the_500_page_renders_without_a_request():
    # Django renders it with no context at all; it must not need the user or the base template.
    with translation.override("fr"):
        html = render_to_string("500.html")
    assert "Erreur du serveur" in html and "jalon.css" in html
