"""Every role against every API endpoint, one whole row of status codes per endpoint.

Columns, always in this order (tests/conftest.py, ROLE_ORDER):
  anonymous, admin, pm, member, client_a, client_b, outsider
Each user calls with their own API token. 401 = no credentials, 404 = not visible to this user
(its existence is not revealed), 403 = visible but the role may not do this, 422 = an id in the
body names a record the user cannot see. The rows are the pages' rows (test_access_matrix.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from jalon.api.services import token_create
from jalon.jobs.models import JobProgress
from jalon.people.models import Person
from jalon.projects.models import Phase, Project, Task
from jalon.specs.models import Requirement, Spec, SpecVersion
from tests.conftest import ROLE_ORDER
from tests.factories import make_dependency, make_phase, make_task

pytestmark = pytest.mark.django_db

READ_A = [401, 200, 200, 200, 200, 404, 404]  # project_a: its team, its client, the admin
WRITE_A = [401, 200, 200, 403, 403, 404, 404]  # only its manager and the admin change it
CREATE_A = [401, 201, 201, 403, 403, 404, 404]
DELETE_A = [401, 204, 204, 403, 403, 404, 404]
TEAM = [401, 200, 200, 200, 403, 403, 200]  # each organisation's staff read their own team

Fresh = Callable[[], Any]


@pytest.fixture
def keys(world) -> dict[str, str | None]:
    """An API token for each role (anonymous has none)."""
    return {
        role: None if world.user(role) is None else token_create(user=world.user(role), name="tests")[1]
        for role in ROLE_ORDER
    }


@pytest.fixture
def api_row(keys):  # type: ignore[no-untyped-def]
    """The status code each role gets. `url` and `body` may be callables, called before each
    request, when every role needs a fresh record (a delete) or the current version."""
    def row(method: str, url: str | Fresh, body: dict[str, Any] | Fresh | None = None) -> list[int]:
        http = Client()
        codes = []
        for role in ROLE_ORDER:
            headers = {"HTTP_AUTHORIZATION": f"Bearer {keys[role]}"} if keys[role] else {}
            target = url() if callable(url) else url
            data = body() if callable(body) else body
            response = http.generic(method, target, json.dumps(data) if data is not None else "",
                                    content_type="application/json", **headers)
            codes.append(response.status_code)
        return codes
    return row


@pytest.fixture
def spec_a(world) -> SpecVersion:
    """v1 submitted to the client, v2 the PM's draft."""
    spec = Spec.objects.create(project=world.project_a)
    version = SpecVersion.objects.create(spec=spec, number=1, status=SpecVersion.Status.SUBMITTED,
                                         sections=[{"key": "ctx", "title": "Contexte", "body": ""}])
    Requirement.objects.create(version=version, code="EX-01", title="Catalogue des pains")
    draft = SpecVersion.objects.create(spec=spec, number=2, sections=version.sections)
    Requirement.objects.create(version=draft, code="EX-01", title="Catalogue des pains")
    return version


def _first_task(project: Project) -> Task:
    return Task.objects.filter(project=project).order_by("order").first()  # type: ignore[return-value]


# --- schema, docs, account -------------------------------------------------------------------


def test_openapi_schema_and_docs_are_public(api_row):
    assert api_row("GET", "/api/openapi.json") == [200] * 7
    assert api_row("GET", "/api/docs") == [200] * 7


def test_me(api_row):
    assert api_row("GET", "/api/me") == [401, 200, 200, 200, 200, 200, 200]


# --- projects ---------------------------------------------------------------------------------


def test_project_list(api_row):
    assert api_row("GET", "/api/projects") == [401, 200, 200, 200, 200, 200, 200]


def test_project_detail_of_client_a(world, api_row):
    assert api_row("GET", f"/api/projects/{world.project_a.pk}") == READ_A


def test_project_detail_of_a_project_pm_neither_manages_nor_joined(world, api_row):
    assert api_row("GET", f"/api/projects/{world.project_b.pk}") == [401, 200, 404, 404, 404, 200, 404]


def test_project_detail_of_another_organisation(world, api_row):
    assert api_row("GET", f"/api/projects/{world.outsider_project.pk}") == [401, 404, 404, 404, 404, 404, 200]


def test_project_detail_that_does_not_exist(api_row):
    assert api_row("GET", "/api/projects/987654") == [401, 404, 404, 404, 404, 404, 404]


def test_project_create(api_row):
    body = {"name": "Nouveau site", "start_date": "2030-02-04", "with_template": False}
    # The outsider manages projects in their own organisation.
    assert api_row("POST", "/api/projects", body) == [401, 201, 201, 403, 403, 403, 201]


def test_project_update(world, api_row):
    pk = world.project_a.pk
    body = lambda: {"version": Project.objects.get(pk=pk).version, "description": "Mise à jour"}  # noqa: E731
    assert api_row("PATCH", f"/api/projects/{pk}", body) == WRITE_A


