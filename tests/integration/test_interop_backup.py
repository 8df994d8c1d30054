"""Backup and restore of a whole organisation: backup -> restore into an empty database ->
backup again gives the same bytes; newer or foreign files are refused and change nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth import authenticate

from jalon.accounts.models import Organisation, User
from jalon.interop.backup import FORMAT, VERSION, BackupError, backed_up_models, organisation_backup, organisation_restore
from jalon.people.models import Person
from jalon.projects.models import Dependency, Phase, Project, Task
from tests.factories import PASSWORD, make_absence, make_dependency, make_phase, make_task

pytestmark = pytest.mark.django_db


def enrich(world) -> None:  # type: ignore[no-untyped-def]
    """More of what an agency holds: sub-phases, links, skills, absences, a planned task."""
    project = world.project_a
    design = Phase.objects.get(project=project, name="Design UI")
    sub = make_phase(project, "Déclinaisons", parent=design, order=2)
    mockups = Task.objects.get(project=project, name="Maquettes")
    mobile = make_task(project, "Maquettes mobile", effort_days="2.50", phase=sub, order=3, skills={"Design UI": 3},
                       start=dt.date(2030, 1, 14), finish=dt.date(2030, 1, 16))
    make_dependency(mockups, mobile, "SS", 2)
    make_absence(Person.objects.get(first_name="Mona"), dt.date(2030, 2, 4), dt.date(2030, 2, 8))
    # A sub-phase created before its parent: its parent link is restored after both exist.
    early = make_phase(project, "Avant", order=9)
    late = make_phase(project, "Après", order=10)
    early.parent = late
    early.save()


def wipe() -> None:
    """An empty database: every organisation and login gone."""
    Project.objects.all().delete()
    Organisation.objects.all().delete()
    User.objects.all().delete()


def test_backup_restore_backup_gives_the_same_bytes(world) -> None:  # type: ignore[no-untyped-def]
    enrich(world)
    organisation = world.project_a.organisation
    first = organisation_backup(organisation=organisation)
    wipe()
    restored = organisation_restore(data=first)
    second = organisation_backup(organisation=restored)
    assert second == first
    assert Task.objects.filter(project__organisation=restored).count() == 3
    assert Dependency.objects.filter(type="SS", lag_days=2).count() == 1
    assert Phase.objects.get(name="Avant").parent.name == "Après"


def test_the_file_says_its_format_and_names_rows_by_rank_not_by_id(world) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(organisation_backup(organisation=world.project_a.organisation))
    assert (data["format"], data["version"], data["organisation"]) == (FORMAT, VERSION, "Agence Durand")
    sections = {s["model"]: s["rows"] for s in data["models"]}
    assert [row["name"] for row in sections["projects.project"]] == ["Refonte boulangerie", "Boutique cave"]
    assert all("id" not in row for rows in sections.values() for row in rows)
    assert sections["projects.task"][0]["project"] == 1
    assert "jobs.jobprogress" not in sections
    # The other organisation stays out.
    assert "Projet rival" not in json.dumps(data)


def test_people_log_in_with_their_password_after_a_restore(world) -> None:  # type: ignore[no-untyped-def]
    data = organisation_backup(organisation=world.project_a.organisation)
    wipe()
    organisation_restore(data=data)
    assert authenticate(username="pm", password=PASSWORD) is not None


def test_a_backup_from_a_newer_version_is_refused_and_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(organisation_backup(organisation=world.project_a.organisation))
    data["version"] = VERSION + 1
    wipe()
    with pytest.raises(BackupError, match=f"newer Jalon \\(format version {VERSION + 1}\\).*update Jalon"):
        organisation_restore(data=json.dumps(data))
    assert Organisation.objects.count() == 0


@pytest.mark.parametrize("content, message", [
    (b"not json", "not valid JSON"),
    (b'{"format": "other"}', "not a Jalon backup"),
    (b'{"format": "jalon-backup", "version": 1, "models": [{"model": "nowhere.table", "rows": []}]}', "does not back up"),
])
def test_a_foreign_file_is_refused_in_one_sentence(content: bytes, message: str) -> None:
    with pytest.raises(BackupError, match=message):
        organisation_restore(data=content)


def test_restoring_next_to_the_same_logins_is_refused_and_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    data = organisation_backup(organisation=world.project_a.organisation)
    before = (Organisation.objects.count(), Task.objects.count())
    with pytest.raises(BackupError, match="already exist.*admin"):
        organisation_restore(data=data)
    assert (Organisation.objects.count(), Task.objects.count()) == before


def test_a_broken_reference_is_refused_and_nothing_stays_written(world) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(organisation_backup(organisation=world.project_a.organisation))
    wipe()
    for section in data["models"]:
        if section["model"] == "projects.task":
            section["rows"][0]["project"] = 99
    with pytest.raises(BackupError, match="projects.task row 1: project refers to row 99"):
        organisation_restore(data=json.dumps(data))
    assert Organisation.objects.count() == 0 and User.objects.count() == 0


def test_every_model_that_belongs_to_an_organisation_is_backed_up() -> None:
    labels = {model._meta.label_lower for model, _path in backed_up_models()}
    assert {"accounts.organisation", "accounts.user", "projects.task", "projects.dependency", "people.absence",
            "specs.requirement", "planning.baseline"} <= labels
    assert not any(label.split(".")[1].startswith("historical") for label in labels)


def test_the_demo_agency_survives_a_backup_and_restore_byte_for_byte() -> None:
    """The demo fills every part of Jalon (specs, plans, baselines, meetings...): a wide check."""
    from jalon.projects.demo import demo_load

    demo_load()
    organisation = Organisation.objects.get()
    first = organisation_backup(organisation=organisation)
    wipe()
    assert organisation_backup(organisation=organisation_restore(data=first)) == first
    sections = {s["model"]: len(s["rows"]) for s in json.loads(first)["models"]}
    assert sections["projects.task"] > 10 and sections["specs.requirement"] > 0
