"""`jalon import`, `export`, `backup`, `restore`: the file exchanges from the command line,
with one-sentence errors and non-zero exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalon.accounts.models import Organisation, User
from jalon.cli import main
from jalon.projects.models import Project, Task

pytestmark = pytest.mark.django_db

CSV = "Phase;Nom;Charge (j/h)\r\nCadrage;Ateliers;2\r\nCadrage;Spécifications;3,5\r\n".encode("cp1252")


def test_import_creates_the_project_then_export_writes_it(world, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "taches.csv"
    source.write_bytes(CSV)
    assert main(["import", str(source), "--project", "NEUF", "--organisation", "Agence Durand"]) == 0
    assert "2 tâches" in capsys.readouterr().out
    project = Project.objects.get(code="NEUF")
    assert list(Task.objects.filter(project=project).values_list("name", flat=True)) == ["Ateliers", "Spécifications"]
    target = tmp_path / "neuf.xml"
    assert main(["export", "NEUF", "--format", "mspdi", "-o", str(target)]) == 0
    assert b"<Name>Sp\xc3\xa9cifications</Name>" in target.read_bytes()


def test_a_bad_file_fails_in_one_sentence_with_a_non_zero_exit(world, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "taches.csv"
    source.write_bytes(CSV.replace(b"3,5", b"trois"))
    before = Task.objects.count()
    assert main(["import", str(source), "--project", "BOUL"]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("jalon: nothing was imported:") and "column « Charge (j/h) »" in error and "\n" not in error
    assert Task.objects.count() == before


def test_export_of_an_unknown_project(world, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["export", "NOPE"]) == 1
    assert capsys.readouterr().err == "jalon: no project has the code 'NOPE'\n"


def test_backup_then_restore_into_an_empty_database(world, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "durand.json"
    assert main(["backup", str(target), "--organisation", "Agence Durand"]) == 0
    Project.objects.all().delete()
    Organisation.objects.all().delete()
    User.objects.all().delete()
    assert main(["restore", str(target)]) == 0
    assert "restored" in capsys.readouterr().out
    assert Organisation.objects.get().name == "Agence Durand"


def test_backup_needs_an_organisation_name_when_there_are_several(world, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["backup", str(tmp_path / "x.json")]) == 1
    assert "--organisation NAME" in capsys.readouterr().err


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "x.json"
    source.write_text('{"format": "something else"}')
    assert main(["restore", str(source)]) == 1
    assert capsys.readouterr().err.startswith("jalon: nothing was restored: the file is not a Jalon backup")


@pytest.mark.parametrize("command", ["import", "export", "backup", "restore"])
def test_every_command_has_help(command: str, capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0 and f"usage: jalon {command}" in capsys.readouterr().out
