"""Planning use cases on the database: plan, explain, pins, baselines, optimise in a worker."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jalon.engine.model import TaskSchedule
from jalon.engine.validate import SOFT_KINDS, validate
from jalon.jobs.models import JobProgress
from jalon.planning import services
from jalon.planning.mapping import build_problem, person_key, projects_planned_with, task_key
from jalon.planning.models import PlanRun
from jalon.planning.selectors import baseline_variance
from jalon.planning.services import baseline_save, plan_optimize_enqueue, project_plan, task_pin
from jalon.projects.demo import demo_load
from jalon.projects.models import Assignment, Dependency, Project, Task
from tests.factories import (
    make_absence,
    make_assignment,
    make_dependency,
    make_member,
    make_org,
    make_person,
    make_project,
    make_task,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2030, 1, 7)


def plan(project: Project, **options) -> services.PlanOutcome:  # type: ignore[no-untyped-def]
    # A fixed number of iterations: the same plan on any machine.
    return project_plan(project=project, by=None, max_iterations=100, **options)


def stored_schedule(projects: list[Project]) -> tuple[object, dict[str, TaskSchedule]]:
    """The plan as read back from the database, in engine terms, to validate it independently."""
    mapped = build_problem(projects)
    calendar = mapped.calendar
    team: dict[int, list[str]] = {}
    for task_id, person_id in Assignment.objects.filter(task__project__in=projects).values_list("task_id", "person_id"):
        team.setdefault(task_id, []).append(person_key(person_id))
    schedule = {}
    with_predecessor = {link.successor for link in mapped.problem.links}
    for task in Task.objects.filter(project__in=projects):
        start = calendar.index_of(task.start)
        if task.is_milestone and task_key(task.pk) in with_predecessor:
            start += 1  # a milestone is shown on the last working day before the moment it marks
        finish = start if task.is_milestone else calendar.index_of(task.finish) + 1
        schedule[task_key(task.pk)] = TaskSchedule(task_key(task.pk), start, finish, tuple(sorted(team.get(task.pk, []))))
    return mapped.problem, schedule


def test_planning_the_demo_dates_every_task_and_the_stored_plan_passes_the_validator():
    demo_load()
    project = Project.objects.get(code="DUR-ECOM")

    outcome = plan(project)

    assert outcome.saved, outcome.reasons
    codes = {p.code for p in outcome.projects}
    assert codes == {"DUR-ECOM", "DUR-SEO", "OT-RANDO"}  # shared people and a cross-project link
    tasks = Task.objects.filter(project__in=outcome.projects)
    assert not tasks.filter(start__isnull=True).exists() and not tasks.filter(finish__isnull=True).exists()
    problem, schedule = stored_schedule(outcome.projects)
    assert [v for v in validate(problem, schedule) if v.kind not in SOFT_KINDS] == []
    run = PlanRun.objects.get()
    assert run.outcome == PlanRun.Outcome.SAVED and run.task_count == tasks.count()
    assert run.finish_date == max(tasks.values_list("finish", flat=True))
    # The manager's pins of the demo survive the plan.
    assert Assignment.objects.filter(pinned=True, task__project__code="DUR-ECOM", person__first_name="Julien",
                                     task__name__startswith="Maquettes").exists()


def test_a_task_needing_a_skill_too_few_people_have_is_explained_in_french(world):
    project = world.project_a
    org = project.organisation
    make_person(org, "Alice", last_name="Martin", skills={"PHP": 3})
    make_person(org, "Bruno", last_name="Petit", skills={"PHP": 2})
    task = make_task(project, "Back-office", effort_days=4)
    task.skills.create(skill=org.skills.get(name="PHP"), min_level=3, headcount=2)

    outcome = plan(project)

    assert not outcome.saved and outcome.run.outcome == PlanRun.Outcome.INFEASIBLE
    assert outcome.reasons == [
        "« Back-office » demande 2 personnes en PHP niveau ≥ 3 : seul(e) Alice Martin a ce niveau. "
        "Ajoutez la compétence à un collaborateur ou baissez le niveau demandé."
    ]
    assert not Task.objects.filter(project=project, start__isnull=False).exists()


def test_it_names_the_cycle_and_saves_nothing(world):
    project = world.project_a
    mockups = project.tasks.get(name="Maquettes")
    review = project.tasks.get(name="Validation des maquettes")
    # An import can bring a cycle the forms refuse: write it without validation.
    Dependency.objects.create(predecessor=mockups, successor=review)
    Dependency.objects.create(predecessor=review, successor=mockups)

    outcome = plan(project)

    assert not outcome.saved
    [reason] = outcome.reasons
    assert reason.startswith("Cycle de dépendances : ")
    assert "Maquettes → Validation des maquettes → Maquettes" in reason or "Validation des maquettes → Maquettes → Validation" in reason
    assert not Task.objects.filter(project=project, start__isnull=False).exists()


def test_a_missed_deadline_names_the_dates_and_the_chain_that_pushes_it():
    project = make_project(start_date=MONDAY, status="in_progress")
    design = make_task(project, "Maquettes", effort_days=5, order=1)
    build = make_task(project, "Intégration", effort_days=3, order=2)
    accept = make_task(project, "Recette", effort_days=2, order=3, deadline=dt.date(2030, 1, 15))
    make_dependency(design, build)
    make_dependency(build, accept)

    outcome = plan(project)

    assert outcome.saved
    # Maquettes 07–11/01, Intégration 14–16/01, Recette 17–18/01: 3 working days after the 15th.
    assert outcome.reasons == [
        "« Recette » finira le 18/01/2030, 3 jours ouvrés après son échéance du 15/01/2030 : "
        "la chaîne Maquettes → Intégration → Recette la repousse."
    ]
    assert outcome.run.lateness_days == 3


def test_a_task_waiting_for_a_busy_person_names_them():
    project = make_project(start_date=MONDAY, status="in_progress")
    julien = make_person(project.organisation, "Julien", last_name="Moreau", skills={"Design UI": 4})
    mockups = make_task(project, "Maquettes boutique", effort_days=5, skills={"Design UI": 3}, order=1,
                        pinned_start=MONDAY)
    make_assignment(mockups, julien, pinned=True)
    make_task(project, "Bannières", effort_days=2, skills={"Design UI": 3}, order=2, priority=1,
              deadline=dt.date(2030, 1, 9))

    outcome = plan(project)

    [reason] = outcome.reasons
    assert reason.startswith("« Bannières » finira le ")
    assert reason.endswith("« Bannières » attend Julien Moreau, occupé(e) sur « Maquettes boutique » jusqu'au 11/01/2030.")


def test_holidays_absences_and_part_time_shape_the_dates():
    org = make_org(holiday_subdivision="57")  # Moselle: Good Friday is off
    project = make_project(org, start_date=dt.date(2030, 4, 15), status="in_progress")
    person = make_person(org, "Inès", skills={"UX design": 5}, capacity=Decimal("0.8"))
    make_absence(person, dt.date(2030, 4, 15), dt.date(2030, 4, 16))
    task = make_task(project, "Wireframes", effort_days=4, skills={"UX design": 3})

    assert plan(project).saved

    task.refresh_from_db()
    # Absent Mon 15 and Tue 16; 4 days at 80 % take 5 working days: 17, 18, 23, 24, 25 April
    # (Good Friday 19 and Easter Monday 22 are public holidays in Moselle).
    assert (task.start, task.finish) == (dt.date(2030, 4, 17), dt.date(2030, 4, 25))
    assert list(task.assignments.values_list("person__first_name", flat=True)) == ["Inès"]


def test_pins_are_kept_and_the_planner_replaces_only_its_own_assignments(world):
    project = world.project_a
    org = project.organisation
    alice = make_person(org, "Alice", skills={"Intégration HTML/CSS": 4})
    bob = make_person(org, "Bob", skills={"Intégration HTML/CSS": 4})
    task = make_task(project, "Intégration", effort_days=3, skills={"Intégration HTML/CSS": 3})
    make_assignment(task, bob)  # a previous plan's choice, not pinned
    task_pin(task=task, by=world.user("pm"), start=dt.date(2030, 2, 4), person=alice)

    assert plan(project).saved

    task.refresh_from_db()
    assert task.start == dt.date(2030, 2, 4) and task.finish == dt.date(2030, 2, 6)
    assert list(task.assignments.values_list("person__first_name", "pinned")) == [("Alice", True)]


def test_a_person_cannot_be_pinned_on_a_task_they_are_not_qualified_for(world):
    project = world.project_a
    task = make_task(project, "Développement", effort_days=3, skills={"PHP": 3})
    novice = make_person(project.organisation, "Zoé", last_name="Novice", skills={"PHP": 1})

    with pytest.raises(ValidationError, match="Zoé Novice n'a aucune des compétences demandées par « Développement » \\(PHP ≥ 3\\)"):
        task_pin(task=task, by=world.user("pm"), start=None, person=novice)


def test_projects_sharing_people_are_planned_together_and_other_organisations_never(world):
    graphiste = world.project_a.members.get().person
    world.project_b.status = "in_progress"
    world.project_b.save()
    make_task(world.project_b, "Charte", effort_days=2, skills={"Design UI": 2})
    graphiste.skills.create(skill=world.project_a.organisation.skills.get(name="Design UI"), level=4)
    make_task(world.outsider_project, "Rival", effort_days=2, skills={"Design UI": 1})

    together = projects_planned_with(world.project_a)

    assert together[0] == world.project_a
    assert set(together) == {world.project_a, world.project_b}


def test_a_baseline_freezes_dates_and_the_variance_counts_working_days():
    project = make_project(start_date=MONDAY, status="in_progress")
    first = make_task(project, "Cadrage", effort_days=2, order=1)
    second = make_task(project, "Conception", effort_days=3, order=2)
    make_dependency(first, second)
    assert plan(project).saved
    baseline = baseline_save(project=project, name="Devis signé", by=None)
    first.pinned_start = dt.date(2030, 1, 9)  # two working days later
    first.save()
    assert plan(project).saved

    rows = {row.name: row for row in baseline_variance(project, baseline)}

    assert baseline.tasks.count() == 2
    assert (rows["Cadrage"].start_slip, rows["Cadrage"].finish_slip) == (2, 2)
    assert rows["Conception"].baseline_start == dt.date(2030, 1, 9)
    assert rows["Conception"].start == dt.date(2030, 1, 11) and rows["Conception"].state == "late"


def test_a_baseline_needs_a_planned_project(world):
    with pytest.raises(ValidationError, match="Planifiez le projet avant d'enregistrer une référence"):
        baseline_save(project=world.project_b, name="", by=None)


def test_nothing_is_saved_when_a_task_changes_during_the_computation(world, monkeypatch):
    project = world.project_a
    real = services._heuristic

    def edited_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = real(*args, **kwargs)
        Task.objects.filter(project=project, name="Maquettes").update(version=99)
        return result

    monkeypatch.setattr(services, "_heuristic", edited_meanwhile)

    outcome = plan(project)

    assert outcome.run.outcome == PlanRun.Outcome.STALE
    assert not Task.objects.filter(project=project, start__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_optimise_runs_in_a_worker_reports_progress_and_what_it_gained(live_world, client, run_worker_batch):
    project = live_world.project_a
    org = project.organisation
    for name in ("Julien", "Léa"):
        make_person(org, name, skills={"Intégration HTML/CSS": 4}, daily_cost=Decimal("300"))
    for k in range(6):
        make_task(project, f"Gabarit {k + 1}", effort_days=k % 3 + 1, skills={"Intégration HTML/CSS": 3},
                  deadline=dt.date(2030, 1, 10 + k))
    make_member(project, make_person(org, "Camille"))
    job = plan_optimize_enqueue(project=project, by=live_world.user("pm"), time_limit=2)
    client.force_login(live_world.user("pm"))
    status_url = reverse("planning_optimize_status", args=[project.pk])
    assert 'hx-trigger="every 1s"' in client.get(status_url).content.decode()

    run_worker_batch()

    job.refresh_from_db()
    assert (job.status, job.percent) == (JobProgress.Status.SUCCEEDED, 100)
    run = PlanRun.objects.get(pk=job.result["plan_run_id"])
    assert run.method == PlanRun.Method.OPTIMIZE and run.outcome == PlanRun.Outcome.SAVED
    assert set(run.comparison["heuristic"]) == {"makespan_days", "finish_date", "lateness_days", "cost"}
    page = client.get(status_url).content.decode()
    assert "Terminée" in page and "hx-trigger" not in page
    assert "Ce que l'optimisation a gagné sur la planification rapide" in page
    assert "Fin du planning" in page and "Retard cumulé" in page and "Coût interne" in page
    assert not Task.objects.filter(project=project, start__isnull=True).exists()
