"""The project's file page: who may export and import (a whole row of status codes per view,
see test_access_matrix.py for the columns), and what an import shows."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jalon.projects.models import Dependency, Phase, Task

pytestmark = pytest.mark.django_db

CSV = ("N°;Phase;Nom;Charge (j/h);Prédécesseurs;Jalon\r\n"
       "1;Développement;Intégration;4,5;;non\r\n"
       "2;Développement;Mise en ligne;;1;oui\r\n").encode("cp1252")


def test_file_page(world, status_row) -> None:  # type: ignore[no-untyped-def]
    url = reverse("project_files", args=[world.project_a.pk])
    assert status_row(world, "GET", url) == [302, 200, 200, 200, 403, 404, 404]


@pytest.mark.parametrize("fmt", ["mspdi", "csv", "xlsx", "json"])
def test_export(world, status_row, fmt: str) -> None:  # type: ignore[no-untyped-def]
    url = reverse("project_export", args=[world.project_a.pk, fmt])
    assert status_row(world, "GET", url) == [302, 200, 200, 200, 403, 404, 404]


def test_export_of_an_unknown_format(world, status_row) -> None:  # type: ignore[no-untyped-def]
    url = reverse("project_export", args=[world.project_a.pk, "pdf"])
    assert status_row(world, "GET", url) == [302, 404, 404, 404, 403, 404, 404]


def test_import_without_a_file(world, status_row) -> None:  # type: ignore[no-untyped-def]
    url = reverse("project_files", args=[world.project_a.pk])
    assert status_row(world, "POST", url) == [302, 400, 400, 403, 403, 404, 404]


def test_an_export_downloads_with_a_file_name(world, as_role) -> None:  # type: ignore[no-untyped-def]
    response = as_role(world, "pm").get(reverse("project_export", args=[world.project_a.pk, "csv"]))
    assert response["Content-Disposition"] == 'attachment; filename="BOUL.csv"'
    assert "Maquettes".encode() in response.content and response.content.startswith(b"\xef\xbb\xbf")


def test_an_import_adds_the_tasks_and_says_what_it_did(world, as_role) -> None:  # type: ignore[no-untyped-def]
    http = as_role(world, "pm")
    url = reverse("project_files", args=[world.project_a.pk])
    response = http.post(url, {"file": SimpleUploadedFile("taches.csv", CSV)}, follow=True)
    assert response.status_code == 200
    assert "2 tâches" in response.content.decode() and "1 dépendance" in response.content.decode()
    assert Task.objects.get(project=world.project_a, name="Mise en ligne").is_milestone
    assert Phase.objects.filter(project=world.project_a, name="Développement").exists()


def test_a_failed_import_shows_the_row_and_column_and_changes_nothing(world, as_role) -> None:  # type: ignore[no-untyped-def]
    before = (Task.objects.count(), Dependency.objects.count(), Phase.objects.count())
    bad = CSV.replace(b"4,5", b"quatre")
    response = as_role(world, "pm").post(reverse("project_files", args=[world.project_a.pk]),
                                         {"file": SimpleUploadedFile("taches.csv", bad)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Rien n&#x27;a été importé" in text and "taches.csv:2" in text and "Charge (j/h)" in text
    assert (Task.objects.count(), Dependency.objects.count(), Phase.objects.count()) == before


def test_an_unknown_file_type_is_refused_by_the_form(world, as_role) -> None:  # type: ignore[no-untyped-def]
    response = as_role(world, "pm").post(reverse("project_files", args=[world.project_a.pk]),
                                         {"file": SimpleUploadedFile("notes.pdf", b"%PDF-1.7")})
    assert response.status_code == 400 and "Type de fichier non reconnu" in response.content.decode()
