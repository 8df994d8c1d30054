"""MS Project XML: the real sample files read as MPXJ reads them, the old and new calendar
forms, durations and lags, malformed files, and what Jalon writes read back by Jalon and MPXJ."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from jalon.engine.model import LinkType
from jalon.formats import FormatError
from jalon.formats.mspdi import format_duration, parse_duration, read_mspdi, write_mspdi
from jalon.formats.mpxj_bridge import mpxj_unavailable, read_with_mpxj
from jalon.formats.plan import CalendarException, PlanAssignment, PlanCalendar, PlanDocument, PlanLink, PlanResource, PlanTask

REPO_ROOT = Path(__file__).resolve().parents[3]
SAMPLES = Path(os.environ.get("JALON_SHARED", REPO_ROOT.parent / "shared")) / "clients" / "samples"
MSPDI_SAMPLES = sorted([*SAMPLES.glob("project/*.xml"), *SAMPLES.glob("synthetic/project/*.xml")])


def _samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"sample files not found at {SAMPLES} (set JALON_SHARED to the shared folder)")
    return SAMPLES


def _needs_mpxj() -> None:
    reason = mpxj_unavailable()
    if reason:
        pytest.skip(f"MPXJ cannot run here: {reason}")


def semantic(doc: PlanDocument) -> list[list[object]]:
    """Each task as the oracle files describe it (see samples/expected/*.semantic.json)."""
    names = {t.uid: t.name for t in doc.tasks}
    people = {r.uid: r.name for r in doc.resources}
    rows = []
    for task in doc.tasks:
        links = sorted([names[l.predecessor], LinkType(l.type).value, round(l.lag_days, 2)] for l in doc.links if l.successor == task.uid)
        assignments = sorted([people[a.resource], round(a.units * 100, 1), round(a.work_days or 0, 2)]
                             for a in doc.assignments if a.task == task.uid)
        rows.append([task.name, task.outline_level, task.summary, task.milestone, f"{task.start:%Y-%m-%dT%H:%M}",
                     f"{task.finish:%Y-%m-%dT%H:%M}", round(task.duration_days, 2), links, assignments])
    return rows


def oracle(expected: dict) -> list[list[object]]:
    return [[t["name"], t["outline_level"], t["summary"], t["milestone"], t["start"], t["finish"], t["duration_days"],
             sorted(t["predecessors"]), sorted(t["assignments"])] for t in expected["tasks"]]


@pytest.mark.parametrize("path", MSPDI_SAMPLES, ids=lambda p: p.name)
def test_each_sample_reads_as_mpxj_reads_it(path: Path) -> None:
    folder = _samples()
    expected = json.loads((folder / "expected" / f"{path.name}.semantic.json").read_text())
    doc = read_mspdi(path)
    counts = {"tasks": len(doc.tasks), "links": len(doc.links), "resources": len(doc.resources), "assignments": len(doc.assignments)}
    assert counts == expected["counts"]
    assert semantic(doc) == oracle(expected)
    assert doc.minutes_per_day == expected["minutes_per_day"]
    assert sorted(r.name for r in doc.resources) == sorted(expected["resources"])


def test_the_pre_2007_holiday_form_gives_calendar_exceptions() -> None:
    folder = _samples()
    doc = read_mspdi(folder / "project" / "ganttproject-holidays-mspdi.xml")
    calendar = doc.calendar()
    assert calendar is not None and calendar.name == "Standard"
    assert calendar.weekdays == (0, 1, 2, 3, 4)
    assert [(e.first.isoformat(), e.last.isoformat(), e.working) for e in calendar.exceptions] == [
        ("2010-09-16", "2010-09-16", False), ("2010-09-23", "2010-09-23", False), ("2010-09-24", "2010-09-24", False)]


def test_a_projectlibre_file_without_summary_flags_gets_its_summaries_from_the_outline() -> None:
    folder = _samples()
    doc = read_mspdi(folder / "project" / "projectlibre-New-Product-mspdi.xml")
    assert [t.name for t in doc.tasks if t.summary] == [
        "Design Phase", "Finance Phase", "Production Phase", "Marketing and Sales Phase", "Distribution Phase", "Regional Promotions"]
    assert doc.name == "Project1"


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize("text, minutes", [
    ("PT8H0M0S", 480), ("PT7H30M0S", 450), ("PT0H0M0S", 0), ("PT824H0M0S", 824 * 60), ("P1DT2H", 1560),
    ("-PT16H0M0S", -960), ("PT0.5H", 30), ("PT0H0M30S", 0.5),
])
def test_durations_read_in_minutes(text: str, minutes: float) -> None:
    assert parse_duration(text) == pytest.approx(minutes)


@pytest.mark.parametrize("text", ["", "8h", "P1M", "PT"])
def test_a_bad_duration_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_durations_are_written_as_ms_project_writes_them() -> None:
    assert format_duration(450) == "PT7H30M0S"
    assert format_duration(-420) == "-PT7H0M0S"
    assert parse_duration(format_duration(1234.5)) == pytest.approx(1234.5)


def _project(body: str, header: str = "<MinutesPerDay>480</MinutesPerDay>") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><Project xmlns="http://schemas.microsoft.com/project">'
            f"{header}<Tasks>{body}</Tasks></Project>").encode()


def _task(uid: int, name: str, extra: str = "") -> str:
    return f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name><OutlineLevel>1</OutlineLevel>{extra}</Task>"


def _link(predecessor: int, kind: int = 1, lag: int = 0, lag_format: int = 7) -> str:
    return (f"<PredecessorLink><PredecessorUID>{predecessor}</PredecessorUID><Type>{kind}</Type>"
            f"<LinkLag>{lag}</LinkLag><LagFormat>{lag_format}</LagFormat></PredecessorLink>")


def test_link_types_and_lags_in_tenths_of_minutes() -> None:
    body = (_task(1, "A") + _task(2, "B", _link(1, 1, 4800)) + _task(3, "C", _link(1, 3, -9600)) + _task(4, "D", _link(1, 0, 24000, 9))
            + _task(5, "E", _link(1, 2, 2400)))
    doc = read_mspdi(_project(body), name="links.xml")
    assert [(l.predecessor, l.successor, l.type, l.lag_days) for l in doc.links] == [
        ("1", "2", LinkType.FS, 1.0), ("1", "3", LinkType.SS, -2.0), ("1", "4", LinkType.FF, 5.0), ("1", "5", LinkType.SF, 0.5)]


def test_without_minutes_per_day_a_day_lasts_seven_hours() -> None:
    doc = read_mspdi(_project(_task(1, "A", "<Duration>PT14H0M0S</Duration><Work>PT21H0M0S</Work>"), header=""))
    assert doc.minutes_per_day == 420
    assert (doc.tasks[0].duration_days, doc.tasks[0].work_days) == (2.0, 3.0)


def test_constraints_and_deadlines() -> None:
    body = (_task(1, "Snet", "<ConstraintType>4</ConstraintType><ConstraintDate>2030-02-04T08:00:00</ConstraintDate>")
            + _task(2, "Mso", "<ConstraintType>2</ConstraintType><ConstraintDate>2030-02-05T08:00:00</ConstraintDate>")
            + _task(3, "Fnlt", "<ConstraintType>7</ConstraintType><ConstraintDate>2030-03-01T17:00:00</ConstraintDate>"
                    "<Deadline>2030-02-20T17:00:00</Deadline>")
            + _task(4, "Alap", "<ConstraintType>1</ConstraintType><Priority>1000</Priority>"))
    snet, mso, fnlt, alap = read_mspdi(_project(body)).tasks
    assert snet.start_no_earlier_than == dt.date(2030, 2, 4) and snet.constraint == "SNET"
    assert mso.pinned_start == dt.date(2030, 2, 5)
    assert fnlt.deadline == dt.date(2030, 2, 20)  # the earlier of the constraint and the deadline
    assert (alap.constraint, alap.priority) == ("ALAP", 5)


def test_the_project_summary_task_and_null_tasks_are_not_tasks() -> None:
    body = ("<Task><UID>0</UID><ID>0</ID><Name>Site vitrine</Name><OutlineLevel>0</OutlineLevel></Task>"
            + _task(1, "A") + "<Task><UID>2</UID><ID>2</ID><IsNull>1</IsNull></Task>")
    doc = read_mspdi(_project(body, header=""))
    assert [t.name for t in doc.tasks] == ["A"]
    assert doc.name == "Site vitrine"


# --------------------------------------------------------------------------- malformed files


def test_a_truncated_file_says_so_with_its_line() -> None:
    data = _project(_task(1, "A") + _task(2, "B", _link(1)))[:-40]
    with pytest.raises(FormatError, match="truncated") as caught:
        read_mspdi(data, name="plan.xml")
    assert caught.value.line == 1 and str(caught.value).startswith("plan.xml:1:")


def test_a_file_in_the_wrong_encoding_names_the_line_and_the_fix() -> None:
    data = _project(_task(1, "Tâche")).replace("Tâche".encode(), "Tâche".encode("cp1252"))
    with pytest.raises(FormatError, match="UTF-8"):
        read_mspdi(data, name="plan.xml")


def test_a_link_to_an_unknown_task_names_it() -> None:
    data = _project(_task(1, "A") + _task(2, "B", _link(99)))
    with pytest.raises(FormatError, match="no task has the id '99'"):
        read_mspdi(data, name="plan.xml")


def test_a_cycle_names_its_tasks_in_order() -> None:
    data = _project(_task(1, "Maquettes", _link(3)) + _task(2, "Intégration", _link(1)) + _task(3, "Recette", _link(2)))
    with pytest.raises(FormatError, match="cycle: Maquettes → Intégration → Recette → Maquettes"):
        read_mspdi(data, name="plan.xml")


def test_an_xml_bomb_is_refused_before_it_expands() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
            b"<Project><Name>&lol2;</Name></Project>")
    with pytest.raises(FormatError, match="DTD or entities"):
        read_mspdi(bomb, name="bomb.xml")


def test_an_external_entity_is_refused() -> None:
    xxe = b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Project><Name>&x;</Name></Project>'
    with pytest.raises(FormatError, match="refused"):
        read_mspdi(xxe, name="xxe.xml")


def test_another_xml_file_is_not_taken_for_a_plan() -> None:
    with pytest.raises(FormatError, match="root element <Project>"):
        read_mspdi(b"<html><body/></html>", name="page.xml")


def test_a_bad_value_names_its_element_and_line() -> None:
    data = _project(_task(1, "A") + "\n" + _task(2, "B", "<Start>demain</Start>"))
    with pytest.raises(FormatError, match="<Start>") as caught:
        read_mspdi(data, name="plan.xml")
    assert caught.value.line == 2


# --------------------------------------------------------------------------- writing


def small_plan() -> PlanDocument:
    at = dt.datetime
    return PlanDocument(
        name="Refonte boulangerie", minutes_per_day=420, default_calendar="1",
        start=at(2030, 1, 7, 9), finish=at(2030, 1, 17, 18),
        calendars=[PlanCalendar("1", "Agence", (0, 1, 2, 3, 4), [CalendarException(dt.date(2030, 1, 14), dt.date(2030, 1, 14), False, "Fermeture")])],
        tasks=[
            PlanTask("1", "Design UI", 1, "1", summary=True, start=at(2030, 1, 7, 9), finish=at(2030, 1, 17, 18), duration_days=8),
            PlanTask("2", "Maquettes", 2, "1.1", start=at(2030, 1, 7, 9), finish=at(2030, 1, 11, 18), duration_days=5, work_days=5),
            PlanTask("3", "Intégration", 2, "1.2", start=at(2030, 1, 15, 9), finish=at(2030, 1, 17, 18), duration_days=3, work_days=6,
                     deadline=dt.date(2030, 1, 31), start_no_earlier_than=dt.date(2030, 1, 15)),
            PlanTask("4", "Validation des maquettes", 1, "2", milestone=True, start=at(2030, 1, 17, 18), finish=at(2030, 1, 17, 18)),
        ],
        links=[PlanLink("2", "3", LinkType.FS, 1.0), PlanLink("3", "4", LinkType.FF, 0.0)],
        resources=[PlanResource("1", "Mona Graphiste", email="mona@example.fr"), PlanResource("2", "Paul Martin")],
        assignments=[PlanAssignment("2", "1", 1.0, 5.0), PlanAssignment("3", "1", 1.0, 3.0), PlanAssignment("3", "2", 1.0, 3.0)],
    )


def test_what_jalon_writes_jalon_reads_back() -> None:
    original = small_plan()
    again = read_mspdi(write_mspdi(original), name="export.xml")
    assert semantic(again) == semantic(original)
    assert again.minutes_per_day == 420 and again.name == "Refonte boulangerie"
    calendar = again.calendar()
    assert calendar is not None and calendar.exceptions == original.calendars[0].exceptions
    assert calendar.periods == original.calendars[0].periods
    integration = again.tasks[2]
    assert (integration.deadline, integration.start_no_earlier_than) == (dt.date(2030, 1, 31), dt.date(2030, 1, 15))


def test_what_jalon_writes_mpxj_reads_with_the_same_tasks_dates_links_and_assignments(tmp_path: Path) -> None:
    _needs_mpxj()
    original = small_plan()
    path = tmp_path / "export.xml"
    path.write_bytes(write_mspdi(original))
    seen = read_with_mpxj(path)
    assert semantic(seen) == semantic(original)
    calendar = seen.calendar()
    assert calendar is not None and calendar.weekdays == (0, 1, 2, 3, 4)
    assert [(e.first, e.working) for e in calendar.exceptions] == [(dt.date(2030, 1, 14), False)]
    assert seen.tasks[2].deadline == dt.date(2030, 1, 31)
