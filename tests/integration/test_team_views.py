"""The team pages: every role against every view (managers and admins edit, members read,
clients never see), rates hidden from members, errors shown, the matrix cell edited with HTMX."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jalon.people.models import Absence, Person, PersonSkill
from tests.factories import make_absence, make_person, make_skill

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def mona(world) -> Person:  # type: ignore[no-untyped-def]
    return Person.objects.get(first_name="Mona")


# --- access: anonymous, admin, pm, member, client_a, client_b, outsider -------------------------------


def test_team_list(world, status_row):
    assert status_row(world, "GET", reverse("team")) == [302, 200, 200, 200, 403, 403, 200]


def test_person_page(world, mona, status_row):
    url = reverse("person_detail", args=[mona.pk])
    assert status_row(world, "GET", url) == [302, 200, 200, 200, 403, 403, 404]


def test_person_create(world, status_row):
    data = {"first_name": "Léa", "last_name": "Petit", "daily_rate": "450", "daily_cost": "300", "capacity": "1",
            "active": "on"}
    assert status_row(world, "POST", reverse("person_create"), data) == [302, 303, 303, 403, 403, 403, 303]
    # Two in Agence Durand, one in the outsider's own agency.
    assert Person.objects.filter(first_name="Léa", organisation=world.project_a.organisation).count() == 2


def test_person_edit(world, mona, status_row):
    data = {"first_name": "Mona", "last_name": "Graphiste", "daily_rate": "500", "daily_cost": "300",
            "capacity": "0.8", "active": "on"}
    row = status_row(world, "POST", reverse("person_edit", args=[mona.pk]), data)
    assert row == [302, 303, 303, 403, 403, 403, 404]


def test_person_skill_save(world, mona, status_row):
    skill = make_skill(world.project_a.organisation, "Design UI")
    row = status_row(world, "POST", reverse("person_skill_save", args=[mona.pk]), {"skill": skill.pk, "level": "4"})
    assert row == [302, 303, 303, 403, 403, 403, 404]


def test_person_skill_remove(world, mona, status_row):
    skill = make_skill(world.project_a.organisation, "Design UI")
    PersonSkill.objects.create(person=mona, skill=skill, level=3)
    row = status_row(world, "POST", reverse("person_skill_remove", args=[mona.pk, skill.pk]))
    assert row == [302, 303, 303, 403, 403, 403, 404]


def test_absence_create(world, mona, status_row):
    data = {"kind": "paid_leave", "start": "2030-08-05", "end": "2030-08-16"}
    row = status_row(world, "POST", reverse("absence_create", args=[mona.pk]), data)
    assert row == [302, 303, 303, 403, 403, 403, 404]


def test_absence_edit(world, mona, status_row):
    absence = make_absence(mona, dt.date(2030, 8, 5))
    assert status_row(world, "GET", reverse("absence_edit", args=[absence.pk])) == [302, 200, 200, 403, 403, 403, 404]


def test_absence_delete(world, mona, status_row):
    absence = make_absence(mona, dt.date(2030, 8, 5))
    row = status_row(world, "POST", reverse("absence_delete", args=[absence.pk]))
    assert row == [302, 303, 404, 403, 403, 403, 404]


def test_skills_matrix(world, status_row):
    assert status_row(world, "GET", reverse("skills_matrix")) == [302, 200, 200, 200, 403, 403, 200]


def test_skill_create(world, status_row):
    row = status_row(world, "POST", reverse("skill_create"), {"name": "Motion design", "category": "Design"})
    assert row == [302, 303, 200, 403, 403, 403, 303]  # pm: "already exists" is shown


def test_matrix_cell(world, mona, status_row):
    skill = make_skill(world.project_a.organisation, "SEO")
    url = reverse("matrix_cell", args=[mona.pk, skill.pk])
    assert status_row(world, "GET", url) == [302, 200, 200, 403, 403, 403, 404]
    assert status_row(world, "POST", url, {"level": "2"}) == [302, 303, 303, 403, 403, 403, 404]


def test_task_candidates(world, status_row):
    task = world.project_a.tasks.get(name="Maquettes")
    url = reverse("task_candidates", args=[task.pk])
    assert status_row(world, "GET", url) == [302, 200, 200, 200, 403, 403, 404]


def test_task_candidates_of_a_project_the_pm_does_not_see(world, status_row):
    task = world.project_b.tasks.create(name="Fiches produits")
    url = reverse("task_candidates", args=[task.pk])
    assert status_row(world, "GET", url) == [302, 200, 404, 404, 403, 403, 404]


# --- behaviour ------------------------------------------------------------------------------------


def test_daily_rates_are_shown_to_managers_only(world, mona, as_role):
    for role, shown in (("pm", True), ("admin", True), ("member", False)):
        http = as_role(world, role)
        team = http.get(reverse("team")).content.decode()
        person = http.get(reverse("person_detail", args=[mona.pk])).content.decode()
        assert ("480 €" in team, "TJM vendu" in person) == (shown, shown), role


def test_members_see_no_edit_forms(world, mona, as_role):
    html = as_role(world, "member").get(reverse("person_detail", args=[mona.pk])).content.decode()
    assert "Déclarer une absence" not in html and "Modifier la fiche" not in html


def test_an_absence_ending_before_it_starts_is_explained(world, mona, as_role):
    response = as_role(world, "pm").post(reverse("absence_create", args=[mona.pk]),
                                         {"kind": "rtt", "start": "2030-08-16", "end": "2030-08-05"})
    assert response.status_code == 200
    assert "La fin de l&#x27;absence (05/08/2030) précède son début (16/08/2030)." in response.content.decode()
    assert not Absence.objects.exists()


def test_a_capacity_out_of_range_is_explained(world, as_role):
    response = as_role(world, "pm").post(reverse("person_create"), {
        "first_name": "Léa", "daily_rate": "0", "daily_cost": "0", "capacity": "1.5"})
    assert response.status_code == 200
    assert "La capacité va de 0,1 (10 %) à 1 (temps plein)." in response.content.decode()


def test_a_stale_person_edit_asks_to_reload(world, mona, as_role):
    from jalon.people.services import row_fingerprint
    from jalon.people.views import PERSON_FIELDS

    seen = row_fingerprint(mona, PERSON_FIELDS)
    Person.objects.filter(pk=mona.pk).update(job_title="Directrice artistique")
    response = as_role(world, "pm").post(reverse("person_edit", args=[mona.pk]), {
        "first_name": "Mona", "daily_rate": "480", "daily_cost": "0", "capacity": "1", "fingerprint": seen})
    assert "Rechargez la page" in response.content.decode()
    mona.refresh_from_db()
    assert mona.job_title == "Directrice artistique"


def test_the_matrix_cell_is_edited_with_htmx(world, mona, as_role):
    skill = make_skill(world.project_a.organisation, "SEO")
    http = as_role(world, "pm")
    url = reverse("matrix_cell", args=[mona.pk, skill.pk])
    assert "<select" in http.get(url, **HTMX).content.decode()
    cell = http.post(url, {"level": "5"}, **HTMX).content.decode()
    assert f'id="cell-{mona.pk}-{skill.pk}"' in cell and 'class="level-5"' in cell
    assert PersonSkill.objects.get(person=mona, skill=skill).level == 5
    http.post(url, {"level": "0"}, **HTMX)
    assert not PersonSkill.objects.filter(person=mona, skill=skill).exists()
    error = http.post(url, {"level": "9"}, **HTMX).content.decode()
    assert "Le niveau va de 1 à 5" in error


def test_who_can_do_a_task_and_when(world, mona, as_role):
    task = world.project_a.tasks.get(name="Maquettes")
    skill = make_skill(world.project_a.organisation, "Design UI")
    task.skills.create(skill=skill, min_level=3)
    PersonSkill.objects.create(person=mona, skill=skill, level=4)
    make_person(world.project_a.organisation, "Junior", skills={skill: 1})
    html = as_role(world, "pm").get(reverse("task_candidates", args=[task.pk])).content.decode()
    assert "Mona Graphiste" in html and "Design UI 4/5" in html
    assert "Junior" not in html
    assert "Disponible à partir du" in html


def test_names_are_escaped_on_team_pages(world, as_role):
    xss = "<script>alert('x')</script>"
    person = make_person(world.project_a.organisation, xss, skills={xss: 3})
    http = as_role(world, "pm")
    for url in (reverse("team"), reverse("person_detail", args=[person.pk]), reverse("skills_matrix")):
        html = http.get(url).content.decode()
        assert xss not in html and "&lt;script&gt;" in html
