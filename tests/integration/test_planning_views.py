"""Planning pages: every role against every view, query counts that do not grow with the
number of tasks, escaping of user text in the page and the SVG export, HTMX fragments.

Matrix columns (tests/conftest.py, ROLE_ORDER): anonymous, admin, pm, member, client_a, client_b,
outsider. 302 = login page, 303 = action accepted, 404 = project not shown, 403 = not allowed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from jalon.jobs.models import JobProgress
from jalon.planning.models import Baseline, PlanRun
from jalon.planning.services import baseline_save, project_plan
from jalon.projects.models import Task
from tests.factories import make_assignment, make_dependency, make_person, make_phase, make_project, make_task

pytestmark = pytest.mark.django_db


def url(name: str, world, *args) -> str:  # type: ignore[no-untyped-def]
    return reverse(name, args=[world.project_a.pk, *args])


# --------------------------------------------------------------------------- access matrix


@pytest.mark.parametrize("name", ["gantt", "milestones"])
def test_gantt_and_milestones_are_shown_to_whoever_sees_the_project(world, status_row, name):
    assert status_row(world, "GET", url(name, world)) == [302, 200, 200, 200, 200, 404, 404]


@pytest.mark.parametrize("fmt", ["pdf", "png"])
def test_gantt_exports(world, status_row, fmt):
    assert status_row(world, "GET", url("gantt_export", world, fmt)) == [302, 200, 200, 200, 200, 404, 404]


def test_planning_page_is_for_the_agency_never_for_clients(world, status_row):
    assert status_row(world, "GET", url("planning", world)) == [302, 200, 200, 200, 403, 404, 404]


def test_optimisation_status(world, status_row):
    assert status_row(world, "GET", url("planning_optimize_status", world)) == [302, 200, 200, 200, 403, 404, 404]


def test_planifier(world, status_row):
    assert status_row(world, "POST", url("planning_plan", world)) == [302, 303, 303, 403, 403, 404, 404]
    assert PlanRun.objects.filter(project=world.project_a).count() == 2


def test_optimiser(world, status_row):
    row = status_row(world, "POST", url("planning_optimize", world), {"time_limit": "10", "objective": "makespan"})
    assert row == [302, 303, 303, 403, 403, 404, 404]
    assert JobProgress.objects.filter(project=world.project_a, kind="plan_optimize").count() == 2


def test_save_a_baseline(world, status_row):
    project_plan(project=world.project_a, by=None, max_iterations=20)
    assert status_row(world, "POST", url("planning_baseline", world), {"name": "V1"}) == [302, 303, 303, 403, 403, 404, 404]
    assert Baseline.objects.filter(project=world.project_a).count() == 2


def test_pin_form_and_pin(world, status_row):
    task = world.project_a.tasks.get(name="Maquettes")
    pin = url("planning_task_pin", world, task.pk)
    assert status_row(world, "GET", pin) == [302, 200, 200, 403, 403, 404, 404]
    assert status_row(world, "POST", pin, {"pinned_start": "2030-02-04"}) == [302, 303, 303, 403, 403, 404, 404]
    task.refresh_from_db()
    assert task.pinned_start == dt.date(2030, 2, 4)


def test_planning_views_refuse_get_for_actions(world, status_row):
    for name in ("planning_plan", "planning_optimize", "planning_baseline"):
        assert status_row(world, "GET", url(name, world)) == [405] * 7


def test_workload_is_for_the_agency_of_each_organisation(world, status_row):
    assert status_row(world, "GET", reverse("workload")) == [302, 200, 200, 200, 403, 403, 200]


def test_a_task_of_another_project_cannot_be_pinned_through_this_one(world, as_role):
    other = make_task(world.project_b, "Catalogue")
    client = as_role(world, "pm")
    assert client.get(url("planning_task_pin", world, other.pk)).status_code == 404


# --------------------------------------------------------------------------- what the pages show


def test_planifier_shows_the_outcome_and_french_reasons_on_the_planning_page(world, as_role):
    task = world.project_a.tasks.get(name="Validation des maquettes")
    make_dependency(world.project_a.tasks.get(name="Maquettes"), task)
    task.deadline = dt.date(2030, 1, 8)
    task.save()
    client = as_role(world, "pm")

    response = client.post(url("planning_plan", world), follow=True)

    page = response.content.decode()
    assert "Planning calculé et enregistré : fin le 11/01/2030." in page
    assert "« Validation des maquettes » finira le 11/01/2030, 3 jours ouvrés après son échéance du 08/01/2030" in page
    # One chain of 5 days: the plan is as short as can be, and the page says it is proven.
    assert "Durée la plus courte possible (prouvé)" in page


def test_a_run_says_how_far_its_duration_may_be_from_the_shortest_possible(world):
    from django.template.loader import render_to_string
    from django.utils import translation

    from jalon.planning.models import PlanRun

    run = PlanRun.objects.create(project=world.project_a, method="optimize", outcome="saved", engine_status="feasible",
                                 makespan_days=50, lower_bound_days=44, lateness_days=0, finish_date=dt.date(2030, 3, 15))
    assert run.makespan_gap == 12.0 and not run.proven_optimal
    card = render_to_string("planning/_run.html", {"run": run})
    assert "Au plus 12 % au-dessus de la durée la plus courte possible (au moins 44 jours ouvrés)" in card
    with translation.override("en"):
        english = render_to_string("planning/_run.html", {"run": run})
    assert "At most 12 % above the shortest possible duration (at least 44 working days)" in english
    run.engine_status, run.lower_bound_days = "optimal", 50
    assert "Durée la plus courte possible (prouvé)" in render_to_string("planning/_run.html", {"run": run})
    run.objective = "lateness"
    assert "Optimum prouvé pour l'objectif choisi" in render_to_string("planning/_run.html", {"run": run})
    run.engine_status, run.lower_bound_days = "feasible", 44
    assert "Qualité" not in render_to_string("planning/_run.html", {"run": run})  # the bound is on the duration only


def test_the_pin_form_offers_only_qualified_people_and_the_htmx_post_returns_the_row(world, as_role):
    org = world.project_a.organisation
    task = make_task(world.project_a, "Intégration", effort_days=2, skills={"Intégration HTML/CSS": 3})
    make_person(org, "Léa", last_name="Fontaine", skills={"Intégration HTML/CSS": 5})
    make_person(org, "Nicolas", last_name="Petit", skills={"SEO": 5})
    client = as_role(world, "pm")
    pin = url("planning_task_pin", world, task.pk)

    form = client.get(pin, headers={"HX-Request": "true"}).content.decode()
    lea = task.project.organisation.people.get(first_name="Léa")
    response = client.post(pin, {"person": lea.pk, "pinned_start": ""}, headers={"HX-Request": "true"})

    assert "Léa Fontaine" in form and "Nicolas Petit" not in form
    assert response.status_code == 200
    assert response.content.decode().startswith(f'<tr id="tache-{task.pk}"')
    assert "📌 Léa Fontaine" in response.content.decode()


def test_gantt_zoom_is_a_query_parameter_and_htmx_gets_the_fragment_only(world, as_role):
    project_plan(project=world.project_a, by=None, max_iterations=20)
    client = as_role(world, "pm")

    page = client.get(url("gantt", world) + "?zoom=day").content.decode()
    fragment = client.get(url("gantt", world) + "?zoom=month", headers={"HX-Request": "true"}).content.decode()

    assert "<html" in page and 'aria-current="true">Jour</a>' in page
    assert fragment.startswith('<div id="gantt-panel">') and 'aria-current="true">Mois</a>' in fragment


def test_gantt_bars_carry_the_planned_dates_baseline_critical_path_and_edit_links(world, as_role):
    project = world.project_a
    make_dependency(project.tasks.get(name="Maquettes"), project.tasks.get(name="Validation des maquettes"))
    project_plan(project=project, by=None, max_iterations=20)
    baseline_save(project=project, name="Référence V1", by=None)
    mockups = project.tasks.get(name="Maquettes")

    pm_page = as_role(world, "pm").get(url("gantt", world)).content.decode()
    client_page = as_role(world, "client_a").get(url("gantt", world)).content.decode()

    assert "Maquettes\nDu 07/01/2030 au 11/01/2030" in pm_page
    assert "Référence : du 07/01/2030 au 11/01/2030" in pm_page
    assert re.search(r"<ol class=\"critical-path\">\s*<li>Maquettes <span class=\"muted\">07/01/2030 → 11/01/2030", pm_page)
    assert f'href="{reverse("breakdown_task", args=[project.pk, mockups.pk])}"' in pm_page
    assert "decoupage/taches" not in client_page  # clients get no edit links


def test_user_text_is_escaped_in_the_gantt_page_the_planning_page_and_the_svg_export(world, as_role):
    evil = make_task(world.project_a, "<script>alert('x')</script>", effort_days=1)
    project_plan(project=world.project_a, by=None, max_iterations=20)
    client = as_role(world, "pm")

    pages = [client.get(url(name, world)).content.decode() for name in ("gantt", "planning", "milestones")]
    export = client.get(url("gantt_export", world, "png"))
    from jalon.planning.selectors import gantt_data
    from jalon.reports.gantt import render_gantt_svg

    svg = render_gantt_svg(gantt_data(world.project_a).chart)

    for text in [*pages, svg]:
        assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in pages[0] and "&lt;script&gt;" in svg
    assert export.status_code == 200 and export.content.startswith(b"\x89PNG")
    assert Task.objects.get(pk=evil.pk).start is not None


def test_workload_shows_planned_days_against_capacity_and_flags_over_allocation(world, as_role):
    project = world.project_a
    mona = project.members.get().person
    # Two overlapping manual assignments: 5 + 3 days in the week of 07/01/2030 for 5 days' capacity.
    Task.objects.filter(name="Maquettes").update(start=dt.date(2030, 1, 7), finish=dt.date(2030, 1, 11))
    extra = make_task(project, "Bannières", effort_days=3, start=dt.date(2030, 1, 7), finish=dt.date(2030, 1, 9))
    make_assignment(extra, mona)

    page = as_role(world, "pm").get(reverse("workload") + "?semaine=2030-01-07").content.decode()

    row = re.search(r"Mona Graphiste.*?</tr>", page, re.S).group(0)
    assert re.search(r'class="num load over"[^>]*>8,0<span class="muted">/5,0</span>', row)
    assert 'class="num load">0,0<span class="muted">/5,0</span>' in row  # the next week is free


# --------------------------------------------------------------------------- query counts


def build_project(world, tasks: int):  # type: ignore[no-untyped-def]
    """A planned project of `tasks` tasks in phases, chained, each needing a skill, with a baseline."""
    org = world.project_a.organisation
    project = make_project(org, manager=world.user("pm"), status="in_progress", start_date=dt.date(2030, 1, 7))
    for k in range(3):
        make_person(org, f"Dev{k}", skills={"PHP": 3})
    phases = [make_phase(project, f"Lot {k}", order=k) for k in range(5)]
    previous = None
    for k in range(tasks):
        task = make_task(project, f"Tâche {k}", effort_days=1 + k % 3, skills={"PHP": 2}, phase=phases[k % 5], order=k,
                         is_milestone=False)
        if previous is not None and k % 4:
            make_dependency(previous, task)
        previous = task
    assert project_plan(project=project, by=None, max_iterations=10).saved
    baseline_save(project=project, name="V1", by=None)
    return project


@pytest.mark.parametrize("size", [10, 60])
@pytest.mark.parametrize(("name", "bound"), [("gantt", 14), ("planning", 18), ("milestones", 10)])
def test_page_queries_do_not_grow_with_the_number_of_tasks(world, as_role, django_assert_max_num_queries, size, name, bound):
    project = build_project(world, size)
    client = as_role(world, "pm")
    with django_assert_max_num_queries(bound):
        assert client.get(reverse(name, args=[project.pk])).status_code == 200


@pytest.mark.parametrize("size", [10, 60])
def test_workload_queries_do_not_grow_with_the_number_of_tasks(world, as_role, django_assert_max_num_queries, size):
    build_project(world, size)
    client = as_role(world, "pm")
    with django_assert_max_num_queries(14):
        assert client.get(reverse("workload") + "?semaine=2030-01-07").status_code == 200
