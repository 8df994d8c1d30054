"""The admin shows bad input as form errors, never as a server error."""

from __future__ import annotations

from itertools import pairwise

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from jalon.accounts.models import User
from jalon.projects.models import Dependency, Task
from jalon.specs.models import Requirement, Spec, SpecVersion
from tests.factories import make_dependency, make_project, make_task, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client: HttpClient, settings: object) -> HttpClient:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    client.force_login(make_user(role=User.Role.ADMIN, is_superuser=True))
    return client


def chain(*names: str) -> list[Task]:
    project = make_project()
    tasks = [make_task(project, name=name) for name in names]
    for before, after in pairwise(tasks):
        make_dependency(before, after)
    return tasks


def inline_management(prefix: str, initial: int = 0, total: int = 1) -> dict[str, str]:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def task_post(task: Task, **changes: str) -> dict[str, str]:
    data = {
        "project": str(task.project_id), "name": task.name, "order": "0", "effort_days": "1", "priority": "3",
        "description": "",
        **inline_management("skills", total=0), **inline_management("assignments", total=0),
        **inline_management("predecessor_links", total=0),
        **inline_management("successor_links", initial=task.successor_links.count(), total=task.successor_links.count()),
    }
    return {**data, **changes}


def test_the_admin_dependency_form_shows_the_cycle_message(superuser_client: HttpClient) -> None:
    maquettes, integration, recette = chain("Maquettes", "Intégration", "Recette")
    response = superuser_client.post(
        reverse("admin:projects_dependency_add"),
        {"predecessor": recette.pk, "successor": maquettes.pk, "type": "FS", "lag_days": "0"},
    )
    assert response.status_code == 200
    assert "Cycle de dépendances : Maquettes → Intégration → Recette → Maquettes" in response.content.decode()
    assert Dependency.objects.count() == 2


def test_the_admin_refuses_a_self_dependency_and_another_organisations_task(superuser_client: HttpClient) -> None:
    task, foreign = make_task(name="Recette"), make_task(name="Ailleurs")
    url = reverse("admin:projects_dependency_add")
    response = superuser_client.post(url, {"predecessor": task.pk, "successor": task.pk, "type": "FS", "lag_days": "0"})
    assert response.status_code == 200
    assert "La tâche « Recette » ne peut pas dépendre d&#x27;elle-même." in response.content.decode()
    response = superuser_client.post(url, {"predecessor": task.pk, "successor": foreign.pk, "type": "FS", "lag_days": "0"})
    assert response.status_code == 200
    assert "deux organisations différentes" in response.content.decode()
    assert not Dependency.objects.exists()


def test_the_task_inline_shows_a_cycle_closed_by_a_new_predecessor(superuser_client: HttpClient) -> None:
    maquettes, integration, recette = chain("Maquettes", "Intégration", "Recette")
    response = superuser_client.post(
        reverse("admin:projects_task_change", args=[maquettes.pk]),
        task_post(maquettes, **{**inline_management("predecessor_links"), "predecessor_links-0-predecessor": str(recette.pk),
                                "predecessor_links-0-type": "FS", "predecessor_links-0-lag_days": "0"}),
    )
    assert response.status_code == 200
    assert "Cycle de dépendances : Maquettes → Intégration → Recette → Maquettes" in response.content.decode()


def test_the_admin_task_form_reports_negative_effort_and_a_deadline_before_the_earliest_start(
    superuser_client: HttpClient,
) -> None:
    task = make_task(name="Maquettes")
    response = superuser_client.post(
        reverse("admin:projects_task_change", args=[task.pk]),
        task_post(task, effort_days="-3", start_no_earlier_than="2030-05-10", deadline="2030-05-02"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "ne peut pas être négative" in page and "précède le début au plus tôt" in page


def test_the_admin_saves_a_valid_task_and_bumps_its_version(superuser_client: HttpClient) -> None:
    task = make_task(name="Maquettes")
    response = superuser_client.post(reverse("admin:projects_task_change", args=[task.pk]), task_post(task, effort_days="4"))
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.effort_days, task.version) == (4, 2)


def test_the_admin_project_form_reports_a_deadline_before_the_start(superuser_client: HttpClient) -> None:
    project = make_project()
    data = {
        "organisation": str(project.organisation_id), "name": project.name, "code": project.code,
        "project_type": "seo", "status": "draft", "start_date": "2030-03-04", "deadline": "2030-03-01",
        "priority": "3", "description": "", **inline_management("members", total=0), **inline_management("phases", total=0),
    }
    response = superuser_client.post(reverse("admin:projects_project_change", args=[project.pk]), data)
    assert response.status_code == 200
    assert "précède la date de début" in response.content.decode()


def test_the_admin_user_creation_form_requires_a_client_for_a_client_login(superuser_client: HttpClient) -> None:
    org = make_project().organisation
    response = superuser_client.post(reverse("admin:accounts_user_add"), {
        "username": "nouveau", "organisation": org.pk, "role": "client", "client": "",
        "usable_password": "true", "password1": "un-mot-de-passe-solide", "password2": "un-mot-de-passe-solide",
    })
    assert response.status_code == 200
    assert "rattaché à un client" in response.content.decode()
    assert not User.objects.filter(username="nouveau").exists()


def test_the_admin_cannot_edit_or_delete_a_validated_spec_version(superuser_client: HttpClient) -> None:
    version = SpecVersion.objects.create(spec=Spec.objects.create(project=make_project()), number=1)
    Requirement.objects.create(version=version, code="EX-01", title="Paiement")
    SpecVersion.objects.filter(pk=version.pk).update(
        status="validated", validated_at=timezone.now(), validated_by=make_user())
    data = {
        "spec": version.spec_id, "number": "1", "status": "draft", "sections": "[]", "validation_comment": "",
        **inline_management("requirements", total=0),
    }
    response = superuser_client.post(reverse("admin:specs_specversion_change", args=[version.pk]), data)
    assert response.status_code == 200
    assert "est validée : elle ne peut plus être modifiée" in response.content.decode()
    response = superuser_client.post(reverse("admin:specs_specversion_delete", args=[version.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert SpecVersion.objects.get().status == "validated"


@pytest.mark.parametrize(
    "model", ["organisation", "user", "skill", "person", "absence", "client", "project", "phase", "task",
              "dependency", "deliverable", "spec", "specversion", "requirement", "baseline"],
)
def test_every_admin_list_and_add_page_renders(superuser_client: HttpClient, model: str) -> None:
    app = {"organisation": "accounts", "user": "accounts", "skill": "people", "person": "people",
           "absence": "people", "spec": "specs", "specversion": "specs", "requirement": "specs",
           "baseline": "planning"}.get(model, "projects")
    chain("A", "B")  # some rows in the task, project and dependency lists
    assert superuser_client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200
    assert superuser_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200
