"""Background jobs: the plan check queued from the project page, run by a real worker."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jalon.jobs.models import JobProgress
from jalon.jobs.services import job_enqueue_plan_check, job_report_progress, plan_check_run
from jalon.projects.models import Dependency, Task
from tests.factories import make_dependency, make_task


def plan_chain(project) -> None:
    """Maquettes (5 d) → Validation (milestone) → Intégration (3 d): 8 working days."""
    mockups = Task.objects.get(project=project, name="Maquettes")
    review = Task.objects.get(project=project, name="Validation des maquettes")
    build = make_task(project, "Intégration", effort_days=3, order=3)
    make_dependency(mockups, review)
    make_dependency(review, build)


@pytest.mark.django_db(transaction=True)
def test_a_plan_check_queued_from_the_project_page_runs_in_a_worker_and_shows_its_summary(live_world, client, run_worker_batch):
    project = live_world.project_a
    plan_chain(project)
    client.force_login(live_world.user("pm"))

    response = client.post(reverse("plan_check_start", args=[project.pk]))
    assert response.status_code == 303
    progress_url = response["Location"]
    waiting = client.get(progress_url).content.decode()
    assert "En attente" in waiting and 'hx-trigger="every 1s"' in waiting

    run_worker_batch()

    job = JobProgress.objects.get(project=project)
    assert DBTaskResult.objects.get(id=job.task_result_id).status == "SUCCESSFUL"
    page = client.get(progress_url).content.decode()
    assert "100 %" in page and "Terminée" in page
    assert "8 jours ouvrés" in page
    assert "<li>Maquettes</li>" in page and "<li>Intégration</li>" in page
    assert "hx-trigger" not in page  # a finished job stops the polling
    assert job.result["makespan_days"] == 8
    assert job.result["critical_tasks"] == ["Maquettes", "Validation des maquettes", "Intégration"]


@pytest.mark.django_db
def test_it_names_the_cycle(world):
    project = world.project_a
    mockups = Task.objects.get(project=project, name="Maquettes")
    review = Task.objects.get(project=project, name="Validation des maquettes")
    # An import can bring a cycle the forms would refuse: write it without validation.
    Dependency.objects.create(predecessor=mockups, successor=review)
    Dependency.objects.create(predecessor=review, successor=mockups)
    job = job_enqueue_plan_check(project=project, requested_by=world.user("pm"))

    summary = plan_check_run(job_id=job.pk)

    job.refresh_from_db()
    assert summary["makespan_days"] is None
    assert sorted(summary["cycle"][:2]) == ["Maquettes", "Validation des maquettes"]
    assert summary["cycle"][0] == summary["cycle"][-1]
    assert (job.status, job.percent) == (JobProgress.Status.SUCCEEDED, 100)
    assert job.message.startswith("Cycle de dépendances : ")


@pytest.mark.django_db
def test_a_cross_project_link_is_counted_but_left_out_of_the_critical_path(world):
    mockups = Task.objects.get(project=world.project_a, name="Maquettes")
    make_dependency(mockups, make_task(world.project_b, "Catalogue", effort_days=20))
    job = job_enqueue_plan_check(project=world.project_a, requested_by=world.user("pm"))

    summary = plan_check_run(job_id=job.pk)

    assert summary["external_dependency_count"] == 1
    assert summary["makespan_days"] == 5


@pytest.mark.django_db
def test_a_failure_is_written_on_the_job_before_it_propagates(world):
    mockups = Task.objects.get(project=world.project_a, name="Maquettes")
    review = Task.objects.get(project=world.project_a, name="Validation des maquettes")
    # A link type no version of Jalon writes (a hand-edited database): the engine refuses it.
    Dependency.objects.create(predecessor=mockups, successor=review, type="XX")
    job = job_enqueue_plan_check(project=world.project_a, requested_by=world.user("pm"))

    with pytest.raises(ValueError, match="a un type inconnu"):
        plan_check_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.percent) == (JobProgress.Status.FAILED, 100)
    assert job.message == (
        "Échec : la dépendance « Maquettes » → « Validation des maquettes » a un type inconnu : « XX »."
    )


@pytest.mark.django_db
def test_the_htmx_poll_gets_only_the_fragment(world, client):
    job = job_enqueue_plan_check(project=world.project_a, requested_by=world.user("pm"))
    job_report_progress(job_id=job.pk, percent=40, message="Calcul du chemin critique…")
    client.force_login(world.user("pm"))

    fragment = client.get(reverse("job_progress", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()

    assert "<html" not in fragment
    assert f'id="job-{job.pk}"' in fragment and 'value="40"' in fragment
    assert "Calcul du chemin critique…" in fragment
    # Without htmx (not installed, or JavaScript off) a plain link refreshes the page.
    assert f'href="{reverse("job_progress", args=[job.pk])}">Actualiser</a>' in fragment


@pytest.mark.django_db
def test_progress_outside_0_to_100_is_refused_with_the_job_named(world):
    job = job_enqueue_plan_check(project=world.project_a, requested_by=world.user("pm"))
    with pytest.raises(ValueError, match=f"job {job.pk}: percent must be 0..100, got 120"):
        job_report_progress(job_id=job.pk, percent=120)
