"""CSV and XLSX task lists into and out of a project: phases reused, skills and people found
by name, and an export that imports back as the same breakdown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jalon.formats import FormatError
from jalon.interop.services import project_export, project_import
from jalon.people.models import Person
from jalon.projects.models import Assignment, Dependency, Phase, Task, TaskSkill
from tests.factories import make_dependency, make_org, make_project, make_task

pytestmark = pytest.mark.django_db

CSV = ("N°;Phase;Nom;Charge (j/h);Durée;Début;Fin;Prédécesseurs;Compétences;Jalon;Affectés\r\n"
       "1;Design UI;Déclinaisons mobiles;3,5;;14/01/2030;17/01/2030;;Design UI:3;non;Mona Graphiste\r\n"
       "2;Développement > Front;Intégration;14 h;;;;1FS+1;Intégration HTML/CSS;;Nouvelle Recrue\r\n"
       "3;Développement;Mise en ligne;;;;;2;;oui;\r\n").encode("cp1252")


def test_a_csv_fills_the_projects_phases_and_finds_its_people(world) -> None:  # type: ignore[no-untyped-def]
    project = world.project_a
    report = project_import(organisation=project.organisation, file=CSV, name="taches.csv", project=project, by=world.user("pm"))
    assert (report.phases, report.tasks, report.milestones, report.dependencies, report.assignments) == (2, 3, 1, 2, 2)
    mobile = Task.objects.get(project=project, name="Déclinaisons mobiles")
    assert mobile.phase.name == "Design UI" and Phase.objects.filter(project=project, name="Design UI").count() == 1
    assert (mobile.effort_days, mobile.duration_days, mobile.start, mobile.finish) == (Decimal("3.50"), None, dt.date(2030, 1, 14), dt.date(2030, 1, 17))
    integration = Task.objects.get(project=project, name="Intégration")
    assert integration.effort_days == 2 and integration.phase.parent.name == "Développement"
    assert list(TaskSkill.objects.filter(task=mobile).values_list("skill__name", "min_level")) == [("Design UI", 3)]
    assert Dependency.objects.get(successor=integration).lag_days == 1
    assert Assignment.objects.get(task=mobile).person.user == world.user("member")  # Mona, matched by name
    assert report.people_created == 1 and Person.objects.filter(first_name="Nouvelle", last_name="Recrue").exists()


def test_a_csv_error_names_row_and_column_and_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    before = (Task.objects.count(), Phase.objects.count(), Person.objects.count())
    bad = CSV.replace(b"14/01/2030", b"14/13/2030")
    with pytest.raises(FormatError, match=r"taches.csv:2: column « Début »"):
        project_import(organisation=world.project_a.organisation, file=bad, name="taches.csv", project=world.project_a, by=None)
    assert (Task.objects.count(), Phase.objects.count(), Person.objects.count()) == before


@pytest.mark.parametrize("fmt, suffix", [("xlsx", "xlsx"), ("csv", "csv")])
def test_an_export_imports_back_as_the_same_breakdown(world, fmt: str, suffix: str) -> None:  # type: ignore[no-untyped-def]
    project = world.project_a
    mockups = Task.objects.get(project=project, name="Maquettes")
    validation = Task.objects.get(project=project, name="Validation des maquettes")
    make_dependency(mockups, validation, "FS", 2)
    Task.objects.filter(pk=mockups.pk).update(start=dt.date(2030, 1, 7), finish=dt.date(2030, 1, 11))
    Task.objects.filter(pk=validation.pk).update(start=dt.date(2030, 1, 15), finish=dt.date(2030, 1, 15))
    data = project_export(project=project, fmt=fmt)
    org = make_org("Agence Copie")
    report = project_import(organisation=org, file=data, name=f"export.{suffix}", by=None, code="COPIE")
    copy = report.project

    def rows(p):  # type: ignore[no-untyped-def]
        return list(Task.objects.filter(project=p).order_by("order").values_list(
            "name", "phase__name", "effort_days", "is_milestone", "deadline", "start", "finish"))

    assert copy.code == "COPIE"
    assert rows(copy) == rows(project)
    assert list(Dependency.objects.filter(successor__project=copy).values_list("predecessor__name", "type", "lag_days")) == [
        ("Maquettes", "FS", 2)]


def test_a_json_export_carries_the_plan() -> None:
    import json

    project = make_project(make_org(), start_date=dt.date(2030, 1, 7))
    make_task(project, "Cadrage", effort_days=2, order=1)
    data = json.loads(project_export(project=project, fmt="json"))
    assert [t["name"] for t in data["tasks"]] == ["Cadrage"] and data["tasks"][0]["start"] == "2030-01-07T09:00:00"
