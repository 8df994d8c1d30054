"""The "Nouveau projet" and "Modifier le projet" pages: who may open them, what creation builds
from the project type's template, and how bad input and concurrent edits are answered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from jalon.projects.models import Client, Project
from jalon.projects.templates_data import template_for
from jalon.specs.models import SpecVersion
from tests.conftest import ROLE_ORDER

pytestmark = pytest.mark.django_db

NEW = reverse("project_create")


def creation_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Site de la fromagerie", "code": "", "client": "", "new_client_name": "",
        "project_type": "site_vitrine", "start_date": "2030-03-04", "deadline": "2030-06-28",
        "budget_amount": "18000", "sold_days": "30", "priority": "3", "manager": "", "description": "",
    }
    data.update(overrides)
    return data


def edit_data(project: Project, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": project.name, "code": project.code, "client": project.client_id or "", "new_client_name": "",
        "project_type": project.project_type, "status": project.status, "manager": project.manager_id or "",
        "start_date": project.start_date.isoformat(), "deadline": project.deadline.isoformat() if project.deadline else "",
        "budget_amount": project.budget_amount or "", "sold_days": project.sold_days or "",
        "priority": project.priority, "description": project.description, "version": project.version,
    }
    data.update(overrides)
    return data


# --- who may open them --------------------------------------------------------------------------


def test_only_managers_and_admins_open_the_creation_page(world, status_row):
    assert status_row(world, "GET", NEW) == [302, 200, 200, 403, 403, 403, 200]


def test_only_managers_and_admins_create_a_project_each_in_their_own_organisation(world, status_row):
    assert status_row(world, "POST", NEW, creation_data()) == [302, 303, 303, 403, 403, 403, 303]
    made = Project.objects.filter(name="Site de la fromagerie")
    assert sorted(p.organisation.name for p in made) == ["Agence Durand", "Agence Durand", "Agence Rivale"]


def test_only_the_projects_manager_and_admins_open_the_edit_page(world, status_row):
    url = reverse("project_edit", args=[world.project_a.pk])
    assert status_row(world, "GET", url) == [302, 200, 200, 403, 403, 404, 404]


def test_only_the_projects_manager_and_admins_save_it(world, as_role):
    url = reverse("project_edit", args=[world.project_a.pk])
    codes = []
    for role in ROLE_ORDER:
        project = Project.objects.get(pk=world.project_a.pk)  # the version saved by the previous role
        response = as_role(world, role).post(url, edit_data(project, description=f"Revu par {role}"))
        codes.append(response.status_code)
    assert codes == [302, 303, 303, 403, 403, 404, 404]
    project = Project.objects.get(pk=world.project_a.pk)
    assert (project.description, project.version) == ("Revu par pm", 3)


# --- creation ---------------------------------------------------------------------------------------


def test_a_project_is_created_from_its_template_and_the_pm_lands_on_its_page(world, as_role):
    client_a = world.project_a.client
    http = as_role(world, "pm")
    response = http.post(NEW, creation_data(code="FROM", client=client_a.pk, manager=world.user("pm").pk))
    project = Project.objects.get(code="FROM")
    assert response.status_code == 303 and response["Location"] == reverse("project_detail", args=[project.pk])
    assert (project.client, project.manager, project.status) == (client_a, world.user("pm"), Project.Status.DRAFT)
    assert (project.budget_amount, project.sold_days, project.deadline) == (Decimal("18000"), Decimal("30"), dt.date(2030, 6, 28))
    template = template_for("site_vitrine")
    version = SpecVersion.objects.get(spec__project=project)
    assert version.number == 1
    assert [s["title"] for s in version.sections] == [s.title for s in template.spec_sections]
    assert sorted(project.tasks.values_list("name", flat=True)) == sorted(t.name for t in template.tasks)
    page = http.get(response["Location"]).content.decode()
    assert "Projet « Site de la fromagerie » créé avec son cahier des charges et son découpage type." in page


def test_a_new_client_typed_in_is_created_with_the_project(world, as_role):
    as_role(world, "pm").post(NEW, creation_data(code="FROM", new_client_name="  Fromagerie Blanc "))
    project = Project.objects.get(code="FROM")
    assert project.client.name == "Fromagerie Blanc"
    assert project.client.organisation == world.project_a.organisation


def test_picking_a_client_and_typing_a_new_one_is_refused_and_nothing_is_created(world, as_role):
    response = as_role(world, "pm").post(NEW, creation_data(client=world.project_a.client.pk, new_client_name="Autre"))
    assert response.status_code == 400
    assert "Choisissez un client dans la liste ou saisissez-en un nouveau, pas les deux." in response.content.decode()
    assert not Project.objects.filter(name="Site de la fromagerie").exists()
    assert not Client.objects.filter(name="Autre").exists()


def test_typing_the_name_of_an_existing_client_points_to_the_list(world, as_role):
    response = as_role(world, "pm").post(NEW, creation_data(new_client_name="boulangerie martin"))
    assert response.status_code == 400
    assert "Le client « boulangerie martin » existe déjà : choisissez-le dans la liste." in response.content.decode()


@pytest.mark.parametrize(("overrides", "message"), [
    ({"deadline": "2030-02-01"}, "La date limite (01/02/2030) précède la date de début (04/03/2030)."),
    ({"code": "BOUL"}, "Ce code de projet est déjà utilisé dans l&#x27;organisation."),
    ({"name": ""}, "Ce champ est obligatoire."),
    ({"project_type": "fusee"}, "Sélectionnez un choix valide."),
    ({"start_date": "04/13/2030"}, "Saisissez une date valide."),
    ({"budget_amount": "-5"}, "Le budget ne peut pas être négatif."),
    ({"priority": "9"}, "La priorité va de 1 (basse) à 5 (haute)."),
])
def test_bad_input_is_shown_on_the_form_and_creates_nothing(world, as_role, overrides, message):
    response = as_role(world, "pm").post(NEW, creation_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Project.objects.filter(name="Site de la fromagerie").exists()


def test_a_client_or_manager_of_another_organisation_is_not_offered_nor_accepted(world, as_role):
    rival_manager = world.user("outsider")
    html = as_role(world, "pm").get(NEW).content.decode()
    assert "Boulangerie Martin" in html and "outsider" not in html
    response = as_role(world, "pm").post(NEW, creation_data(manager=rival_manager.pk))
    assert response.status_code == 400 and not Project.objects.filter(name="Site de la fromagerie").exists()


def test_each_project_type_says_what_its_template_brings(world, as_role):
    html = as_role(world, "pm").get(NEW).content.decode()
    template = template_for("site_ecommerce")
    phases = " → ".join(phase.name for phase in template.phases)
    assert phases in html
    assert f"cahier des charges en {len(template.spec_sections)} sections" in html
    assert html.count('name="project_type"') == len(Project.Type.choices)


def test_the_creation_page_starts_today_with_the_manager_as_project_manager(world, as_role):
    html = as_role(world, "pm").get(NEW).content.decode()
    assert f'<option value="{world.user("pm").pk}" selected>' in html
    assert 'name="start_date" value="' in html


def test_the_portfolio_offers_the_creation_page_to_managers_only(world, as_role):
    assert NEW in as_role(world, "pm").get(reverse("portfolio")).content.decode()
    assert NEW not in as_role(world, "member").get(reverse("portfolio")).content.decode()


# --- editing ----------------------------------------------------------------------------------------


def test_the_pm_edits_the_project_and_sees_it_saved(world, as_role):
    project = world.project_a
    http = as_role(world, "pm")
    response = http.post(reverse("project_edit", args=[project.pk]),
                         edit_data(project, name="Refonte de la boulangerie", status="on_hold", sold_days="40"))
    assert response.status_code == 303
    project.refresh_from_db()
    assert (project.name, project.status, project.sold_days, project.version) == (
        "Refonte de la boulangerie", "on_hold", Decimal("40"), 2)
    assert "Projet « Refonte de la boulangerie » enregistré." in http.get(response["Location"]).content.decode()


def test_a_stale_edit_is_refused_with_an_offer_to_reload_and_loses_nothing(world, as_role):
    project = world.project_a
    opened_at = edit_data(project)  # the form as the PM loaded it, version 1
    as_role(world, "admin").post(reverse("project_edit", args=[project.pk]), edit_data(project, description="Par l'admin"))
    response = as_role(world, "pm").post(reverse("project_edit", args=[project.pk]), {**opened_at, "description": "Par le PM"})
    assert response.status_code == 400
    assert "a été modifié par quelqu&#x27;un d&#x27;autre depuis que vous l&#x27;avez ouvert" in response.content.decode()
    project.refresh_from_db()
    assert (project.description, project.version) == ("Par l'admin", 2)


def test_the_edit_page_can_create_the_client_of_an_internal_project(world, as_role):
    project = world.project_b
    project.client = None
    project.save()
    as_role(world, "admin").post(reverse("project_edit", args=[project.pk]), edit_data(project, new_client_name="Cave Leroy"))
    project.refresh_from_db()
    assert project.client.name == "Cave Leroy"


def test_the_project_page_offers_the_edit_page_to_its_manager_only(world, as_role):
    url = reverse("project_edit", args=[world.project_a.pk])
    detail = reverse("project_detail", args=[world.project_a.pk])
    assert url in as_role(world, "pm").get(detail).content.decode()
    assert url not in as_role(world, "member").get(detail).content.decode()
    assert url not in as_role(world, "client_a").get(detail).content.decode()
