"""What the API resources answer: pagination and filters, hidden costs, optimistic locking,
validation errors with field messages, cycles named, plans with dates."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from jalon.api.services import token_create
from jalon.jobs.models import JobProgress
from jalon.people.models import Person, PersonSkill
from jalon.projects.models import Project, Task, TaskSkill
from tests.factories import (
    make_client,
    make_dependency,
    make_person,
    make_phase,
    make_project,
    make_skill,
    make_task,
)

pytestmark = pytest.mark.django_db


class Api:
    """A test client speaking JSON with one user's token."""

    def __init__(self, user: Any) -> None:
        self.http = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='tests')[1]}"}

    def call(self, method: str, url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        response = self.http.generic(method, url, json.dumps(body) if body is not None else "",
                                     content_type="application/json", **self.headers)
        return response.status_code, response.json() if response.content else None

    def get(self, url: str) -> Any:
        status, data = self.call("GET", url)
        assert status == 200, data
        return data


@pytest.fixture
def as_api(world):  # type: ignore[no-untyped-def]
    return lambda role: Api(world.user(role))


def _messages(data: dict[str, Any]) -> dict[str, str]:
    """{field: message} from a 422 body."""
    return {str(error["loc"][-1]): error["msg"] for error in data["detail"]}


# --- lists: pagination and filters ------------------------------------------------------------


def test_project_list_pages_with_limit_and_offset_and_counts_everything(world, as_api):
    org = world.project_a.organisation
    for n in range(5):
        make_project(org, name=f"Site {n}", priority=1, start_date=dt.date(2030, 1, 1 + n))
    api = as_api("admin")
    first, second = api.get("/api/projects?limit=3"), api.get("/api/projects?limit=3&offset=3")
    assert first["count"] == second["count"] == 7
    names = [p["name"] for p in first["items"] + second["items"]]
    # Most urgent first (priority), then start date, then name; the second page goes on from the first.
    assert names == ["Boutique cave", "Refonte boulangerie", "Site 0", "Site 1", "Site 2", "Site 3"]


def test_a_page_larger_than_allowed_is_refused_naming_the_parameter(as_api):
    status, data = as_api("admin").call("GET", "/api/projects?limit=1000")
    assert status == 422
    assert data["detail"][0]["loc"] == ["query", "limit"]


def test_projects_filter_by_status_type_client_and_text(world, as_api):
    api = as_api("admin")
    codes = lambda query: [p["code"] for p in api.get(f"/api/projects?{query}")["items"]]  # noqa: E731
    assert codes("status=in_progress") == ["BOUL"]
    assert codes("type=site_ecommerce") == ["CAVE"]
    assert codes(f"client={world.project_b.client_id}") == ["CAVE"]
    assert codes("q=boulang") == ["BOUL"]
    assert codes("q=cave&status=in_progress") == []


def test_tasks_filter_by_phase_and_milestone(world, as_api):
    other = make_phase(world.project_a, "Développement", order=2)
    make_task(world.project_a, "Intégration", phase=other)
    api = as_api("pm")
    url = f"/api/projects/{world.project_a.pk}/tasks"
    assert [t["name"] for t in api.get(f"{url}?phase={other.pk}")["items"]] == ["Intégration"]
    assert [t["name"] for t in api.get(f"{url}?milestone=true")["items"]] == ["Validation des maquettes"]
    assert api.get(f"{url}?milestone=false")["count"] == 2


def test_a_client_sees_only_their_own_client_and_projects(world, as_api):
    api = as_api("client_a")
    assert [c["name"] for c in api.get("/api/clients")["items"]] == ["Boulangerie Martin"]
    assert [p["code"] for p in api.get("/api/projects")["items"]] == ["BOUL"]


# --- what each role may see -------------------------------------------------------------------


def test_budget_and_sold_days_are_hidden_from_clients(world, as_api):
    url = f"/api/projects/{world.project_a.pk}"
    assert as_api("pm").get(url)["budget_amount"] == "24500.00"
    seen_by_client = as_api("client_a").get(url)
    assert "budget_amount" not in seen_by_client and "sold_days" not in seen_by_client
    assert seen_by_client["name"] == "Refonte boulangerie"


def test_daily_rates_are_for_admins_and_managers_only(world, as_api):
    by_name = lambda role: {p["full_name"]: p for p in as_api(role).get("/api/people")["items"]}  # noqa: E731
    assert by_name("pm")["Mona Graphiste"]["daily_rate"] == "480.00"
    as_member = by_name("member")["Mona Graphiste"]
    assert "daily_rate" not in as_member and "daily_cost" not in as_member
    assert as_member["job_title"] == "Graphiste"


def test_people_filter_by_skill(world, as_api):
    org = world.project_a.organisation
    make_person(org, "Denis", skills={"Développement web": 4})
    skill_id = as_api("pm").get("/api/skills")["items"][0]["id"]
    people = as_api("pm").get(f"/api/people?skill={skill_id}")["items"]
    assert [(p["first_name"], p["skills"][0]["level"]) for p in people] == [("Denis", 4)]


def test_a_manager_records_an_absence_that_the_next_plan_works_around(world, as_api):
    # Mockups need a designer, and Mona is the only one.
    org = world.project_a.organisation
    design = make_skill(org, "Design UI")
    PersonSkill.objects.create(person=Person.objects.get(first_name="Mona"), skill=design, level=4)
    TaskSkill.objects.create(task=Task.objects.get(name="Maquettes"), skill=design, min_level=3)
    api = as_api("pm")
    mona = next(p for p in api.get("/api/people")["items"] if p["first_name"] == "Mona")
    before = api.call("POST", f"/api/projects/{world.project_a.pk}/plan")[1]
    mockups = next(t for t in before["tasks"] if t["name"] == "Maquettes")
    status, absence = api.call("POST", f"/api/people/{mona['id']}/absences",
                               {"start": mockups["start"], "end": mockups["finish"], "kind": "training",
                                "note": "Formation <Figma>"})
    assert status == 201, absence
    assert (absence["kind"], absence["start"], absence["note"]) == ("training", mockups["start"], "Formation <Figma>")
    assert api.get(f"/api/people/{mona['id']}/absences")["items"] == [absence]
    after = api.call("POST", f"/api/projects/{world.project_a.pk}/plan")[1]
    moved = next(t for t in after["tasks"] if t["name"] == "Maquettes")
    assert moved["start"] > mockups["finish"]
    status, changed = api.call("PATCH", f"/api/absences/{absence['id']}", {"end_morning": True})
    assert (status, changed["end_morning"], changed["start"]) == (200, True, absence["start"])
    assert api.call("DELETE", f"/api/absences/{absence['id']}")[0] == 204
    assert api.get(f"/api/people/{mona['id']}/absences")["count"] == 0


def test_absence_dates_are_checked_together_and_nulls_refused(world, as_api):
    api = as_api("pm")
    mona = next(p for p in api.get("/api/people")["items"] if p["first_name"] == "Mona")
    url = f"/api/people/{mona['id']}/absences"
    status, data = api.call("POST", url, {"start": "2030-03-08", "end": "2030-03-04"})
    assert status == 422
    assert _messages(data) == {"end": "La fin de l'absence (04/03/2030) précède son début (08/03/2030)."}
    status, data = api.call("POST", url, {"start": "2030-03-04", "end": "2030-03-04", "start_afternoon": True,
                                          "end_morning": True})
    assert status == 422 and "à la fois commencer l'après-midi et finir à midi" in json.dumps(data, ensure_ascii=False)
    status, data = api.call("POST", url, {"start": "2030-03-04", "end": "2030-03-05", "kind": "holiday"})
    assert (status, data["detail"][0]["loc"]) == (422, ["body", "payload", "kind"])
    status, absence = api.call("POST", url, {"start": "2030-03-04", "end": "2030-03-05"})
    assert (status, absence["kind"]) == (201, "paid_leave")
    status, data = api.call("PATCH", f"/api/absences/{absence['id']}", {"start": "2030-03-09"})
    assert status == 422 and "end" in _messages(data)
    status, data = api.call("PATCH", f"/api/absences/{absence['id']}", {"start": None})
    assert status == 422 and "start" in _messages(data)
    assert api.get(f"/api/absences/{absence['id']}")["start"] == "2030-03-04"


def test_deliverables_are_created_tied_to_a_task_handed_over_and_read_by_the_client(world, as_api):
    api = as_api("pm")
    mockups = Task.objects.get(name="Maquettes")
    url = f"/api/projects/{world.project_a.pk}/deliverables"
    status, made = api.call("POST", url, {"name": "Maquettes <HD>", "task_id": mockups.pk, "due_date": "2030-01-18"})
    assert status == 201, made
    assert (made["name"], made["task_id"], made["status"], made["requirement_ids"]) == (
        "Maquettes <HD>", mockups.pk, "planned", [])
    status, moved = api.call("PATCH", f"/api/deliverables/{made['id']}", {"due_date": "2030-01-25", "task_id": None})
    assert (status, moved["due_date"], moved["task_id"], moved["name"]) == (200, "2030-01-25", None, "Maquettes <HD>")
    status, handed = api.call("POST", f"/api/deliverables/{made['id']}/deliver")
    assert (status, handed["status"]) == (200, "delivered")
    status, again = api.call("POST", f"/api/deliverables/{made['id']}/deliver")
    assert status == 422 and "est déjà « Livré »" in json.dumps(again, ensure_ascii=False)
    # The client follows the acceptance of their project's deliverables; cannot change them.
    client = as_api("client_a")
    assert [d["status"] for d in client.get(url)["items"]] == ["delivered"]
    assert client.call("PATCH", f"/api/deliverables/{made['id']}", {"name": "x"})[0] == 403
    assert as_api("client_b").call("GET", f"/api/deliverables/{made['id']}")[0] == 404
    assert api.call("DELETE", f"/api/deliverables/{made['id']}")[0] == 204
    assert api.get(url)["count"] == 0


def test_a_deliverable_takes_only_a_task_of_its_own_project(world, as_api):
    api = as_api("pm")
    foreign = make_task(world.project_b, "Fiche produit")
    status, data = api.call("POST", f"/api/projects/{world.project_a.pk}/deliverables",
                            {"name": "Maquettes", "task_id": foreign.pk})
    assert status == 422 and "task" in _messages(data)
    status, data = api.call("POST", f"/api/projects/{world.project_a.pk}/deliverables", {"name": ""})
    assert (status, data["detail"][0]["loc"]) == (422, ["body", "payload", "name"])


def test_a_manager_imposes_a_person_that_the_next_plans_keep(world, as_api):
    org = world.project_a.organisation
    design = make_skill(org, "Design UI")
    mona = Person.objects.get(first_name="Mona")
    PersonSkill.objects.create(person=mona, skill=design, level=4)
    denis = make_person(org, "Denis", skills={"Design UI": 5})
    mockups = Task.objects.get(name="Maquettes")
    TaskSkill.objects.create(task=mockups, skill=design, min_level=3)
    api = as_api("pm")
    status, rows = api.call("PUT", f"/api/tasks/{mockups.pk}/assignments/{denis.pk}")
    assert status == 200, rows
    assert {(r["full_name"], r["pinned"]) for r in rows} >= {("Denis Test", True)}
    api.call("POST", f"/api/projects/{world.project_a.pk}/plan")
    assert [(r["person_id"], r["pinned"]) for r in api.get(f"/api/tasks/{mockups.pk}/assignments")] == [(denis.pk, True)]
    # One seat, already imposed: a second person is refused with the reason.
    status, data = api.call("PUT", f"/api/tasks/{mockups.pk}/assignments/{mona.pk}")
    assert status == 422 and "déjà 1 personne(s) imposée(s)" in json.dumps(data, ensure_ascii=False)
    status, rows = api.call("DELETE", f"/api/tasks/{mockups.pk}/assignments/{denis.pk}")
    assert (status, rows) == (200, [{"person_id": denis.pk, "full_name": "Denis Test", "pinned": False}])
    # A task that needs no skill needs nobody: nothing to impose.
    review = Task.objects.get(name="Validation des maquettes")
    status, data = api.call("PUT", f"/api/tasks/{review.pk}/assignments/{mona.pk}")
    assert status == 422 and "ne demande aucune compétence" in json.dumps(data, ensure_ascii=False)
    outsider = make_person(world.outsider_project.organisation, "Rival", skills={"Design UI": 5})
    assert api.call("PUT", f"/api/tasks/{mockups.pk}/assignments/{outsider.pk}")[0] == 404


# --- writes: creation, optimistic locking, validation -----------------------------------------


def test_a_manager_creates_a_project_they_manage_with_its_spec_and_starting_breakdown(world, as_api):
    status, data = as_api("pm").call("POST", "/api/projects", {
        "name": "Boutique fromagerie", "code": "FROM", "project_type": "site_ecommerce",
        "start_date": "2030-03-04", "client_id": world.project_a.client_id, "budget_amount": "18000",
    })
    assert status == 201, data
    project = Project.objects.get(pk=data["id"])
    assert (project.manager, project.budget_amount, data["version"]) == (world.user("pm"), Decimal("18000"), 1)
    assert project.spec.versions.count() == 1 and project.tasks.exists()


def test_a_client_of_another_organisation_is_an_unknown_id(world, as_api):
    foreign = make_client(world.outsider_project.organisation, "Client rival")
    status, data = as_api("pm").call("POST", "/api/projects", {
        "name": "X", "start_date": "2030-03-04", "client_id": foreign.pk, "with_template": False})
    assert status == 422
    assert _messages(data) == {"client_id": f"Client n°{foreign.pk} introuvable dans votre organisation."}


def test_a_stale_project_update_is_refused_with_409_and_changes_nothing(world, as_api):
    api = as_api("pm")
    url = f"/api/projects/{world.project_a.pk}"
    version = api.get(url)["version"]
    status, first = api.call("PATCH", url, {"version": version, "name": "Refonte v2"})
    assert (status, first["version"]) == (200, version + 1)
    status, data = api.call("PATCH", url, {"version": version, "name": "Écrasement"})
    assert status == 409
    assert "modifié par quelqu'un d'autre" in data["detail"]
    assert Project.objects.get(pk=world.project_a.pk).name == "Refonte v2"


def test_a_stale_task_update_is_refused_with_409(world, as_api):
    task = Task.objects.get(name="Maquettes")
    api = as_api("pm")
    assert api.call("PATCH", f"/api/tasks/{task.pk}", {"version": task.version, "effort_days": "6"})[0] == 200
    status, _data = api.call("PATCH", f"/api/tasks/{task.pk}", {"version": task.version, "effort_days": "7"})
    assert status == 409
    assert Task.objects.get(pk=task.pk).effort_days == Decimal("6")


def test_model_rules_answer_422_with_the_forms_messages(world, as_api):
    api = as_api("pm")
    status, data = api.call("PATCH", f"/api/projects/{world.project_a.pk}",
                            {"version": world.project_a.version, "deadline": "2029-12-31"})
    assert status == 422
    assert _messages(data) == {"deadline": "La date limite (31/12/2029) précède la date de début (07/01/2030)."}
    status, data = api.call("POST", f"/api/projects/{world.project_a.pk}/tasks",
                            {"name": "Go-live", "is_milestone": True, "effort_days": "2"})
    assert status == 422
    assert "Un jalon n'a ni charge ni durée" in _messages(data)["is_milestone"]


def test_input_outside_the_schema_answers_422_naming_the_field(world, as_api):
    api = as_api("pm")
    url = f"/api/projects/{world.project_a.pk}/tasks"
    status, data = api.call("POST", url, {"name": "Maquettes", "effort_days": "-1"})
    assert (status, data["detail"][0]["loc"]) == (422, ["body", "payload", "effort_days"])
    # PostgreSQL refuses NUL characters: the schema does first.
    status, data = api.call("POST", url, {"name": "Ma\u0000quettes"})
    assert (status, data["detail"][0]["loc"]) == (422, ["body", "payload", "name"])
    assert api.call("GET", f"/api/tasks/{2**70}")[0] == 422


def test_a_null_for_a_required_field_is_a_field_error(world, as_api):
    task = Task.objects.get(name="Maquettes")
    status, data = as_api("pm").call("PATCH", f"/api/tasks/{task.pk}", {"version": task.version, "name": None})
    assert status == 422
    assert "name" in _messages(data)


def test_a_phase_of_another_project_is_refused(world, as_api):
    foreign_phase = make_phase(world.project_b, "Cadrage")
    status, data = as_api("admin").call("POST", f"/api/projects/{world.project_a.pk}/tasks",
                                        {"name": "Audit", "phase_id": foreign_phase.pk})
    assert status == 422
    assert list(_messages(data)) == ["phase_id"]


def test_a_dependency_closing_a_cycle_names_it(world, as_api):
    brief, design, build = (make_task(world.project_a, name) for name in ("Brief", "Design", "Développement"))
    make_dependency(brief, design)
    make_dependency(design, build)
    status, data = as_api("pm").call("POST", "/api/dependencies",
                                     {"predecessor_id": build.pk, "successor_id": brief.pk})
    assert status == 422
    assert [e["msg"] for e in data["detail"]] == ["Cycle de dépendances : Brief → Design → Développement → Brief"]


def test_deleting_a_phase_keeps_its_tasks(world, as_api):
    task = Task.objects.get(name="Maquettes")
    assert as_api("pm").call("DELETE", f"/api/phases/{task.phase_id}")[0] == 204
    assert Task.objects.get(pk=task.pk).phase_id is None


# --- spec -------------------------------------------------------------------------------------


def test_spec_versions_come_with_sections_and_requirements_with_their_tasks(world, as_api):
    from jalon.specs.models import Requirement, Spec, SpecVersion

    version = SpecVersion.objects.create(spec=Spec.objects.create(project=world.project_a), number=1,
                                         status=SpecVersion.Status.SUBMITTED,
                                         sections=[{"key": "ctx", "title": "Contexte", "body": "Une boulangerie."}])
    requirement = Requirement.objects.create(version=version, code="EX-01", title="Maquettes validées")
    requirement.tasks.add(Task.objects.get(name="Maquettes"))
    api = as_api("client_a")
    base = f"/api/projects/{world.project_a.pk}/spec/versions"
    assert api.get(f"{base}/1")["sections"] == [{"key": "ctx", "title": "Contexte", "body": "Une boulangerie."}]
    [row] = api.get(f"{base}/1/requirements")["items"]
    assert (row["code"], row["task_ids"]) == ("EX-01", [Task.objects.get(name="Maquettes").pk])


def test_a_client_lists_the_versions_put_before_them_and_never_a_draft(world, as_api):
    from jalon.specs.models import Spec, SpecVersion

    spec = Spec.objects.create(project=world.project_a)
    for number, status in ((1, "rejected"), (2, "validated"), (3, "draft")):
        SpecVersion.objects.create(spec=spec, number=number, status=status)
    base = f"/api/projects/{world.project_a.pk}/spec/versions"
    assert [v["number"] for v in as_api("client_a").get(base)["items"]] == [2, 1]
    assert [v["number"] for v in as_api("member").get(base)["items"]] == [3, 2, 1]
    status, data = as_api("client_a").call("GET", f"{base}/3")
    assert (status, data["detail"]) == (404, "Introuvable, ou vous n'y avez pas accès.")


# --- planning ---------------------------------------------------------------------------------


def test_plan_returns_the_dates_it_saved(world, as_api):
    status, data = as_api("pm").call("POST", f"/api/projects/{world.project_a.pk}/plan")
    assert status == 200, data
    assert (data["saved"], data["outcome"], data["project_ids"]) == (True, "saved", [world.project_a.pk])
    by_name = {t["name"]: t for t in data["tasks"]}
    mockups = Task.objects.get(name="Maquettes")
    assert by_name["Maquettes"]["start"] == mockups.start.isoformat() == "2030-01-07"
    assert data["finish_date"] == max(t.finish for t in Task.objects.filter(project=world.project_a)).isoformat()


def test_a_plan_that_cannot_be_saved_says_why(world, as_api):
    make_task(world.project_a, "Développement", skills={"Python": 5})
    status, data = as_api("pm").call("POST", f"/api/projects/{world.project_a.pk}/plan")
    assert (status, data["saved"], data["outcome"]) == (200, False, "infeasible")
    assert any("Python" in reason for reason in data["reasons"])


def test_optimize_queues_a_job_whose_progress_url_answers(world, as_api):
    api = as_api("pm")
    status, job = api.call("POST", f"/api/projects/{world.project_a.pk}/plan?method=optimize&time_limit=20")
    assert status == 202
    assert JobProgress.objects.get(pk=job["id"]).result["time_limit"] == 20
    progress = api.get(job["progress_url"])
    assert (progress["id"], progress["status"], progress["percent"]) == (job["id"], "queued", 0)


def test_an_optimisation_time_limit_out_of_bounds_is_refused(world, as_api):
    status, data = as_api("pm").call("POST", f"/api/projects/{world.project_a.pk}/plan?method=optimize&time_limit=0")
    assert (status, data["detail"][0]["loc"]) == (422, ["query", "time_limit"])
