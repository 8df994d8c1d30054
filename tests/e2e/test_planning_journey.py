"""A project manager plans a project from its template in a real headless Chromium: Planifier,
read the Gantt (the bars carry the dates the engine wrote), export the PDF and read its text,
then the milestones calendar and the workload."""

from __future__ import annotations

import re

import pytest

from jalon.projects.models import Task, TaskSkill
from jalon.projects.services import project_apply_template
from tests.e2e.browser import WIDE, download_to, expect, gantt_bar_title, log_in, pdf_text, shot
from tests.factories import make_member, make_person

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


@pytest.fixture
def viewport() -> dict[str, int]:
    return WIDE


def staff_the_template(project) -> None:  # type: ignore[no-untyped-def]
    """The site vitrine template's breakdown, and a small team holding every skill it asks for."""
    project_apply_template(project=project)
    names = sorted(set(TaskSkill.objects.filter(task__project=project).values_list("skill__name", flat=True)))
    team = [("Julien", "Moreau", names[0::3]), ("Camille", "Roux", names[1::3]), ("Léa", "Fontaine", names[2::3])]
    for first, last, skills in team:
        person = make_person(project.organisation, first, last_name=last, skills={s: 5 for s in skills})
        make_member(project, person)


def test_a_project_manager_plans_reads_the_gantt_and_exports_the_pdf(live_server, live_world, page, tmp_path):
    project = live_world.project_a
    staff_the_template(project)

    log_in(page, live_server, "pm", path=f"/projets/{project.pk}/planning/")
    expect(page.get_by_role("heading", name=re.compile("Planification — Refonte boulangerie"))).to_be_visible()
    expect(page.get_by_text("Le projet n'a pas encore été planifié.")).to_be_visible()
    shot(page, "planning-01-before")

    page.get_by_role("button", name="Planifier", exact=True).click()
    expect(page.locator(".message-success")).to_contain_text("Planning calculé et enregistré : fin le ")
    expect(page.locator(".status-run-saved")).to_have_text("Planning enregistré")
    shot(page, "planning-02-planned")
    tasks = list(Task.objects.filter(project=project))
    assert all(t.start and t.finish for t in tasks)

    page.get_by_role("link", name="Gantt", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Gantt — Refonte boulangerie"))).to_be_visible()
    titles = page.locator("#gantt-panel svg g > title").all_text_contents()
    shot(page, "planning-03-gantt-week")
    for task in tasks:
        expected = gantt_bar_title(task)
        assert any(t.startswith(expected) for t in titles), f"no bar titled {expected!r} in {titles}"
    expect(page.locator(".critical-path li").first).to_be_visible()

    page.get_by_role("link", name="Jour", exact=True).click()
    expect(page.get_by_role("link", name="Jour", exact=True)).to_have_attribute("aria-current", "true")
    expect(page).to_have_url(re.compile(r"zoom=day"))
    shot(page, "planning-04-gantt-day")

    text = pdf_text(download_to(page.get_by_role("link", name="PDF", exact=True), tmp_path / "gantt.pdf"))
    assert "Refonte boulangerie" in text
    first = min((t for t in tasks if not t.is_milestone), key=lambda t: (t.start, t.order))
    assert first.name[:20] in text

    page.get_by_role("link", name="Calendrier des jalons").click()
    expect(page.locator(".month-calendar")).to_be_visible()
    shot(page, "planning-05-milestones")

    page.get_by_role("link", name="Plan de charge").click()
    expect(page.get_by_role("heading", name="Plan de charge", exact=True)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Julien Moreau"))).to_be_visible()
    expect(page.locator("td.load.busy").first).to_be_visible()  # the planned work is in the weeks shown
    shot(page, "planning-06-workload")
