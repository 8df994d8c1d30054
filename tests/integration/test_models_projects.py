"""Projects and their breakdown: validation rules (model and forms), cycles, optimistic locking,
templates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from jalon.engine.graph import find_cycle
from jalon.projects.forms import DependencyForm, ProjectForm, TaskForm
from jalon.projects.models import Dependency, Project, Task
from jalon.projects.services import StaleEditError, project_create, save_versioned
from jalon.projects.templates_data import TEMPLATES, template_for
from tests.factories import make_dependency, make_org, make_phase, make_project, make_task, make_user

pytestmark = pytest.mark.django_db


def project_data(**changes: str) -> dict[str, str]:
    data = {"name": "Refonte", "code": "REF", "project_type": "site_vitrine", "status": "draft",
            "start_date": "2030-03-04", "deadline": "", "priority": "3", "description": ""}
    return {**data, **changes}


def task_data(**changes: str) -> dict[str, str]:
    data = {"name": "Maquettes", "order": "1", "effort_days": "3", "priority": "3", "description": ""}
    return {**data, **changes}


def chain(*names: str) -> list[Task]:
    """Tasks of one project linked finish-to-start in the given order."""
    project = make_project()
    tasks = [make_task(project, name=name) for name in names]
    for before, after in pairwise(tasks):
        make_dependency(before, after)
    return tasks


# --- projects ------------------------------------------------------------------------------

def test_a_project_deadline_before_its_start_is_refused_by_model_and_form() -> None:
    project = make_project(start_date=dt.date(2030, 3, 4), deadline=dt.date(2030, 3, 1))
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert error.value.message_dict["deadline"] == ["La date limite (01/03/2030) précède la date de début (04/03/2030)."]
    form = ProjectForm(data=project_data(deadline="2030-03-01"), organisation=make_org())
    assert not form.is_valid()
    assert "précède la date de début" in form.errors["deadline"][0]


def test_project_types_follow_the_design_templates_with_french_labels() -> None:
    assert Project.Type.values == [
        "site_vitrine", "site_ecommerce", "application_mobile", "base_de_donnees", "seo", "brand_content",
        "affiliation", "other"]
    assert Project.Type.SITE_ECOMMERCE.label == "Site e-commerce"
    assert set(TEMPLATES) == set(Project.Type.values)


def test_the_project_form_offers_only_the_organisations_clients_and_managers() -> None:
    manager = make_user(role="manager")
    make_user(role="manager")  # another organisation
    form = ProjectForm(organisation=manager.organisation)
    assert list(form.fields["manager"].queryset) == [manager]
    assert list(form.fields["client"].queryset) == []


def test_a_project_code_is_unique_in_its_organisation() -> None:
    project = make_project(code="DUR")
    form = ProjectForm(data=project_data(code="DUR"), organisation=project.organisation)
    assert "déjà utilisé" in form.non_field_errors()[0]
    assert ProjectForm(data=project_data(code=""), organisation=project.organisation).is_valid()


def test_a_project_cannot_belong_to_another_organisations_client() -> None:
    project = make_project()
    project.client = make_user(role="client").client
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "autre organisation" in error.value.message_dict["client"][0]


# --- tasks ---------------------------------------------------------------------------------

def test_negative_effort_is_refused_by_model_and_form() -> None:
    task = Task(project=make_project(), effort_days=Decimal("-2"), name="Maquettes")  # the database refuses it
    with pytest.raises(ValidationError) as error:
        task.full_clean()
    assert error.value.message_dict["effort_days"] == ["La charge de « Maquettes » ne peut pas être négative (-2 j/h)."]
    form = TaskForm(data=task_data(effort_days="-1"), project=task.project)
    assert not form.is_valid()
    assert form.errors["effort_days"] == ["La charge de « Maquettes » ne peut pas être négative (-1 j/h)."]
    with pytest.raises(IntegrityError), transaction.atomic():
        task.save()


def test_a_task_deadline_before_its_earliest_start_is_refused_by_model_and_form() -> None:
    task = make_task(name="Recette", start_no_earlier_than=dt.date(2030, 5, 10), deadline=dt.date(2030, 5, 2))
    with pytest.raises(ValidationError) as error:
        task.full_clean()
    assert error.value.message_dict["deadline"] == [
        "« Recette » : la date limite (02/05/2030) précède le début au plus tôt (10/05/2030)."]
    form = TaskForm(data=task_data(start_no_earlier_than="2030-05-10", deadline="2030-05-02"), project=task.project)
    assert "précède le début au plus tôt" in form.errors["deadline"][0]


def test_a_milestone_has_no_effort() -> None:
    form = TaskForm(data=task_data(is_milestone="on", effort_days="2"), project=make_project())
    assert "Un jalon n'a ni charge ni durée" in form.errors["is_milestone"][0]
    assert TaskForm(data=task_data(is_milestone="on", effort_days="0"), project=make_project()).is_valid()


def test_a_task_phase_belongs_to_the_same_project() -> None:
    task = make_task()
    other_phase = make_phase(make_project(org=task.project.organisation))
    task.phase = other_phase
    with pytest.raises(ValidationError) as error:
        task.full_clean()
    assert "autre projet" in error.value.message_dict["phase"][0]


def test_an_error_on_a_field_the_form_does_not_show_is_a_form_error_not_a_crash() -> None:
    task = make_task(start=dt.date(2030, 1, 10), finish=dt.date(2030, 1, 8))  # as if a planner bug wrote it
    form = TaskForm(data={**task_data(), "version": "1"}, instance=task, project=task.project)
    assert not form.is_valid()
    assert form.non_field_errors() == ["La fin planifiée précède le début planifié."]


# --- dependencies --------------------------------------------------------------------------

def test_a_task_cannot_depend_on_itself() -> None:
    task = make_task(name="Recette")
    with pytest.raises(ValidationError) as error:
        make_dependency(task, task)
    assert "La tâche « Recette » ne peut pas dépendre d'elle-même." in error.value.message_dict["successor"]
    form = DependencyForm(
        data={"predecessor": task.pk, "successor": task.pk, "type": "FS", "lag_days": "0"},
        organisation=task.project.organisation,
    )
    assert "ne peut pas dépendre d'elle-même" in form.errors["successor"][0]


def test_it_names_the_cycle_in_order() -> None:
    maquettes, integration, recette = chain("Maquettes", "Intégration", "Recette")
    with pytest.raises(ValidationError) as error:
        make_dependency(recette, maquettes)
    assert error.value.messages == ["Cycle de dépendances : Maquettes → Intégration → Recette → Maquettes"]


def test_the_dependency_form_shows_the_cycle_as_a_form_error() -> None:
    maquettes, integration, recette = chain("Maquettes", "Intégration", "Recette")
    form = DependencyForm(
        data={"predecessor": recette.pk, "successor": maquettes.pk, "type": "SS", "lag_days": "-2"},
        organisation=maquettes.project.organisation,
    )
    assert not form.is_valid()
    assert form.non_field_errors() == ["Cycle de dépendances : Maquettes → Intégration → Recette → Maquettes"]


def test_editing_a_dependency_does_not_count_its_old_edge() -> None:
    a, b = chain("A", "B")
    link = Dependency.objects.get()
    link.lag_days = 3
    link.full_clean()  # A → B replaced by itself: no false cycle
    form = DependencyForm(
        data={"predecessor": b.pk, "successor": a.pk, "type": "FS", "lag_days": "0"},
        instance=link, organisation=a.project.organisation,
    )
    assert form.is_valid(), form.errors  # reversing the only link is fine


def test_dependencies_across_projects_of_one_organisation_are_allowed_and_cycles_name_the_projects() -> None:
    org = make_org()
    shop, seo = make_project(org=org, code="ECOM"), make_project(org=org, code="SEO")
    keywords, product_pages = make_task(seo, name="Mots-clés"), make_task(shop, name="Fiches produits")
    make_dependency(keywords, product_pages)
    with pytest.raises(ValidationError) as error:
        make_dependency(product_pages, keywords)
    assert error.value.messages == ["Cycle de dépendances : SEO · Mots-clés → ECOM · Fiches produits → SEO · Mots-clés"]


def test_a_dependency_across_organisations_is_refused() -> None:
    ours, theirs = make_task(name="Maquettes"), make_task(name="Intégration")
    with pytest.raises(ValidationError) as error:
        make_dependency(ours, theirs)
    assert error.value.messages == [
        "« Maquettes » et « Intégration » appartiennent à deux organisations différentes : elles ne peuvent pas être liées."]
    form = DependencyForm(
        data={"predecessor": ours.pk, "successor": theirs.pk, "type": "FS", "lag_days": "0"},
        organisation=ours.project.organisation,
    )
    assert "successor" in form.errors  # another organisation's task is not even a choice


def test_lags_may_be_negative_and_types_have_french_labels() -> None:
    a, b = make_task(), None
    b = make_task(a.project)
    link = make_dependency(a, b, type=Dependency.Type.FS, lag_days=-2)
    assert str(link).endswith("(FS-2)")
    assert [str(label) for _, label in Dependency.Type.choices] == [
        "Fin → Début", "Début → Début", "Fin → Fin", "Début → Fin"]


def test_the_cycle_check_loads_the_edges_in_one_query_whatever_their_number() -> None:
    tasks = chain(*(f"T{i}" for i in range(30)))
    link = Dependency(predecessor=tasks[-1], successor=tasks[0])
    with CaptureQueriesContext(connection) as queries:
        with pytest.raises(ValidationError):
            link.clean()
    # task and project of each end, the edges, the names of the cycle's tasks
    assert len(queries.captured_queries) <= 6


# --- optimistic locking --------------------------------------------------------------------

def test_a_stale_task_form_is_refused_with_a_reload_message() -> None:
    task = make_task(name="Maquettes")
    first = TaskForm(data={**task_data(effort_days="4"), "version": "1"}, instance=Task.objects.get(), project=task.project)
    second = TaskForm(data={**task_data(effort_days="5"), "version": "1"}, instance=Task.objects.get(), project=task.project)
    assert first.is_valid()
    first.save()
    assert not second.is_valid()
    assert "a été modifié par quelqu'un d'autre" in second.non_field_errors()[0]
    task.refresh_from_db()
    assert (task.effort_days, task.version) == (Decimal("4"), 2)


def test_save_versioned_refuses_a_write_that_lost_the_race() -> None:
    project = make_project()
    mine, theirs = Project.objects.get(), Project.objects.get()
    theirs.name = "Leur nom"
    save_versioned(theirs, expected_version=1, update_fields=["name"])
    mine.name = "Mon nom"
    with pytest.raises(StaleEditError):
        save_versioned(mine, expected_version=1)
    project.refresh_from_db()
    assert (project.name, project.version) == ("Leur nom", 2)


# --- templates -----------------------------------------------------------------------------

@pytest.mark.parametrize("project_type", sorted(TEMPLATES))
def test_each_template_links_known_tasks_without_cycles(project_type: str) -> None:
    template = template_for(project_type)
    keys = [t.key for t in template.tasks]
    assert len(set(keys)) == len(keys)
    edges = [(before, t.key) for t in template.tasks for before in t.after]
    assert all(before in keys for before, _ in edges)
    assert find_cycle(edges) is None
    assert all(t.effort_days == 0 and not t.skills for t in template.tasks if t.milestone)


def test_project_create_copies_the_template_breakdown_and_spec_sections() -> None:
    manager = make_user(role="manager")
    project = project_create(
        organisation=manager.organisation, name="Boutique", project_type="site_ecommerce",
        start_date=dt.date(2030, 3, 4), manager=manager, code="BOUT",
    )
    template = template_for("site_ecommerce")
    assert project.tasks.count() == len(template.tasks)
    assert [p.name for p in project.phases.all()][:3] == ["Cadrage", "Conception / UX", "Design UI"]
    assert Dependency.objects.filter(successor__project=project).count() == sum(len(t.after) for t in template.tasks)
    assert project.tasks.get(name="Validation des maquettes").is_milestone
    sections = project.spec.versions.get().sections
    assert "catalogue" in [s["key"] for s in sections] and sections[0]["title"] == "Présentation du client"


def test_project_create_validates_before_saving() -> None:
    org = make_org()
    with pytest.raises(ValidationError):
        project_create(organisation=org, name="X", project_type="seo", start_date=dt.date(2030, 3, 4),
                       deadline=dt.date(2030, 1, 1))
    assert not Project.objects.exists()
