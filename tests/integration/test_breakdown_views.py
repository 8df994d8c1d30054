"""The breakdown editor and the traceability matrix: every role against every view, HTMX
fragments, errors shown inline (the dependency cycle), a fixed number of queries, escaping."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jalon.projects.models import Deliverable, Dependency, Phase, Task, TaskSkill
from jalon.specs import services as specs
from jalon.specs.models import Requirement
from tests.factories import make_dependency, make_phase, make_skill, make_task

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
XSS = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


def url(name: str, world, *args: object) -> str:  # type: ignore[no-untyped-def]
    return reverse(name, args=[world.project_a.pk, *args])


def mockups(world) -> Task:  # type: ignore[no-untyped-def]
    return world.project_a.tasks.get(name="Maquettes")


# --- access: anonymous, admin, pm, member, client_a, client_b, outsider -------------------------------


def test_breakdown_page(world, status_row):
    assert status_row(world, "GET", url("breakdown", world)) == [302, 200, 200, 200, 200, 404, 404]


def test_breakdown_of_another_organisation(world, status_row):
    row = status_row(world, "GET", reverse("breakdown", args=[world.outsider_project.pk]))
    assert row == [302, 404, 404, 404, 404, 404, 200]


def test_generate(world, status_row):
    assert status_row(world, "POST", url("breakdown_generate", world)) == [302, 303, 303, 403, 403, 404, 404]


def test_phase_create(world, status_row):
    row = status_row(world, "POST", url("breakdown_phase_create", world), {"name": "Recette"})
    assert row == [302, 303, 303, 403, 403, 404, 404]
    assert world.project_a.phases.filter(name="Recette").count() == 2


def test_task_create(world, status_row):
    row = status_row(world, "POST", url("breakdown_task_create", world), {"name": "Logo", "effort_days": "2"})
    assert row == [302, 303, 303, 403, 403, 404, 404]


def test_phase_edit(world, status_row):
    phase = world.project_a.phases.get()
    assert status_row(world, "GET", url("breakdown_phase", world, phase.pk)) == [302, 200, 200, 403, 403, 404, 404]


def test_phase_action(world, status_row):
    phase = world.project_a.phases.get()
    row = status_row(world, "POST", url("breakdown_phase_action", world, phase.pk, "down"))
    assert row == [302, 303, 303, 403, 403, 404, 404]


def test_task_edit(world, status_row):
    assert status_row(world, "GET", url("breakdown_task", world, mockups(world).pk)) == [302, 200, 200, 403, 403, 404, 404]


def test_task_action(world, status_row):
    row = status_row(world, "POST", url("breakdown_task_action", world, mockups(world).pk, "down"))
    assert row == [302, 303, 303, 403, 403, 404, 404]


def test_task_of_another_project_is_not_found(world, status_row):
    other = make_task(world.project_b, "Fiches produits")
    row = status_row(world, "GET", url("breakdown_task", world, other.pk))
    assert row == [302, 404, 404, 403, 403, 404, 404]  # member, client: read-only before anything else


def test_task_skill_create(world, status_row):
    skill = make_skill(world.project_a.organisation, "Design UI")
    data = {"skill": skill.pk, "min_level": "3", "headcount": "1"}
    row = status_row(world, "POST", url("breakdown_task_skill_create", world, mockups(world).pk), data)
    assert row == [302, 303, 200, 403, 403, 404, 404]  # pm: "already required" is shown, not a crash


def test_dependency_create(world, status_row):
    review = world.project_a.tasks.get(name="Validation des maquettes")
    data = {"predecessor": mockups(world).pk, "type": "FS", "lag_days": "0"}
    row = status_row(world, "POST", url("breakdown_dependency_create", world, review.pk), data)
    assert row == [302, 303, 200, 403, 403, 404, 404]  # pm: "already linked" is shown


def test_deliverable_create(world, status_row):
    data = {"name": "Maquettes validées", "status": "planned"}
    row = status_row(world, "POST", url("breakdown_deliverable_create", world, mockups(world).pk), data)
    assert row == [302, 303, 303, 403, 403, 404, 404]


def test_task_link_delete(world, status_row):
    deliverable = Deliverable.objects.create(project=world.project_a, task=mockups(world), name="Maquettes")
    row = status_row(world, "POST", url("breakdown_task_link_delete", world, mockups(world).pk, "livrable", deliverable.pk))
    assert row == [302, 303, 404, 403, 403, 404, 404]


def test_traceability(world, status_row):
    assert status_row(world, "GET", url("traceability", world)) == [302, 200, 200, 200, 200, 404, 404]


# --- behaviour ------------------------------------------------------------------------------------


def test_the_page_is_read_only_for_a_member(world, as_role):
    html = as_role(world, "member").get(url("breakdown", world)).content.decode()
    assert "Maquettes" in html
    assert "Générer le découpage" not in html and "Ajouter une phase" not in html


def test_adding_a_task_with_htmx_returns_the_tree(world, as_role):
    http = as_role(world, "pm")
    phase = world.project_a.phases.get()
    response = http.post(url("breakdown_task_create", world), {"name": "Déclinaisons mobiles", "phase": phase.pk,
                                                               "effort_days": "2"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Déclinaisons mobiles" in html and 'class="data-table tree"' in html


def test_a_milestone_with_effort_is_explained(world, as_role):
    http = as_role(world, "pm")
    response = http.post(url("breakdown_task_create", world), {"name": "Go", "effort_days": "2", "is_milestone": "on"},
                         **HTMX)
    assert "Un jalon n&#x27;a ni charge ni durée" in response.content.decode()
    assert not Task.objects.filter(name="Go").exists()


def test_indent_without_a_phase_above_shows_the_message(world, as_role):
    response = as_role(world, "pm").post(url("breakdown_task_action", world, mockups(world).pk, "indent"), **HTMX)
    assert "Aucune phase au-dessus de « Maquettes »" in response.content.decode()


def test_outdent_then_indent_moves_the_task(world, as_role):
    http = as_role(world, "pm")
    task = mockups(world)
    http.post(url("breakdown_task_action", world, task.pk, "outdent"), **HTMX)
    task.refresh_from_db()
    assert task.phase is None
    http.post(url("breakdown_task_action", world, task.pk, "indent"), **HTMX)
    task.refresh_from_db()
    assert task.phase.name == "Design UI"


def test_reorder_with_htmx(world, as_role):
    http = as_role(world, "pm")
    review = world.project_a.tasks.get(name="Validation des maquettes")
    html = http.post(url("breakdown_task_action", world, review.pk, "up"), **HTMX).content.decode()
    assert html.index("Validation des maquettes") < html.index(">Maquettes<")


def test_a_dependency_cycle_is_shown_in_the_editor(world, as_role):
    task, review = mockups(world), world.project_a.tasks.get(name="Validation des maquettes")
    make_dependency(task, review)
    response = as_role(world, "pm").post(url("breakdown_dependency_create", world, task.pk),
                                         {"predecessor": review.pk, "type": "FS", "lag_days": "0"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="task-{task.pk}" class="editing"' in html
    assert "Cycle de dépendances : Maquettes → Validation des maquettes → Maquettes" in html
    assert Dependency.objects.count() == 1


def test_a_dependency_of_each_type_with_lag_is_added(world, as_role):
    task, review = mockups(world), world.project_a.tasks.get(name="Validation des maquettes")
    html = as_role(world, "pm").post(url("breakdown_dependency_create", world, review.pk),
                                     {"predecessor": task.pk, "type": "SS", "lag_days": "-2"}, **HTMX).content.decode()
    link = Dependency.objects.get()
    assert (link.predecessor, link.successor, link.type, link.lag_days) == (task, review, "SS", -2)
    assert "Début → Début" in html and "décalage -2 j" in html


def test_the_task_editor_saves_effort_duration_and_constraints(world, as_role):
    task = mockups(world)
    response = as_role(world, "pm").post(url("breakdown_task", world, task.pk), {
        "name": "Maquettes UI", "phase": task.phase_id, "effort_days": "6", "duration_days": "4",
        "start_no_earlier_than": "2030-01-14", "deadline": "2030-02-01", "priority": "4", "version": task.version,
    }, **HTMX)
    assert response.status_code == 200 and "Enregistré." in response.content.decode()
    task.refresh_from_db()
    assert (task.name, str(task.effort_days), str(task.duration_days), task.version) == ("Maquettes UI", "6.00", "4.00", 2)
    assert task.deadline.isoformat() == "2030-02-01"


def test_a_stale_task_edit_asks_to_reload(world, as_role):
    task = mockups(world)
    Task.objects.filter(pk=task.pk).update(version=task.version + 1)
    response = as_role(world, "pm").post(url("breakdown_task", world, task.pk), {
        "name": "Autre nom", "effort_days": "5", "priority": "3", "version": task.version}, **HTMX)
    assert "Rechargez la page" in response.content.decode()
    task.refresh_from_db()
    assert task.name == "Maquettes"


def test_required_skills_and_deliverables_are_added_and_removed(world, as_role):
    http = as_role(world, "pm")
    task = mockups(world)
    skill = make_skill(world.project_a.organisation, "Design UI")
    http.post(url("breakdown_task_skill_create", world, task.pk), {"skill": skill.pk, "min_level": "4", "headcount": "2"}, **HTMX)
    need = TaskSkill.objects.get(task=task)
    assert (need.min_level, need.headcount) == (4, 2)
    http.post(url("breakdown_deliverable_create", world, task.pk), {"name": "Maquettes PDF", "status": "planned"}, **HTMX)
    assert task.deliverables.get().name == "Maquettes PDF"
    html = http.get(url("breakdown", world)).content.decode()
    assert "Design UI ≥ 4 × 2" in html and "Maquettes PDF" in html
    http.post(url("breakdown_task_link_delete", world, task.pk, "competence", need.pk), **HTMX)
    assert not TaskSkill.objects.filter(task=task).exists()


def test_generate_then_the_traceability_matrix_flags_uncovered_requirements(world, as_role):
    version = specs.spec_for_project(project=world.project_a).versions.get()
    for title, priority in [("Formulaire de contact", "must"), ("Blog", "could"), ("Newsletter", "wont")]:
        specs.requirement_save(requirement=Requirement(version=version, code=specs.requirement_next_code(version),
                                                       title=title, priority=priority))
    http = as_role(world, "pm")
    assert http.post(url("breakdown_generate", world)).status_code == 303
    html = http.get(url("traceability", world)).content.decode()
    assert "EX-01 — Formulaire de contact" in html
    assert "1 exigence n’est couverte par aucune tâche" in html  # the Could one; Won't is excluded
    assert "exclue" in html


def test_user_text_is_escaped_in_the_tree_and_the_editor(world, as_role):
    task = make_task(world.project_a, XSS, phase=world.project_a.phases.get())
    make_phase(world.project_a, XSS)
    http = as_role(world, "pm")
    for page in (url("breakdown", world), url("breakdown_task", world, task.pk)):
        html = http.get(page).content.decode()
        assert XSS not in html and ESCAPED in html


# --- a fixed number of queries, whatever the size of the breakdown ------------------------------------


def _grow(world, tasks: int) -> None:  # type: ignore[no-untyped-def]
    """A breakdown of `tasks` tasks over sub-phases, each with a skill, a link and a deliverable."""
    project = world.project_a
    skill = make_skill(project.organisation, "Développement back-end")
    version = specs.spec_for_project(project=project).versions.get()
    parent = project.phases.get()
    phases = [make_phase(project, f"Lot {n}", parent=parent if n % 2 else None, order=n) for n in range(4)]
    previous = None
    for n in range(tasks):
        task = make_task(project, f"Tâche {n}", phase=phases[n % 4], order=n, skills={skill: 2})
        Deliverable.objects.create(project=project, task=task, name=f"Livrable {n}")
        requirement = Requirement.objects.create(version=version, code=f"EX-{n + 1:02d}", title=f"Besoin {n}")
        requirement.tasks.add(task)
        if previous is not None:
            Dependency.objects.create(predecessor=previous, successor=task, lag_days=1)
        previous = task


@pytest.mark.parametrize("tasks", [10, 80])
def test_the_breakdown_page_runs_a_fixed_number_of_queries(world, as_role, django_assert_max_num_queries, tasks):
    _grow(world, tasks)
    http = as_role(world, "pm")
    with django_assert_max_num_queries(12):  # session, user, project, spec version, phases, tasks + 4 prefetches, 2 form choices
        response = http.get(url("breakdown", world))
    assert response.content.decode().count('class="icon-button"') > tasks


@pytest.mark.parametrize("tasks", [10, 80])
def test_the_traceability_page_runs_a_fixed_number_of_queries(world, as_role, django_assert_max_num_queries, tasks):
    _grow(world, tasks)
    http = as_role(world, "pm")
    with django_assert_max_num_queries(8):
        response = http.get(url("traceability", world))
    assert response.content.decode().count("✓ couverte") == tasks


def test_closing_the_editor_gives_the_plain_row_back(world, as_role):
    task = mockups(world)
    http = as_role(world, "pm")
    for depth in ("2", "abc"):  # a mangled depth falls back to the default, never a server error
        response = http.get(url("breakdown_task", world, task.pk), {"fermer": "", "niveau": depth}, **HTMX)
        html = response.content.decode()
        assert response.status_code == 200
        assert html.strip().startswith(f'<tr id="task-{task.pk}"') and 'class="editing"' not in html
