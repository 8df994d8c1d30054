"""CSV and XLSX task lists: French Excel and English files, every error naming its row and
column, and what Jalon writes read back the same."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from jalon.engine.model import LinkType
from jalon.formats import FormatError
from jalon.formats.plan import PlanAssignment, PlanDocument, PlanLink, PlanResource, PlanTask
from jalon.formats.tabular import normalise_header, read_tabular, write_csv, write_xlsx

FRENCH_EXCEL = (
    "N°;Phase;Nom;Charge (j/h);Durée;Début;Fin;Prédécesseurs;Compétences;Jalon;Affectés\r\n"
    "1;Conception;Ateliers besoins;2,5;;06/01/2030;08/01/2030;;UX design:3;non;Léa Dupré\r\n"
    "2;Conception > Wireframes;Arborescence;1;;;;1FS+2;;;\r\n"
    "3;Conception > Wireframes;Wireframes;14 h;3;;;1DD-1, 2;UX design, Design UI (4);;Léa Dupré, Hugo Bernard\r\n"
    "4;Design;Validation des maquettes;;;;;3;;oui;\r\n"
)


def test_a_french_excel_csv_in_windows_1252_reads_whole() -> None:
    doc = read_tabular(FRENCH_EXCEL.encode("cp1252"), name="taches.csv")
    assert [(t.name, t.outline_level, t.summary) for t in doc.tasks] == [
        ("Conception", 1, True), ("Ateliers besoins", 2, False), ("Wireframes", 2, True), ("Arborescence", 3, False),
        ("Wireframes", 3, False), ("Design", 1, True), ("Validation des maquettes", 2, False)]
    workshops, tree, wireframes, validation = (t for t in doc.tasks if not t.summary)
    assert (workshops.work_days, workshops.fixed_duration, workshops.skills) == (2.5, False, [("UX design", 3)])
    assert (workshops.start, workshops.finish) == (dt.datetime(2030, 1, 6), dt.datetime(2030, 1, 8))
    assert (wireframes.work_days, wireframes.duration_days, wireframes.fixed_duration) == (2.0, 3.0, True)
    assert wireframes.skills == [("UX design", 1), ("Design UI", 4)]
    assert validation.milestone and validation.work_days is None
    assert [(l.predecessor, l.successor, l.type, l.lag_days) for l in doc.links] == [
        ("1", "2", LinkType.FS, 2.0), ("1", "3", LinkType.SS, -1.0), ("2", "3", LinkType.FS, 0.0), ("3", "4", LinkType.FS, 0.0)]
    assert [r.name for r in doc.resources] == ["Léa Dupré", "Hugo Bernard"]
    assert [(a.task, a.resource) for a in doc.assignments] == [("1", "léa dupré"), ("3", "léa dupré"), ("3", "hugo bernard")]


def test_utf8_with_a_bom_reads_the_same_as_windows_1252() -> None:
    from_bom = read_tabular(b"\xef\xbb\xbf" + FRENCH_EXCEL.encode("utf-8"), name="taches.csv")
    from_cp1252 = read_tabular(FRENCH_EXCEL.encode("cp1252"), name="taches.csv")
    assert [t.name for t in from_bom.tasks] == [t.name for t in from_cp1252.tasks]


def test_english_headers_commas_and_iso_dates() -> None:
    text = ("ID,WBS,Task Name,Effort (days),Start,Finish,Predecessors,Milestone,Deadline,Priority\n"
            "10,Build,Back office,4.5,2030-02-04,2030-02-08,,no,2030-02-15,5\n"
            "11,Build,Go-live,,,,10FS+4h,yes,,\n")
    doc = read_tabular(text.encode(), name="tasks.csv", hours_per_day=8)
    office, golive = doc.tasks[1:]
    assert (office.uid, office.work_days, office.deadline, office.priority) == ("10", 4.5, dt.date(2030, 2, 15), 5)
    assert golive.milestone
    assert doc.links == [PlanLink("10", "11", LinkType.FS, 0.5, 3)]


@pytest.mark.parametrize("header", ["Charge (j/h)", "charge", "CHARGE (J/H)", "Effort (days)"])
def test_effort_headers_are_recognised_whatever_their_case_and_units(header: str) -> None:
    assert normalise_header(header) in ("charge", "effort")


@pytest.mark.parametrize("row, column, message", [
    ("1;Maquettes;beaucoup;;", "Charge (j/h)", "expected a number of days"),
    ("1;Maquettes;2;31/02/2030;", "Début", "expected a date"),
    ("1;Maquettes;2;;7FS", "Prédécesseurs", "no task has the id '7'"),
    ("1;Maquettes;-2;;", "Charge (j/h)", "cannot be negative"),
])
def test_each_error_names_its_row_and_column(row: str, column: str, message: str) -> None:
    data = f"N°;Nom;Charge (j/h);Début;Prédécesseurs\r\n0;Cadrage;1;;\r\n{row}\r\n".encode()
    with pytest.raises(FormatError, match=message) as caught:
        read_tabular(data, name="taches.csv")
    assert caught.value.line == 3
    assert f"column « {column} »" in str(caught.value)


def test_a_milestone_with_effort_is_refused() -> None:
    data = "Nom;Charge (j/h);Jalon\r\nMise en ligne;2;oui\r\n".encode()
    with pytest.raises(FormatError, match="milestone"):
        read_tabular(data, name="taches.csv")


def test_a_file_without_a_name_column_says_which_header_it_wants() -> None:
    with pytest.raises(FormatError, match="« Nom »"):
        read_tabular("Phase;Charge\r\nDesign;2\r\n".encode(), name="taches.csv")


def test_a_cycle_in_a_csv_names_its_tasks() -> None:
    data = "N°;Nom;Prédécesseurs\r\n1;Maquettes;2\r\n2;Intégration;1\r\n".encode()
    with pytest.raises(FormatError, match="Maquettes → Intégration → Maquettes"):
        read_tabular(data, name="taches.csv")


def plan() -> PlanDocument:
    return PlanDocument(
        tasks=[
            PlanTask("p1", "Design UI", 1, summary=True),
            PlanTask("1", "Maquettes", 2, work_days=5.5, duration_days=5.5, fixed_duration=False,
                     start=dt.datetime(2030, 1, 7), finish=dt.datetime(2030, 1, 14), skills=[("Design UI", 3)]),
            PlanTask("2", "Validation", 2, milestone=True, deadline=dt.date(2030, 2, 14)),
            PlanTask("3", "Suivi", 1, work_days=2, duration_days=10, fixed_duration=True, start_no_earlier_than=dt.date(2030, 3, 1)),
        ],
        links=[PlanLink("1", "2", LinkType.FS, 0.0), PlanLink("2", "3", LinkType.SS, 2.0)],
        resources=[PlanResource("mona", "Mona Graphiste")],
        assignments=[PlanAssignment("1", "mona")],
    )


def _leaves(doc: PlanDocument) -> list[tuple[object, ...]]:
    return [(t.name, t.outline_level, t.summary, t.milestone, t.work_days or 0.0, t.duration_days if t.fixed_duration and not t.milestone else None,
             t.start, t.finish, t.skills, t.deadline, t.start_no_earlier_than) for t in doc.tasks]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_csv_written_by_jalon_reads_back_the_same(language: str) -> None:
    data = write_csv(plan(), language=language)
    if language == "fr":
        assert data.startswith(b"\xef\xbb\xbf") and b";" in data.splitlines()[0] and "5,5".encode() in data
    doc = read_tabular(data, name="export.csv")
    assert _leaves(doc) == _leaves(plan())
    assert [(l.type, l.lag_days) for l in doc.links] == [(LinkType.FS, 0.0), (LinkType.SS, 2.0)]
    assert [r.name for r in doc.resources] == ["Mona Graphiste"]


def test_xlsx_written_by_jalon_reads_back_the_same() -> None:
    from openpyxl import load_workbook

    data = write_xlsx(plan())
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["C1"].value == "Nom" and sheet["F2"].value == dt.datetime(2030, 1, 7)
    doc = read_tabular(data, name="export.xlsx")
    assert _leaves(doc) == _leaves(plan())
    assert len(doc.links) == 2


def test_an_xlsx_error_names_the_sheet_row_and_column() -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Planning"
    workbook.active.append(["Nom", "Début"])
    workbook.active.append(["Maquettes", "bientôt"])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(FormatError, match="column « Début »") as caught:
        read_tabular(out.getvalue(), name="plan.xlsx")
    assert caught.value.line == 2 and "sheet « Planning »" in str(caught.value)


def test_a_broken_xlsx_is_refused_in_one_sentence() -> None:
    with pytest.raises(FormatError, match="not a readable Excel"):
        read_tabular(b"PK\x03\x04 not really a zip", name="plan.xlsx")