# --- breakdown --------------------------------------------------------------------------------


def test_phase_list(world, api_row):
    assert api_row("GET", f"/api/projects/{world.project_a.pk}/phases") == READ_A


def test_phase_create(world, api_row):
    assert api_row("POST", f"/api/projects/{world.project_a.pk}/phases", {"name": "Recette"}) == CREATE_A


def test_phase_detail_update_delete(world, api_row):
    phase = Phase.objects.get(project=world.project_a, name="Design UI")
    assert api_row("GET", f"/api/phases/{phase.pk}") == READ_A
    assert api_row("PATCH", f"/api/phases/{phase.pk}", {"name": "Design"}) == WRITE_A
    fresh = lambda: f"/api/phases/{make_phase(world.project_a).pk}"  # noqa: E731
    assert api_row("DELETE", fresh) == DELETE_A


def test_task_list_and_create(world, api_row):
    url = f"/api/projects/{world.project_a.pk}/tasks"
    assert api_row("GET", url) == READ_A
    assert api_row("POST", url, {"name": "Intégration", "effort_days": "3"}) == CREATE_A


def test_task_detail_update_delete(world, api_row):
    task = _first_task(world.project_a)
    assert api_row("GET", f"/api/tasks/{task.pk}") == READ_A
    body = lambda: {"version": Task.objects.get(pk=task.pk).version, "priority": 4}  # noqa: E731
    assert api_row("PATCH", f"/api/tasks/{task.pk}", body) == WRITE_A
    fresh = lambda: f"/api/tasks/{make_task(world.project_a).pk}"  # noqa: E731
    assert api_row("DELETE", fresh) == DELETE_A


def test_dependencies(world, api_row):
    assert api_row("GET", f"/api/projects/{world.project_a.pk}/dependencies") == READ_A
    pair = lambda: {"predecessor_id": make_task(world.project_a).pk, "successor_id": make_task(world.project_a).pk}  # noqa: E731
    # Tasks another user cannot see are unknown ids in the body: 422 naming the field.
    assert api_row("POST", "/api/dependencies", pair) == [401, 201, 201, 403, 403, 422, 422]
    link = make_dependency(make_task(world.project_a), make_task(world.project_a))
    assert api_row("GET", f"/api/dependencies/{link.pk}") == READ_A
    fresh = lambda: f"/api/dependencies/{make_dependency(make_task(world.project_a), make_task(world.project_a)).pk}"  # noqa: E731
    assert api_row("DELETE", fresh) == DELETE_A


# --- team and clients -------------------------------------------------------------------------


def test_people_and_skills(world, api_row):
    assert api_row("GET", "/api/people") == TEAM
    assert api_row("GET", "/api/skills") == TEAM
    mona = Person.objects.get(user=world.user("member"))
    assert api_row("GET", f"/api/people/{mona.pk}") == [401, 200, 200, 200, 403, 403, 404]


def test_clients(world, api_row):
    assert api_row("GET", "/api/clients") == [401, 200, 200, 200, 200, 200, 200]
    client_a = world.project_a.client_id
    assert api_row("GET", f"/api/clients/{client_a}") == [401, 200, 200, 200, 200, 404, 404]


# --- cahier des charges -----------------------------------------------------------------------


def test_spec_versions_and_requirements(world, api_row, spec_a):
    base = f"/api/projects/{world.project_a.pk}/spec/versions"
    assert api_row("GET", base) == READ_A
    assert api_row("GET", f"{base}/1") == READ_A
    assert api_row("GET", f"{base}/1/requirements") == READ_A
    # The draft is the agency's: the client is told it does not exist.
    assert api_row("GET", f"{base}/2") == [401, 200, 200, 200, 404, 404, 404]
    assert api_row("GET", f"{base}/2/requirements") == [401, 200, 200, 200, 404, 404, 404]
    assert api_row("GET", f"{base}/3") == [401, 404, 404, 404, 404, 404, 404]


# --- planning and jobs ------------------------------------------------------------------------


def test_plan_now(world, api_row):
    assert api_row("POST", f"/api/projects/{world.project_a.pk}/plan") == WRITE_A


def test_plan_optimize_queues_a_job(world, api_row):
    url = f"/api/projects/{world.project_a.pk}/plan?method=optimize&time_limit=5"
    assert api_row("POST", url) == [401, 202, 202, 403, 403, 404, 404]
    assert JobProgress.objects.filter(project=world.project_a).count() == 2


def test_job_progress(world, api_row):
    job = JobProgress.objects.create(kind=JobProgress.Kind.PLAN_OPTIMIZE, project=world.project_a,
                                     requested_by=world.user("pm"))
    assert api_row("GET", f"/api/jobs/{job.pk}") == READ_A
