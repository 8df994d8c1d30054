"""Services of the breakdown tree: generate, reorder, indent/outdent, links of a task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jalon.projects import breakdown
from jalon.projects.models import Dependency, Phase, Task
from jalon.projects.services import project_create
from jalon.specs import services as specs
from jalon.specs.models import Requirement
from tests.factories import make_dependency, make_phase, make_project, make_task

pytestmark = pytest.mark.django_db


def names(rows: list[breakdown.Row]) -> list[tuple[str, int]]:
    return [(row.item.name, row.depth) for row in rows]


@pytest.fixture
def vitrine(world):  # type: ignore[no-untyped-def]
    """A showcase site created from its template, with four requirements in its spec."""
    pm = world.user("pm")
    project = project_create(organisation=pm.organisation, name="Site Durand", project_type="site_vitrine",
                             start_date=dt.date(2030, 1, 7), manager=pm)
    version = project.spec.versions.get()
    for title, priority in [("Formulaire de contact", "must"), ("Maquettes responsive", "must"),
                            ("Blog", "could"), ("Hébergement sur serveur français", "must")]:
        specs.requirement_save(requirement=Requirement(
            version=version, code=specs.requirement_next_code(version), title=title, priority=priority))
    return project


def test_generate_adds_one_task_per_must_requirement_under_the_right_phase(vitrine):
    report = breakdown.breakdown_generate(project=vitrine)

    assert not report.template_applied  # project_create already applied it
    by_title = {t.requirements.get().title: t for t in report.created}
    assert set(by_title) == {"Formulaire de contact", "Maquettes responsive", "Hébergement sur serveur français"}
    assert by_title["Formulaire de contact"].phase.name == "Développement / intégration"
    assert by_title["Maquettes responsive"].phase.name == "Design UI"
    assert by_title["Hébergement sur serveur français"].phase.name == "Mise en ligne"
    assert by_title["Formulaire de contact"].name == "EX-01 — Formulaire de contact"
    assert not Task.objects.filter(project=vitrine, name__contains="Blog").exists()


def test_a_generated_task_gets_the_usual_skill_and_the_links_of_its_phase(vitrine):
    (task,) = [t for t in breakdown.breakdown_generate(project=vitrine).created if "Formulaire" in t.name]
    assert task.skills.get().skill.name in {"Intégration HTML/CSS", "Développement back-end", "Rédaction web"}
    before = set(Dependency.objects.filter(successor=task).values_list("predecessor__name", flat=True))
    after = set(Dependency.objects.filter(predecessor=task).values_list("successor__name", flat=True))
    assert {"Validation des maquettes", "Spécifications fonctionnelles et techniques"} <= before
    assert after == {"Recette interne (VABF)"}


def test_generate_is_idempotent(vitrine):
    breakdown.breakdown_generate(project=vitrine)
    counts = (Task.objects.filter(project=vitrine).count(), Phase.objects.filter(project=vitrine).count(),
              Dependency.objects.filter(successor__project=vitrine).count())

    second = breakdown.breakdown_generate(project=vitrine)

    assert second.created == [] and len(second.already_covered) == 3
    assert counts == (Task.objects.filter(project=vitrine).count(), Phase.objects.filter(project=vitrine).count(),
                      Dependency.objects.filter(successor__project=vitrine).count())


def test_generate_applies_the_template_to_an_empty_project_once(world):
    project = make_project(world.project_a.organisation, project_type="seo")
    first = breakdown.breakdown_generate(project=project)
    assert first.template_applied
    assert list(project.phases.values_list("name", flat=True)) == ["Cadrage", "Audit", "Optimisation", "Suivi"]
    assert not breakdown.breakdown_generate(project=project).template_applied
    assert project.phases.count() == 4


def test_a_new_spec_version_does_not_duplicate_generated_tasks(vitrine, pm):
    breakdown.breakdown_generate(project=vitrine)
    version = vitrine.spec.versions.get()
    specs.spec_version_submit(version=version)
    specs.spec_version_validate(version=version, by=pm)
    specs.spec_version_new(spec=vitrine.spec, by=pm)
    assert breakdown.breakdown_generate(project=vitrine).created == []


def test_the_tree_lists_sub_phases_before_direct_tasks_and_loose_tasks_last(project_a):
    design = project_a.phases.get(name="Design UI")
    sub = make_phase(project_a, "Charte", parent=design, order=1)
    make_task(project_a, "Logo", phase=sub, order=9)
    make_task(project_a, "Hors phase", order=10)
    assert names(breakdown.breakdown_tree(project_a).rows) == [
        ("Design UI", 0), ("Charte", 1), ("Logo", 2), ("Maquettes", 1), ("Validation des maquettes", 1),
        ("Hors phase", 0),
    ]


def test_move_up_and_down_within_a_phase(project_a):
    design = project_a.phases.get()
    third = make_task(project_a, "Déclinaisons", phase=design, order=3)
    breakdown.task_move(task=third, direction="up")
    assert [t.name for t in breakdown.breakdown_tree(project_a).tasks] == [
        "Maquettes", "Déclinaisons", "Validation des maquettes"]
    breakdown.task_move(task=third, direction="up")
    breakdown.task_move(task=third, direction="up")  # already first: nothing moves
    assert [t.name for t in breakdown.breakdown_tree(project_a).tasks][0] == "Déclinaisons"


def test_moving_tasks_with_equal_orders_spreads_them_first(project_a):
    phase = make_phase(project_a, "Contenus")
    tasks = [make_task(project_a, name, phase=phase, order=0) for name in ("A", "B", "C")]
    breakdown.task_move(task=tasks[2], direction="up")
    ordered = Task.objects.filter(phase=phase).order_by("order", "pk").values_list("name", flat=True)
    assert list(ordered) == ["A", "C", "B"]


def test_phase_move_swaps_siblings(project_a):
    design = project_a.phases.get()
    dev = breakdown.phase_add(project=project_a, name="Développement")
    breakdown.phase_move(phase=dev, direction="up")
    assert [n.phase.name for n in breakdown.breakdown_tree(project_a).roots] == ["Développement", "Design UI"]
    breakdown.phase_move(phase=design, direction="down")  # already last
    assert [n.phase.name for n in breakdown.breakdown_tree(project_a).roots] == ["Développement", "Design UI"]


def test_indent_puts_a_loose_task_into_the_phase_above_and_outdent_takes_it_out(project_a):
    loose = make_task(project_a, "Rédaction", order=5)
    breakdown.task_indent(task=loose)
    assert loose.phase.name == "Design UI"
    breakdown.task_outdent(task=loose)
    loose.refresh_from_db()
    assert loose.phase is None


def test_indent_into_a_sub_phase_then_outdent_one_level(project_a):
    design = project_a.phases.get()
    sub = breakdown.phase_add(project=project_a, name="Charte", parent=design)
    mockups = project_a.tasks.get(name="Maquettes")
    breakdown.task_indent(task=mockups)
    assert mockups.phase == sub
    breakdown.task_outdent(task=mockups)
    mockups.refresh_from_db()
    assert mockups.phase == design


def test_indent_without_a_phase_above_says_so(project_a):
    with pytest.raises(ValidationError, match="Aucune phase au-dessus de « Maquettes »"):
        breakdown.task_indent(task=project_a.tasks.get(name="Maquettes"))
    loose = make_task(project_a, "Seule")
    with pytest.raises(ValidationError, match="« Seule » n'est dans aucune phase"):
        breakdown.task_outdent(task=loose)


def test_phase_indent_and_outdent(project_a):
    design = project_a.phases.get()
    dev = breakdown.phase_add(project=project_a, name="Développement")
    recette = breakdown.phase_add(project=project_a, name="Recette")
    breakdown.phase_indent(phase=dev)
    assert dev.parent == design
    with pytest.raises(ValidationError, match="est la première de son niveau"):
        breakdown.phase_indent(phase=design)
    breakdown.phase_outdent(phase=dev)
    assert [n.phase.name for n in breakdown.breakdown_tree(project_a).roots] == ["Design UI", "Développement", "Recette"]
    with pytest.raises(ValidationError, match="déjà au premier niveau"):
        breakdown.phase_outdent(phase=recette)


def test_deleting_a_phase_keeps_its_tasks_one_level_up(project_a):
    design = project_a.phases.get()
    sub = breakdown.phase_add(project=project_a, name="Charte", parent=design)
    logo = make_task(project_a, "Logo", phase=sub)
    breakdown.phase_delete(phase=sub)
    logo.refresh_from_db()
    assert logo.phase == design


def test_a_dependency_closing_a_cycle_is_refused_naming_the_tasks(project_a):
    mockups = project_a.tasks.get(name="Maquettes")
    review = project_a.tasks.get(name="Validation des maquettes")
    make_dependency(mockups, review)
    with pytest.raises(ValidationError, match="Cycle de dépendances : Maquettes → Validation des maquettes → Maquettes"):
        breakdown.dependency_add(dependency=Dependency(predecessor=review, successor=mockups))
