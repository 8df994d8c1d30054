"""MS Project XML into and out of Jalon: the real sample files import with what MPXJ reads,
malformed files change nothing, and what Jalon exports MPXJ reads as Jalon's plan."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from jalon.formats import FormatError
from jalon.formats.mpxj_bridge import mpxj_unavailable, read_with_mpxj
from jalon.interop.services import project_export, project_import
from jalon.people.models import Person
from jalon.projects.models import Assignment, Dependency, Phase, Project, Task
from tests.factories import make_assignment, make_dependency, make_org, make_person, make_phase, make_project, make_task

pytestmark = pytest.mark.django_db

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLES = Path(os.environ.get("JALON_SHARED", REPO_ROOT.parent / "shared")) / "clients" / "samples"
MSPDI_FILES = ["mpxj-task-links-project2019-mspdi.xml", "mpxj-assignment-assignments-project2019-mspdi.xml",
               "projectlibre-New-Product-mspdi.xml", "ganttproject-holidays-mspdi.xml", "minimal-cpm-ready-mspdi.xml"]
MPXJ_FILES = ["mpxj-task-links-project2019-mpp14.mpp", "ganttproject-HouseBuildingSample.gan"]


def sample(name: str) -> Path:
    for folder in ("project", "synthetic/project"):
        path = SAMPLES / folder / name
        if path.exists():
            return path
    pytest.skip(f"sample files not found under {SAMPLES} (set JALON_SHARED to the shared folder)")


def expected(name: str) -> dict:
    return json.loads((SAMPLES / "expected" / f"{name}.semantic.json").read_text())


def needs_mpxj() -> None:
    reason = mpxj_unavailable()
    if reason:
        pytest.skip(f"MPXJ cannot run here: {reason}")


def table_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Project, Phase, Task, Dependency, Person, Assignment)}


def org_without_holidays():  # type: ignore[no-untyped-def]
    """The sample plans follow a calendar without public holidays; so does this organisation."""
    return make_org("Agence Import", holiday_country="")


# --------------------------------------------------------------------------- samples in


@pytest.mark.parametrize("name", MSPDI_FILES + MPXJ_FILES)
def test_each_sample_imports_with_the_tasks_dates_and_links_mpxj_reads(name: str) -> None:
    path = sample(name)
    if path.suffix in (".mpp", ".gan"):
        needs_mpxj()
    oracle = expected(name)
    report = project_import(organisation=org_without_holidays(), file=path, by=None)
    project = report.project
    assert report.phases + report.tasks == oracle["counts"]["tasks"]
    leaves = [t for t in oracle["tasks"] if not t["summary"]]
    stored_tasks = list(Task.objects.filter(project=project).order_by("order"))
    assert [t.name for t in stored_tasks] == [t["name"] for t in leaves]
    for task, wanted in zip(stored_tasks, leaves):
        assert (task.start.isoformat(), task.finish.isoformat()) == (wanted["start"][:10], wanted["finish"][:10]), task.name
    leaves = {t["name"]: t for t in leaves}
    leaf_links = sorted((p, k, round(lag)) for t in oracle["tasks"] if not t["summary"]
                        for p, k, lag in t["predecessors"] if p in leaves)
    stored = sorted(Dependency.objects.filter(successor__project=project).values_list("predecessor__name", "type", "lag_days"))
    assert [link for link in leaf_links if link in stored] == leaf_links
    assert report.dependencies == len(stored)


def test_a_project_summary_link_is_carried_by_the_tasks_that_end_and_start_the_phases() -> None:
    report = project_import(organisation=org_without_holidays(), file=sample("projectlibre-New-Product-mspdi.xml"), by=None)
    pairs = set(Dependency.objects.filter(successor__project=report.project).values_list("predecessor__name", "successor__name"))
    # Finance Phase FS -> Marketing and Sales Phase: Finance ends with two tasks, Marketing starts with one.
    assert {("Meet with bankers", "Develop marketing plan"), ("Financing closed", "Develop marketing plan")} <= pairs
    # 34 links between tasks, then the three phase links, carried by 2, 1 and 1 task links.
    assert report.dependencies == 34 + 2 + 1 + 1
    assert any("phases" in w for w in report.warnings)


def test_the_outline_becomes_phases_and_assignments_become_people() -> None:
    report = project_import(organisation=org_without_holidays(), file=sample("projectlibre-New-Product-mspdi.xml"), by=None)
    project = report.project
    assert list(Phase.objects.filter(project=project, parent=None).values_list("name", flat=True)) == [
        "Design Phase", "Finance Phase", "Production Phase", "Marketing and Sales Phase", "Distribution Phase", "Regional Promotions"]
    design = Task.objects.get(project=project, name="Prototype design")
    assert design.phase.name == "Design Phase" and design.duration_days == 25 and design.effort_days == 37.5
    assert sorted(design.assignments.values_list("person__first_name", "person__last_name")) == [("Bill", "Kirk"), ("Scott", "Adams")]
    assert Task.objects.get(project=project, name="Begin project").is_milestone
    assert report.assignments == 28


def test_importing_into_a_project_adds_after_its_tasks_and_reuses_its_phases() -> None:
    org = org_without_holidays()
    project = make_project(org, code="NP")
    existing = make_phase(project, "Design Phase", order=1)
    make_task(project, "Cadrage", order=1)
    project_import(organisation=org, file=sample("projectlibre-New-Product-mspdi.xml"), project=project, by=None)
    assert Phase.objects.filter(project=project, name="Design Phase").count() == 1
    assert Task.objects.get(project=project, name="Prototype design").phase == existing
    assert Task.objects.filter(project=project).order_by("order").first().name == "Cadrage"


# --------------------------------------------------------------------------- malformed files change nothing


def _broken_files() -> dict[str, bytes]:
    head = '<?xml version="1.0" encoding="UTF-8"?><Project xmlns="http://schemas.microsoft.com/project"><Tasks>'
    task = "<Task><UID>{0}</UID><ID>{0}</ID><Name>{1}</Name><Duration>PT{2}H0M0S</Duration>{3}</Task>"
    link = "<PredecessorLink><PredecessorUID>{0}</PredecessorUID><Type>1</Type></PredecessorLink>"
    return {
        "truncated": (head + task.format(1, "A", 7, "") + task.format(2, "B", 7, link.format(1)))[:-30].encode(),
        "wrong encoding": (head + task.format(1, "Tâche", 7, "") + "</Tasks></Project>").encode("cp1252"),
        "unknown task id": (head + task.format(1, "A", 7, "") + task.format(2, "B", 7, link.format(42)) + "</Tasks></Project>").encode(),
        "cycle": (head + task.format(1, "A", 7, link.format(2)) + task.format(2, "B", 7, link.format(1)) + "</Tasks></Project>").encode(),
        # Well-formed, fails while writing: the phase is created, then the task is refused.
        "duration too long": (head + '<Task><UID>9</UID><ID>1</ID><Name>Lot</Name><OutlineLevel>1</OutlineLevel></Task>'
                              + task.format(1, "A", 7 * 200000, "").replace("<Duration>", "<OutlineLevel>2</OutlineLevel><Duration>")
                              + "</Tasks></Project>").encode(),
    }


@pytest.mark.parametrize("fault", list(_broken_files()))
def test_a_malformed_file_gives_one_error_and_changes_nothing(fault: str, world) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    with pytest.raises(FormatError) as caught:
        project_import(organisation=world.project_a.organisation, file=_broken_files()[fault], name="plan.xml",
                       project=world.project_a, by=world.user("pm"))
    assert str(caught.value).startswith("plan.xml")
    assert "\n" not in str(caught.value)
    assert table_counts() == before


def test_a_new_project_is_not_left_behind_when_the_import_fails(world) -> None:  # type: ignore[no-untyped-def]
    before = table_counts()
    with pytest.raises(FormatError, match="must lie between"):
        project_import(organisation=world.project_a.organisation, file=_broken_files()["duration too long"], name="plan.xml", by=None)
    assert table_counts() == before


# --------------------------------------------------------------------------- Jalon out, MPXJ in


def planned_project():  # type: ignore[no-untyped-def]
    """A small planned project: two phases, a milestone, links of each kind, assignments."""
    org = make_org("Agence Durand")
    project = make_project(org, name="Refonte boulangerie", code="BOUL", start_date=dt.date(2030, 4, 29))
    design, build = make_phase(project, "Design UI", order=1), make_phase(project, "Développement", order=2)
    sub = make_phase(project, "Intégration", order=1, parent=build)
    mona, hugo = make_person(org, "Mona", last_name="Graphiste"), make_person(org, "Hugo", last_name="Bernard")
    d = dt.date
    mockups = make_task(project, "Maquettes", effort_days=5, phase=design, order=1, start=d(2030, 4, 29), finish=d(2030, 5, 6),
                        deadline=d(2030, 5, 31))
    ok = make_task(project, "Validation des maquettes", effort_days=0, is_milestone=True, phase=design, order=2,
                   start=d(2030, 5, 6), finish=d(2030, 5, 6))
    html = make_task(project, "Intégration HTML", effort_days=6, phase=sub, order=3, start=d(2030, 5, 7), finish=d(2030, 5, 13),
                     start_no_earlier_than=d(2030, 5, 7))
    back = make_task(project, "Back office", effort_days=4, duration_days=4, phase=build, order=4, start=d(2030, 5, 10),
                     finish=d(2030, 5, 15))
    make_dependency(mockups, ok)
    make_dependency(ok, html, "FS", 0)
    make_dependency(html, back, "SS", 3)
    make_assignment(mockups, mona)
    make_assignment(html, hugo)
    make_assignment(html, mona)
    return project


def test_jalon_to_mspdi_to_mpxj_gives_back_jalons_plan(tmp_path: Path) -> None:
    needs_mpxj()
    project = planned_project()
    path = tmp_path / "BOUL.xml"
    path.write_bytes(project_export(project=project, fmt="mspdi"))
    seen = read_with_mpxj(path)
    rows = [(t.name, t.outline_level, t.summary, t.milestone) for t in seen.tasks]
    assert rows == [("Design UI", 1, True, False), ("Maquettes", 2, False, False), ("Validation des maquettes", 2, False, True),
                    ("Développement", 1, True, False), ("Intégration", 2, True, False), ("Intégration HTML", 3, False, False),
                    ("Back office", 2, False, False)]
    dates = {t.name: (t.start.date(), t.finish.date(), t.duration_days) for t in seen.tasks if not t.summary}
    for task in Task.objects.filter(project=project):
        # 8 May 2030 is a public holiday in France: Maquettes lasts 5 working days, not 6.
        days = 0 if task.is_milestone else (5 if task.name == "Maquettes" else None)
        assert dates[task.name][:2] == (task.start, task.finish), task.name
        if days is not None:
            assert dates[task.name][2] == days
    names = {t.uid: t.name for t in seen.tasks}
    links = sorted((names[l.predecessor], names[l.successor], l.type.value, l.lag_days) for l in seen.links)
    assert links == [("Intégration HTML", "Back office", "SS", 3.0), ("Maquettes", "Validation des maquettes", "FS", 0.0),
                     ("Validation des maquettes", "Intégration HTML", "FS", 0.0)]
    people = {r.uid: r.name for r in seen.resources}
    assert sorted((names[a.task], people[a.resource], a.work_days) for a in seen.assignments) == [
        ("Intégration HTML", "Hugo Bernard", 3.0), ("Intégration HTML", "Mona Graphiste", 3.0), ("Maquettes", "Mona Graphiste", 5.0)]
    holidays = {e.first for e in seen.calendar().exceptions}
    assert dt.date(2030, 5, 8) in holidays and dt.date(2030, 5, 1) in holidays


@pytest.mark.parametrize("name", ["mpxj-task-links-project2019-mspdi.xml", "mpxj-assignment-assignments-project2019-mspdi.xml",
                                  "projectlibre-New-Product-mspdi.xml", "minimal-cpm-ready-mspdi.xml"])
def test_sample_to_jalon_to_mspdi_to_mpxj_equals_mpxjs_reading_of_the_sample(name: str, tmp_path: Path) -> None:
    needs_mpxj()
    original = read_with_mpxj(sample(name))
    report = project_import(organisation=org_without_holidays(), file=sample(name), by=None)
    path = tmp_path / "again.xml"
    path.write_bytes(project_export(project=report.project, fmt="mspdi"))
    again = read_with_mpxj(path)

    def tasks(doc):  # type: ignore[no-untyped-def]
        # Jalon keeps a phase's sub-phases before its tasks, and top-level tasks after the
        # phases: siblings may change places, so the outline is compared as a tree.
        parent = {child: uid for uid, kids in doc.children().items() for child in kids}
        names = {t.uid: t.name for t in doc.tasks}
        return sorted((t.name, names.get(parent.get(t.uid, ""), ""), t.outline_level, t.summary, t.start.date(), t.finish.date(),
                       round(t.duration_days, 2)) for t in doc.tasks)

    def leaf_links(doc):  # type: ignore[no-untyped-def]
        names = {t.uid: t.name for t in doc.tasks}
        leaves = {t.uid for t in doc.tasks if not t.summary}
        return sorted((names[l.predecessor], names[l.successor], l.type.value, round(l.lag_days))
                      for l in doc.links if l.predecessor in leaves and l.successor in leaves)

    def assignments(doc):  # type: ignore[no-untyped-def]
        names, people = {t.uid: t.name for t in doc.tasks}, {r.uid: r.name for r in doc.resources}
        return sorted({(names[a.task], people[a.resource]) for a in doc.assignments})

    assert tasks(again) == tasks(original)
    assert set(leaf_links(original)) <= set(leaf_links(again))
    assert assignments(again) == assignments(original)


def test_an_unplanned_project_exports_critical_path_dates() -> None:
    org = make_org("Agence Durand")
    project = make_project(org, start_date=dt.date(2030, 1, 7))
    first = make_task(project, "Cadrage", effort_days=2, order=1)
    second = make_task(project, "Conception", effort_days=3, order=2)
    make_dependency(first, second)
    from jalon.formats.mspdi import read_mspdi

    doc = read_mspdi(project_export(project=project, fmt="mspdi"), name="export.xml")
    assert [(t.name, t.start.date(), t.finish.date(), t.duration_days) for t in doc.tasks] == [
        ("Cadrage", dt.date(2030, 1, 7), dt.date(2030, 1, 8), 2.0), ("Conception", dt.date(2030, 1, 9), dt.date(2030, 1, 13 - 2), 3.0)]
