"""Every URL of Jalon against every role: one whole row of status codes per route, and no page,
fragment, export, download or feed that shows one client's data to anyone else.

Columns, always in this order (tests/conftest.py, EVERY_ROLE_ORDER):
  anonymous, admin, pm, other_pm, member, member_off, client_a, client_b, outsider
The target is project A ("Refonte boulangerie", client A), managed by pm, with member (Mona)
staffed on it. other_pm manages project B of the same organisation and member_off is staffed on
B only: a manager sees the projects they manage or join, not the whole organisation
(jalon/projects/permissions.py), so both get project A's pages as 404. outsider is a manager of
another organisation.

302 = sent to the login page (pages), 401 = no credentials (API), 303 = the action was accepted,
200/201/204 = served, 400 = past the gate but the empty form is refused, 403 = visible through
another door or read-only for this role, 404 = not shown (its existence is not revealed),
422 = an id in the API body names a record the caller cannot see.

Each page or HTMX fragment is fetched with GET; a POST-only view gets a POST with an empty body
(the API's writes get the smallest valid JSON body, else the schema check would answer 422 to
everyone before any access rule). Each request runs in a savepoint rolled back afterwards, so
the admin's accepted action never changes what the next role meets. One database world is
built per module and each answer is fetched once: the whole module takes about 25 seconds.

The "no leak" tests read the same answers: a client, or another organisation, never finds the
other client's project, client or records in any body; within the agency, project A's pages
show nothing of project B to A's people and nothing of A to B's people. Project A's records
carry the word FOURNIL and project B's CAVEAU so that any of them is caught, not only the names.

`test_every_url_name_has_its_row` walks the project's URL resolver: a view added without its
row in CASES fails the suite.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import EVERY_ROLE_ORDER, build_world

pytestmark = pytest.mark.django_db

# A word carried by every record of project A that the test creates (risk, meeting, change
# request, report…): finding it in a page shown to another client is a leak of A's data.
A_MARK = "FOURNIL"
B_MARK = "CAVEAU"  # the same for project B ("Boutique cave", client B)
# Written only in the draft v2 of project A's spec: the client must never meet it anywhere.
DRAFT_MARK = "PETRIN"

# ------------------------------------------------------------------------------------ rows

Row = tuple[int, int, int, int, int, int, int, int, int]

# Project A's pages: whoever sees the project (admin, its manager, its member, its client).
READ: Row = (302, 200, 200, 404, 200, 404, 200, 404, 404)
# The agency's side of project A: clients are sent away (403), strangers see nothing (404).
STAFF: Row = (302, 200, 200, 404, 200, 404, 403, 404, 404)


def edit(code: int) -> Row:
    """Project A's editors (admin, pm): the member and the client see the project, not this door."""
    return (302, code, code, 404, 403, 404, 403, 404, 404)


def portal(code: int) -> Row:
    """The client portal of project A: client A only; the agency's people have their own pages."""
    return (302, 403, 403, 404, 403, 404, code, 404, 404)


# Organisation-wide staff pages (team, workload): each organisation's staff, never a client.
ORG_STAFF: Row = (302, 200, 200, 200, 200, 200, 403, 403, 200)
# A record of Agence Durand's team (Mona, her absence): the outsider's organisation has none.
DURAND_STAFF: Row = (302, 200, 200, 200, 200, 200, 403, 403, 404)
LOGGED_IN: Row = (302, 200, 200, 200, 200, 200, 200, 200, 200)


def org_leads(code: int) -> Row:
    """Admins and managers of each organisation (the team's editors, week locks, reports)."""
    return (302, code, code, code, 403, 403, 403, 403, code)


def durand_leads(code: int) -> Row:
    """Admins and managers acting on a record of Agence Durand."""
    return (302, code, code, code, 403, 403, 403, 403, 404)


# Meetings of project A: the internal workshop (pm organises, Mona invited) and the
# client-visible steering committee.
INTERNAL_MEETING: Row = (302, 200, 200, 404, 200, 404, 404, 404, 404)
SHARED_MEETING: Row = READ


# A status report still in draft is the agency's: client A is told it does not exist.
DRAFT_REPORT: Row = (302, 200, 200, 404, 200, 404, 404, 404, 404)
# So is a draft version of the cahier des charges (pages, exports).
DRAFT_SPEC: Row = DRAFT_REPORT


def internal_meeting_edit(code: int) -> Row:
    return (302, code, code, 404, 403, 404, 404, 404, 404)


# The REST API, each role calling with its own token.
API_READ: Row = (401, 200, 200, 404, 200, 404, 200, 404, 404)
API_DRAFT_SPEC: Row = (401, 200, 200, 404, 200, 404, 404, 404, 404)
API_TEAM: Row = (401, 200, 200, 200, 200, 200, 403, 403, 200)
API_LOGGED_IN: Row = (401, 200, 200, 200, 200, 200, 200, 200, 200)
PUBLIC: Row = (200,) * 9


def api_write(code: int) -> Row:
    return (401, code, code, 404, 403, 404, 403, 404, 404)


# ------------------------------------------------------------------------------------ cases


@dataclass(frozen=True)
class Ref:
    """An id (or token) of the test world, filled in when the URL is built."""

    key: str


PROJECT = Ref("project_a")


@dataclass(frozen=True)
class Case:
    name: str
    row: Row
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    method: str = "GET"
    query: str = ""  # formatted with the world's ids, e.g. "personne={mona}"
    htmx: bool = False
    body: Mapping[str, Any] | None = None  # the API's JSON body
    variant: str = ""
    # The URL itself holds a secret that grants access (a personal feed): whoever has it reads
    # the owner's data, so the "no leak" tests do not count it against them.
    secret_url: bool = False
    session: bool = False  # an API call through the browser session (the docs page) instead of a token

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")

    @property
    def test_id(self) -> str:
        variant = ", ".join(part for part in (self.variant, "session" if self.session else "") if part)
        return f"{self.method} {self.name}" + (f" [{variant}]" if variant else "")

    def url(self, ids: Mapping[str, Any]) -> str:
        kwargs = {key: resolve(value, ids) for key, value in self.kwargs.items()}
        url = reverse(self.name, kwargs=kwargs)
        return f"{url}?{self.query.format(**ids)}" if self.query else url

    def json_body(self, ids: Mapping[str, Any]) -> str:
        return json.dumps({key: resolve(value, ids) for key, value in (self.body or {}).items()})


def resolve(value: Any, ids: Mapping[str, Any]) -> Any:
    return ids[value.key] if isinstance(value, Ref) else value


def get(name: str, row: Row, variant: str = "", *, query: str = "", htmx: bool = False, **kwargs: Any) -> Case:
    return Case(name, row, kwargs, "GET", query, htmx, variant=variant or ("HTMX" if htmx else ""))


def post(name: str, row: Row, variant: str = "", **kwargs: Any) -> Case:
    return Case(name, row, kwargs, "POST", variant=variant)


def api(method: str, name: str, row: Row, body: Mapping[str, Any] | None = None, *, query: str = "", **kwargs: Any) -> Case:
    return Case(f"api:{name}", row, kwargs, method, query, body=body)


CASES: list[Case] = [
    # --- accounts, languages, admin
    get("login", (200, 302, 302, 302, 302, 302, 302, 302, 302)),
    post("logout", (302,) * 9),
    post("set_language", (302,) * 9),
    # Django's admin sends a logged-in non-staff user to its own login page.
    get("admin:index", (302, 200, 302, 302, 302, 302, 302, 302, 302)),
    # --- portfolio and project pages
    get("portfolio", LOGGED_IN),
    get("project_create", org_leads(200)),
    get("project_detail", READ, pk=PROJECT),
    get("project_edit", edit(200), pk=PROJECT),
    post("plan_check_start", edit(303), project_pk=PROJECT),
    get("job_progress", READ, pk=Ref("plan_check_job")),
    get("job_progress", READ, htmx=True, pk=Ref("plan_check_job")),
    # --- cahier des charges (v1 submitted to the client, v2 a draft)
    get("spec_detail", READ, pk=PROJECT),
    get("spec_version", READ, pk=PROJECT, number=1),
    get("spec_version", DRAFT_SPEC, "draft", pk=PROJECT, number=2),
    post("spec_sections_save", edit(303), pk=PROJECT, number=2),
    post("requirement_create", edit(200), pk=PROJECT, number=2),
    post("spec_version_submit", edit(303), pk=PROJECT, number=2),
    # The client decides on their own project's version; the PM may on their behalf.
    post("spec_version_decide", (302, 200, 200, 404, 403, 404, 200, 404, 404), pk=PROJECT, number=1),
    # A draft is not there for the client to decide on: it does not exist for them.
    post("spec_version_decide", (302, 200, 200, 404, 403, 404, 404, 404, 404), "draft", pk=PROJECT, number=2),
    post("spec_version_new", edit(303), pk=PROJECT),
    get("spec_diff", READ, pk=PROJECT),
    get("spec_diff", DRAFT_SPEC, "draft", query="de=1&a=2", pk=PROJECT),
    *[get("spec_export", READ, fmt, pk=PROJECT, number=1, fmt=fmt) for fmt in ("docx", "pdf", "md")],
    *[get("spec_export", DRAFT_SPEC, f"draft {fmt}", pk=PROJECT, number=2, fmt=fmt) for fmt in ("docx", "pdf", "md")],
    get("requirement_edit", edit(200), pk=PROJECT, req_pk=Ref("requirement")),
    get("requirement_edit", edit(200), htmx=True, pk=PROJECT, req_pk=Ref("requirement")),
    post("requirement_delete", edit(303), pk=PROJECT, req_pk=Ref("requirement")),
    # --- breakdown editor and traceability
    get("breakdown", READ, pk=PROJECT),
    post("breakdown_generate", edit(303), pk=PROJECT),
    post("breakdown_phase_create", edit(200), pk=PROJECT),
    post("breakdown_task_create", edit(200), pk=PROJECT),
    get("breakdown_phase", edit(200), pk=PROJECT, phase_pk=Ref("phase")),
    get("breakdown_phase", edit(200), htmx=True, pk=PROJECT, phase_pk=Ref("phase")),
    post("breakdown_phase_action", edit(303), pk=PROJECT, phase_pk=Ref("phase"), action="down"),
    get("breakdown_task", edit(200), pk=PROJECT, task_pk=Ref("task")),
    get("breakdown_task", edit(200), htmx=True, pk=PROJECT, task_pk=Ref("task")),
    post("breakdown_task_action", edit(303), pk=PROJECT, task_pk=Ref("task"), action="down"),
    post("breakdown_task_skill_create", edit(200), pk=PROJECT, task_pk=Ref("task")),
    post("breakdown_dependency_create", edit(200), pk=PROJECT, task_pk=Ref("task")),
    post("breakdown_deliverable_create", edit(200), pk=PROJECT, task_pk=Ref("task")),
    post("breakdown_task_link_delete", edit(303), pk=PROJECT, task_pk=Ref("task"), kind="competence",
         item_pk=Ref("task_skill")),
    get("traceability", READ, pk=PROJECT),
    # --- team, skills, absences (organisation-wide: no project)
    get("team", ORG_STAFF),
    post("person_create", org_leads(200)),
    get("person_detail", DURAND_STAFF, pk=Ref("mona")),
    post("person_edit", durand_leads(200), pk=Ref("mona")),
    post("person_skill_save", durand_leads(200), pk=Ref("mona")),
    post("person_skill_remove", durand_leads(303), pk=Ref("mona"), skill_pk=Ref("skill")),
    post("absence_create", durand_leads(200), pk=Ref("mona")),
    get("absence_edit", durand_leads(200), pk=Ref("absence")),
    post("absence_delete", durand_leads(303), pk=Ref("absence")),
    get("skills_matrix", ORG_STAFF),
    post("skill_create", org_leads(200)),
    get("matrix_cell", durand_leads(200), person_pk=Ref("mona"), skill_pk=Ref("skill")),
    # Clients are turned away before the task is looked up: no task id is probed through here.
    get("task_candidates", (302, 200, 200, 404, 200, 404, 403, 403, 404), task_pk=Ref("task")),
    # --- planning
    get("planning", STAFF, pk=PROJECT),
    post("planning_plan", edit(303), pk=PROJECT),
    post("planning_optimize", edit(303), pk=PROJECT),
    get("planning_optimize_status", STAFF, pk=PROJECT),
    post("planning_baseline", edit(303), pk=PROJECT),
    get("planning_task_pin", edit(200), pk=PROJECT, task_pk=Ref("task")),
    get("gantt", READ, pk=PROJECT),
    get("gantt", READ, htmx=True, pk=PROJECT),
    *[get("gantt_export", READ, fmt, pk=PROJECT, fmt=fmt) for fmt in ("pdf", "png")],
    get("milestones", READ, pk=PROJECT),
    get("milestones", READ, htmx=True, pk=PROJECT),
    get("workload", ORG_STAFF),
    # --- file exchange (never a client: the files carry efforts and assignments)
    get("project_files", STAFF, pk=PROJECT),
    *[get("project_export", STAFF, fmt, pk=PROJECT, fmt=fmt) for fmt in ("mspdi", "csv", "xlsx", "json")],
    # --- meetings and calendars
    get("meeting_list", LOGGED_IN),
    get("project_meetings", READ, pk=PROJECT),
    get("meeting_plan", org_leads(200)),
    post("meeting_book", org_leads(400)),
    get("meeting_detail", INTERNAL_MEETING, "internal", pk=Ref("meeting_internal")),
    get("meeting_detail", SHARED_MEETING, "client-visible", pk=Ref("meeting_shared")),
    get("meeting_ics", INTERNAL_MEETING, "internal", pk=Ref("meeting_internal")),
    get("meeting_ics", SHARED_MEETING, "client-visible", pk=Ref("meeting_shared")),
    # Blank minutes are valid minutes: the empty POST is accepted.
    post("meeting_minutes", internal_meeting_edit(303), "internal", pk=Ref("meeting_internal")),
    post("meeting_minutes", edit(303), "client-visible", pk=Ref("meeting_shared")),
    post("decision_create", internal_meeting_edit(400), pk=Ref("meeting_internal")),
    post("action_create", internal_meeting_edit(400), pk=Ref("meeting_internal")),
    post("action_done", internal_meeting_edit(303), pk=Ref("action_item")),
    post("action_to_task", internal_meeting_edit(303), pk=Ref("action_item")),
    post("meeting_cancel", internal_meeting_edit(303), pk=Ref("meeting_internal")),
    get("my_calendar", LOGGED_IN),
    # Only logins with a collaborator record have a feed: Mona (member) and Marc (member_off).
    post("my_calendar_token", (302, 404, 404, 404, 303, 303, 404, 404, 404)),
    post("my_calendar_days_off", (302, 404, 404, 404, 303, 303, 404, 404, 404)),
    # The feed needs no login (calendar apps cannot log in): the secret token is the key.
    Case("person_feed", PUBLIC, {"token": Ref("feed_token")}, variant="Mona's token", secret_url=True),
    get("person_feed", (404,) * 9, "revoked token", token=Ref("revoked_feed_token")),
    get("project_calendar", READ, pk=PROJECT),
    # --- client portal
    get("portal_home", (302, 403, 403, 403, 403, 403, 200, 200, 403)),
    get("portal_project", portal(200), pk=PROJECT),
    get("portal_spec_version", portal(200), pk=PROJECT, number=1),
    post("portal_spec_decide", portal(400), pk=PROJECT, number=1),
    post("portal_deliverable_decide", portal(400), pk=PROJECT, deliverable_pk=Ref("deliverable")),
    post("portal_feedback", portal(400), pk=PROJECT),
    get("portal_change_request_new", portal(200), pk=PROJECT),
    get("portal_change_request", portal(200), pk=PROJECT, change_pk=Ref("change_request")),
    # --- change requests, client exchanges, history (the agency's side)
    get("change_request_inbox", STAFF, pk=PROJECT),
    get("change_request_export", STAFF, pk=PROJECT),
    get("change_request_detail", STAFF, pk=PROJECT, change_pk=Ref("change_request")),
    post("change_request_accept", edit(400), pk=PROJECT, change_pk=Ref("change_request")),
    post("change_request_reject", edit(400), pk=PROJECT, change_pk=Ref("change_request")),
    get("change_request_task_row", edit(200), htmx=True, pk=PROJECT, change_pk=Ref("change_request")),
    get("portal_client_exchanges", edit(200), pk=PROJECT),
    post("portal_deliverable_deliver", edit(303), pk=PROJECT, deliverable_pk=Ref("deliverable")),
    get("project_history", edit(200), pk=PROJECT),
    get("project_history", edit(200), htmx=True, pk=PROJECT),
    # --- tracking: timesheets
    get("timesheet_current", (302,) * 9),
    # Mona's week: her own, or opened by a lead of her organisation; member_off is not a lead.
    get("timesheet", (302, 200, 200, 200, 200, 404, 403, 403, 404), "Mona's week", query="personne={mona}",
        year=Ref("year"), week=Ref("week")),
    get("timesheet_locks", org_leads(200)),
    post("timesheet_unlock", durand_leads(303), pk=Ref("lock")),
    # --- tracking: project time, budget, re-planning, risks, quotes
    get("tracking_time", STAFF, pk=PROJECT),
    get("tracking_budget", STAFF, pk=PROJECT),
    get("tracking_replan", STAFF, pk=PROJECT),
    # The re-plan's progress, polled by HTMX (a queued job of the world), and the POST that queues one.
    get("tracking_replan", STAFF, htmx=True, pk=PROJECT),
    post("tracking_replan", edit(303), pk=PROJECT),
    get("tracking_risks", STAFF, pk=PROJECT),
    get("tracking_risk", edit(200), pk=PROJECT, risk_pk=Ref("risk")),
    get("tracking_quotes", edit(200), pk=PROJECT),
    get("tracking_quote", edit(200), pk=PROJECT, quote_pk=Ref("quote")),
    post("tracking_quote_lines", edit(400), pk=PROJECT, quote_pk=Ref("quote")),
    post("tracking_quote_status", edit(303), pk=PROJECT, quote_pk=Ref("quote")),
    get("tracking_quote_pdf", edit(200), pk=PROJECT, quote_pk=Ref("quote")),
    # --- tracking: status reports (a client reads only the published ones)
    get("tracking_reports", READ, pk=PROJECT),
    get("tracking_report", DRAFT_REPORT, "draft", pk=PROJECT, report_pk=Ref("report_draft")),
    get("tracking_report", READ, "published", pk=PROJECT, report_pk=Ref("report_published")),
    *[get("tracking_report_export", DRAFT_REPORT, f"draft {fmt}", pk=PROJECT,
          report_pk=Ref("report_draft"), fmt=fmt) for fmt in ("pdf", "xlsx")],
    *[get("tracking_report_export", READ, f"published {fmt}", pk=PROJECT, report_pk=Ref("report_published"),
          fmt=fmt) for fmt in ("pdf", "xlsx")],
    # Writing needs edit rights on the project, checked before the report is looked up: client A
    # gets the project's 403 whatever the report id, so nothing is learnt about drafts.
    post("tracking_report_refresh", edit(303), pk=PROJECT, report_pk=Ref("report_draft")),
    post("tracking_report_publish", edit(303), pk=PROJECT, report_pk=Ref("report_draft")),
    # --- tracking: portfolio report (a job is seen by whoever asked for it: pm)
    get("tracking_portfolio", org_leads(200)),
    get("tracking_portfolio_job", (302, 404, 200, 404, 403, 403, 403, 403, 404), job_pk=Ref("portfolio_job")),
    get("tracking_portfolio_job", (302, 404, 200, 404, 403, 403, 403, 403, 404), htmx=True, job_pk=Ref("portfolio_job")),
    get("tracking_portfolio_xlsx", (302, 404, 200, 404, 403, 403, 403, 403, 404), job_pk=Ref("portfolio_job")),
    # --- API tokens page, then the REST API with bearer tokens
    get("api_tokens", LOGGED_IN),
    post("api_token_revoke", (302, 404, 303, 404, 404, 404, 404, 404, 404), pk=Ref("pm_token")),
    # ninja's root page only redirects to the docs in DEBUG; otherwise nothing is there.
    api("GET", "api-root", (404,) * 9),
    api("GET", "openapi-json", PUBLIC),
    api("GET", "openapi-view", PUBLIC),
    api("GET", "me", API_LOGGED_IN),
    api("GET", "project_list", API_LOGGED_IN),
    api("POST", "project_create_view", (401, 201, 201, 201, 403, 403, 403, 403, 201),
        {"name": "Projet par l'API", "start_date": "2030-01-07", "with_template": False}),
    api("GET", "project_detail", API_READ, project_id=PROJECT),
    # The same rules through the browser session (the test client skips the CSRF check).
    Case("api:project_detail", API_READ, {"project_id": PROJECT}, session=True),
    api("PATCH", "project_update_view", api_write(200), {"version": Ref("project_version")}, project_id=PROJECT),
    api("GET", "phase_list", API_READ, project_id=PROJECT),
    api("POST", "phase_create", api_write(201), {"name": "Recette"}, project_id=PROJECT),
    api("GET", "phase_detail", API_READ, phase_id=Ref("phase")),
    api("PATCH", "phase_update", api_write(200), {"name": "Design et maquettes"}, phase_id=Ref("phase")),
    api("DELETE", "phase_delete", api_write(204), phase_id=Ref("phase")),
    api("GET", "task_list", API_READ, project_id=PROJECT),
    api("POST", "task_create_view", api_write(201), {"name": "Mise en ligne"}, project_id=PROJECT),
    api("GET", "task_detail", API_READ, task_id=Ref("task")),
    api("PATCH", "task_update_view", api_write(200), {"version": Ref("task_version")}, task_id=Ref("task")),
    Case("api:task_update_view", api_write(200), {"task_id": Ref("task")}, "PATCH", body={"version": Ref("task_version")},
         session=True),
    api("DELETE", "task_delete", api_write(204), task_id=Ref("task")),
    api("GET", "dependency_list", API_READ, project_id=PROJECT),
    # Whoever cannot see project A's tasks is told the ids are unknown (422), not that they exist.
    api("POST", "dependency_create", (401, 201, 201, 422, 403, 422, 403, 422, 422),
        {"predecessor_id": Ref("task"), "successor_id": Ref("build_task")}),
    api("GET", "dependency_detail", API_READ, dependency_id=Ref("dependency")),
    api("DELETE", "dependency_delete", api_write(204), dependency_id=Ref("dependency")),
    api("GET", "deliverable_list", API_READ, project_id=PROJECT),
    api("POST", "deliverable_create", api_write(201), {"name": "Charte graphique"}, project_id=PROJECT),
    api("GET", "deliverable_detail", API_READ, deliverable_id=Ref("deliverable")),
    api("PATCH", "deliverable_update", api_write(200), {"due_date": "2030-02-01"}, deliverable_id=Ref("deliverable")),
    # Already delivered in this world: handing it over again is refused, with the reason.
    api("POST", "deliverable_deliver", api_write(422), deliverable_id=Ref("deliverable")),
    api("DELETE", "deliverable_delete", api_write(204), deliverable_id=Ref("deliverable")),
    api("POST", "plan", api_write(200), project_id=PROJECT),
    api("GET", "assignment_list", API_READ, task_id=Ref("task")),
    api("PUT", "assignment_pin", api_write(200), task_id=Ref("task"), person_id=Ref("mona")),
    api("DELETE", "assignment_unpin", api_write(200), task_id=Ref("task"), person_id=Ref("mona")),
    api("GET", "job_detail", API_READ, job_id=Ref("plan_check_job")),
    api("GET", "spec_version_list", API_READ, project_id=PROJECT),
    api("GET", "spec_version_detail", API_READ, project_id=PROJECT, number=1),
    api("GET", "requirement_list", API_READ, project_id=PROJECT, number=1),
    *[Case(f"api:{name}", API_DRAFT_SPEC, {"project_id": PROJECT, "number": 2}, variant="draft")
      for name in ("spec_version_detail", "requirement_list")],
    api("GET", "person_list", API_TEAM),
    api("GET", "person_detail", (401, 200, 200, 200, 200, 200, 403, 403, 404), person_id=Ref("mona")),
    api("GET", "absence_list", (401, 200, 200, 200, 200, 200, 403, 403, 404), person_id=Ref("mona")),
    api("POST", "absence_create", (401, 201, 201, 201, 403, 403, 403, 403, 404),
        {"start": "2030-03-04", "end": "2030-03-08", "kind": "training"}, person_id=Ref("mona")),
    api("GET", "absence_detail", (401, 200, 200, 200, 200, 200, 403, 403, 404), absence_id=Ref("absence")),
    api("PATCH", "absence_update", (401, 200, 200, 200, 403, 403, 403, 403, 404), {"note": "Formation"},
        absence_id=Ref("absence")),
    api("DELETE", "absence_delete", (401, 204, 204, 204, 403, 403, 403, 403, 404), absence_id=Ref("absence")),
    api("GET", "skill_list", API_TEAM),
    api("GET", "client_list", API_LOGGED_IN),
    api("GET", "client_detail", (401, 200, 200, 200, 200, 200, 200, 404, 404), client_id=Ref("client_a")),
]


# ------------------------------------------------------------------------------------ the world


@dataclass
class UrlWorld:
    ids: dict[str, Any]
    session_keys: dict[str, str | None]  # role -> session cookie (None: anonymous)
    api_keys: dict[str, str | None]  # role -> API token (None: anonymous)
    names: dict[str, tuple[str, ...]]  # role -> names that must never appear in their pages
    a_keys: frozenset[str]  # the ids of project A's records: a case using one is about project A
    seen: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)  # (case, role) -> answer


@pytest.fixture(scope="module")
def url_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[UrlWorld]:
    """The conftest cast plus one record of every kind on project A, built once for the module
    inside a transaction rolled back at its end."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast), transaction.atomic():
        yield _build_url_world()
        transaction.set_rollback(True)


def _build_url_world() -> UrlWorld:
    from jalon.accounts.models import User
    from tests.factories import make_member, make_person, make_user

    world = build_world()
    # As the every_role_world fixture does: the PM of project B, a member staffed on B only.
    world.users["other_pm"] = User.objects.get(username="other_pm")
    member_off = make_user(User.Role.MEMBER, world.project_a.organisation, username="member_off")
    marc = make_person(world.project_a.organisation, "Marc", user=member_off)
    make_member(world.project_b, marc)
    world.users["member_off"] = member_off
    a_records = _project_a_records(world)
    _project_b_records(world, a_records["task"])
    ids = a_records | _personal_records(world, marc)
    return UrlWorld(
        ids=ids,
        session_keys={role: _session_key(world.user(role)) for role in EVERY_ROLE_ORDER},
        api_keys=_api_keys(world, ids),
        names=_forbidden_names(),
        a_keys=frozenset(a_records),
    )


def _project_a_records(world: Any) -> dict[str, Any]:
    """Spec, breakdown links, meetings, change request, feedback, reports, quote, time, risk,
    jobs — each on project A, each named with A_MARK."""
    from jalon.jobs.services import job_enqueue_plan_check
    from jalon.meetings.models import ActionItem, Decision, Meeting, Participant
    from jalon.portal import services as portal
    from jalon.projects.models import Deliverable, Dependency
    from jalon.specs import services as specs
    from jalon.specs.models import Requirement
    from jalon.tracking import services as tracking
    from jalon.tracking.models import Risk, TimeEntry
    from tests.integration.tracking_world import day, staff_project_a

    pm = world.user("pm")
    staffed = staff_project_a(world)  # planned, with a baseline, skills and two dependencies
    project = staffed.project
    spec = specs.spec_for_project(project=project, by=pm)
    first = spec.versions.get()
    specs.requirement_save(requirement=Requirement(version=first, code="EX-01", title=f"Exigence {A_MARK}"))
    specs.spec_version_submit(version=first)
    draft = specs.spec_version_new(spec=spec, by=pm)
    draft.sections = [{"key": "contexte", "title": "Contexte", "body": f"Piste à l'étude {DRAFT_MARK}"}]
    draft.save(update_fields=["sections"])
    deliverable = Deliverable.objects.create(project=project, name=f"Livrable {A_MARK}", status="delivered",
                                             task=staffed.mockups)
    change = portal.change_request_file(project=project, by=world.user("client_a"), title=f"Demande {A_MARK}",
                                        description="Une page de questions fréquentes")
    portal.feedback_send(project=project, by=world.user("client_a"), message=f"Retour {A_MARK}")
    TimeEntry.objects.create(person=staffed.mona, task=staffed.mockups, date=day(1), days=Decimal("1"))
    risk = Risk.objects.create(project=project, title=f"Risque {A_MARK}", owner=staffed.mona)
    quote = tracking.quote_create(project=project, by=pm, today=day(2))
    quote.notes = f"Devis {A_MARK}"
    quote.save(update_fields=["notes"])
    published = tracking.status_report_create(project=project, by=pm, today=day(2))
    published.achievements = f"Réalisé {A_MARK}"
    published.save(update_fields=["achievements"])
    tracking.status_report_publish(report=published, by=pm)
    report_draft = tracking.status_report_create(project=project, by=pm, today=day(7))
    meetings = {}
    for key, topic, visible, hour in (("internal", "Atelier", False, 10), ("shared", "COPIL", True, 14)):
        start = dt.datetime.combine(day(20), dt.time(hour), tzinfo=dt.timezone.utc)
        meetings[key] = Meeting.objects.create(
            organisation=project.organisation, project=project, organiser=pm, topic=f"{topic} {A_MARK}",
            kind="workshop", start=start, end=start + dt.timedelta(hours=1), client_visible=visible)
        Participant.objects.create(meeting=meetings[key], person=staffed.mona)
    Decision.objects.create(meeting=meetings["internal"], text=f"Décision {A_MARK}")
    action = ActionItem.objects.create(meeting=meetings["internal"], text=f"Action {A_MARK}", owner=staffed.mona)
    staffed.mockups.refresh_from_db()
    project.refresh_from_db()
    return {
        "project_a": project.pk, "client_a": project.client_id, "client_b": world.project_b.client_id, "project_version": project.version,
        "phase": staffed.mockups.phase_id, "task": staffed.mockups.pk, "task_version": staffed.mockups.version,
        "build_task": staffed.build.pk, "task_skill": staffed.mockups.skills.get().pk,
        "dependency": Dependency.objects.get(predecessor=staffed.mockups).pk,
        "requirement": draft.requirements.get().pk, "deliverable": deliverable.pk, "change_request": change.pk,
        "risk": risk.pk, "quote": quote.pk, "report_published": published.pk, "report_draft": report_draft.pk,
        "meeting_internal": meetings["internal"].pk, "meeting_shared": meetings["shared"].pk, "action_item": action.pk,
        "plan_check_job": job_enqueue_plan_check(project=project, requested_by=pm).pk,
        "mona": staffed.mona.pk, "skill": staffed.mockups.skills.get().skill_id,
    }


def _project_b_records(world: Any, task_a: int) -> None:
    """Project B's own records, marked B_MARK: what project A's people and client must not meet.
    B's first task waits for one of A's (an admin may link across projects)."""
    from jalon.meetings.models import Meeting
    from jalon.portal import services as portal
    from jalon.projects.models import Deliverable
    from jalon.tracking.models import Risk
    from jalon.projects.models import Task
    from tests.factories import make_dependency, make_task
    from tests.integration.tracking_world import day

    project = world.project_b
    b_task = make_task(project, f"Fiches produits {B_MARK}", effort_days=4)
    make_dependency(Task.objects.get(pk=task_a), b_task)
    Deliverable.objects.create(project=project, name=f"Catalogue {B_MARK}", status="delivered")
    portal.change_request_file(project=project, by=world.user("client_b"), title=f"Demande {B_MARK}",
                               description="Paiement en trois fois")
    Risk.objects.create(project=project, title=f"Risque {B_MARK}")
    start = dt.datetime.combine(day(20), dt.time(9), tzinfo=dt.timezone.utc)
    Meeting.objects.create(organisation=project.organisation, project=project, organiser=world.user("other_pm"),
                           topic=f"COPIL {B_MARK}", kind="steering", start=start, end=start + dt.timedelta(hours=1),
                           client_visible=True)


def _personal_records(world: Any, marc: Any) -> dict[str, Any]:
    """Records that belong to a person or a login rather than to project A."""
    from jalon.meetings import services as meetings
    from jalon.people.models import Person
    from jalon.tracking import services as tracking
    from tests.factories import make_absence
    from tests.integration.tracking_world import day

    mona = Person.objects.get(user=world.user("member"))
    absence = make_absence(mona, day(30), day(31))
    revoked = meetings.person_feed_token_regenerate(person=marc)
    meetings.person_feed_token_revoke(person=marc)
    year, week, _weekday = day(0).isocalendar()
    lock = tracking.timesheet_lock(organisation=mona.organisation, year=year, week=week, by=world.user("pm"),
                                   today=day(10))
    portfolio_job = tracking.portfolio_report_enqueue(user=world.user("pm"))
    tracking.portfolio_report_run(job_id=portfolio_job.pk, today=day(5))
    tracking.replan_enqueue(project=world.project_a, by=world.user("pm"), today=day(5))
    return {
        "absence": absence.pk, "feed_token": meetings.person_feed_token_regenerate(person=mona),
        "revoked_feed_token": revoked, "year": year, "week": week, "lock": lock.pk, "portfolio_job": portfolio_job.pk,
    }


def _session_key(user: Any) -> str | None:
    if user is None:
        return None
    http = Client()
    http.force_login(user)
    return http.cookies[settings.SESSION_COOKIE_NAME].value


def _api_keys(world: Any, ids: dict[str, Any]) -> dict[str, str | None]:
    """A token per role; pm's token id goes to the table (its revocation page)."""
    from jalon.api.services import token_create

    keys: dict[str, str | None] = {"anonymous": None}
    for role in EVERY_ROLE_ORDER[1:]:
        token, keys[role] = token_create(user=world.user(role), name="matrice d'accès")
        if role == "pm":
            ids["pm_token"] = token.pk
    return keys


def _forbidden_names() -> dict[str, tuple[str, ...]]:
    """What each outside role must never read: the other client's project and name, and the
    records of project A (marked A_MARK); for the outsider, the whole other organisation."""
    project_a = ("Refonte boulangerie", "Boulangerie Martin", A_MARK)
    project_b = ("Boutique cave", "Cave Dupont", B_MARK)
    return {
        "client_a": (*project_b, "Projet rival", "Agence Rivale"),
        "client_b": (*project_a, "Projet rival", "Agence Rivale"),
        "outsider": (*project_a, *project_b, "Agence Durand"),
    }


# ------------------------------------------------------------------------------------ requests


_http = Client(raise_request_exception=False)
# Routes that send everyone, logged in or not, back where they came from.
OPEN_REDIRECTS = {"logout", "set_language"}


def answer(world: UrlWorld, case: Case, role: str) -> tuple[int, str]:
    """One role's status code and body (or, for a redirect, its target), fetched once per
    module: the row test and the "no leak" tests read the same answers."""
    key = (case.test_id, role)
    if key not in world.seen:
        response = _request(world, case, role)
        body = response["Location"] if response.status_code in (301, 302, 303) else _text(response)
        world.seen[key] = (response.status_code, body)
    return world.seen[key]


def _request(world: UrlWorld, case: Case, role: str) -> HttpResponse:
    """Inside a savepoint rolled back at once: an accepted action leaves no trace for the next role."""
    url = case.url(world.ids)
    headers: dict[str, str] = {"HX-Request": "true"} if case.htmx else {}
    _http.cookies.clear()
    if case.is_api and not case.session:
        if world.api_keys[role]:
            headers["Authorization"] = f"Bearer {world.api_keys[role]}"
    elif world.session_keys[role]:
        _http.cookies[settings.SESSION_COOKIE_NAME] = world.session_keys[role]
    with transaction.atomic():
        if case.is_api:
            response = _http.generic(case.method, url, case.json_body(world.ids) if case.body else "",
                                     content_type="application/json", headers=headers)
        elif case.method == "POST":
            response = _http.post(url, {}, headers=headers)
        else:
            response = _http.get(url, headers=headers)
        transaction.set_rollback(True)
    return response


def _text(response: HttpResponse) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="ignore")  # type: ignore[attr-defined]
    return response.content.decode(errors="ignore")


def _is_login_page(location: str) -> bool:
    return location.startswith((reverse(settings.LOGIN_URL), reverse("admin:login")))


def _leaks(world: UrlWorld, cases: list[Case], role: str, names: tuple[str, ...]) -> list[str]:
    found = []
    for case in cases:
        _status, body = answer(world, case, role)
        found += [f"{case.test_id}: {name}" for name in names if name in body]
    return found


def _about_project_a(world: UrlWorld, case: Case) -> bool:
    refs = [*case.kwargs.values(), *(case.body or {}).values()]
    return any(isinstance(ref, Ref) and ref.key in world.a_keys for ref in refs)


# ------------------------------------------------------------------------------------ tests


def _route_names(patterns: list[Any], namespace: str = "", prefix: str = "") -> Iterator[str]:
    """Every named route under `patterns`; an unnamed one is reported by its path, so that it
    fails the guard too. The admin's internals are Django's: only its index is ours to check."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            if inner == "admin":
                yield "admin:index"
                continue
            yield from _route_names(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            if route.lstrip("^").startswith(("static/", "media/")):
                continue
            yield f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name or f"<unnamed {route}>"


def test_every_url_name_has_its_row() -> None:
    routes = set(_route_names(get_resolver().url_patterns))
    covered = {case.name for case in CASES}
    assert sorted(routes - covered) == [], "URLs without an access row: add them to CASES"
    assert sorted(covered - routes) == [], "rows for URLs that no longer exist"


def test_every_case_is_listed_once() -> None:
    ids = [case.test_id for case in CASES]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


@pytest.mark.parametrize("case", CASES, ids=[case.test_id for case in CASES])
def test_every_role_gets_its_row(url_world: UrlWorld, case: Case) -> None:
    answers = {role: answer(url_world, case, role) for role in EVERY_ROLE_ORDER}
    assert {role: status for role, (status, _body) in answers.items()} == dict(zip(EVERY_ROLE_ORDER, case.row))
    status, location = answers["anonymous"]
    if status == 302 and case.name not in OPEN_REDIRECTS:
        assert _is_login_page(location), f"an anonymous visitor is sent to {location}, not to log in"


@pytest.mark.parametrize("role", ["client_a", "client_b", "outsider"])
def test_no_url_shows_another_clients_data(url_world: UrlWorld, role: str) -> None:
    """Every URL of the table, with project A's ids, fetched by a client or by another
    organisation: no body names the other client's project, the other client, or holds one of
    its records (for client B, project A's; for client A, project B's)."""
    cases = [case for case in CASES if not case.secret_url]
    assert _leaks(url_world, cases, role, url_world.names[role]) == []


@pytest.mark.parametrize(("role", "names"), [
    ("pm", ("Boutique cave", B_MARK)),
    ("member", ("Boutique cave", B_MARK)),
    ("other_pm", ("Refonte boulangerie", A_MARK)),
    ("member_off", ("Refonte boulangerie", A_MARK)),
])
def test_project_pages_show_nothing_of_a_project_the_user_does_not_see(url_world: UrlWorld, role: str,
                                                                       names: tuple[str, ...]) -> None:
    """Within the agency: project A's pages, fragments and exports hold nothing of project B for
    A's people, and nothing of A for B's people (organisation-wide pages, such as the workload or
    the team, span every project by design and are left out)."""
    cases = [case for case in CASES if _about_project_a(url_world, case) and not case.secret_url]
    assert _leaks(url_world, cases, role, names) == []


def test_no_url_shows_a_draft_spec_to_the_client(url_world: UrlWorld) -> None:
    """A draft version of the cahier des charges is the agency's: no page, fragment, export or
    API answer shows its content to the client, while the project's own people read it."""
    assert _leaks(url_world, CASES, "client_a", (DRAFT_MARK,)) == []
    assert {"GET spec_version [draft]", "GET spec_export [draft md]", "GET api:spec_version_detail [draft]"} <= {
        case.test_id for case in CASES if DRAFT_MARK in answer(url_world, case, "member")[1]}


SEARCHES = [
    get("portfolio", LOGGED_IN),
    get("meeting_list", LOGGED_IN),
    get("portal_home", LOGGED_IN),
    get("workload", LOGGED_IN),
    get("my_calendar", LOGGED_IN),
    api("GET", "project_list", API_LOGGED_IN),
    api("GET", "project_list", API_LOGGED_IN, query="q=Refonte"),
    api("GET", "project_list", API_LOGGED_IN, query="q=BOUL"),
    api("GET", "project_list", API_LOGGED_IN, query="client={client_a}"),
    api("GET", "client_list", API_LOGGED_IN),
    api("GET", "person_list", API_LOGGED_IN, query="q=Mona"),
    api("GET", "skill_list", API_LOGGED_IN),
]


@pytest.mark.parametrize("case", SEARCHES, ids=[f"{case.name}?{case.query}" for case in SEARCHES])
def test_lists_and_searches_of_client_b_hold_nothing_of_client_a(url_world: UrlWorld, case: Case) -> None:
    status, body = answer(url_world, case, "client_b")
    assert status in (200, 403)
    assert [name for name in url_world.names["client_b"] if name in body] == []
    if case.is_api and status == 200:
        # A search for A's name or client is an empty page for B, not an error.
        items = json.loads(body)["items"]
        assert {item.get("client_id", item.get("id")) for item in items} <= {url_world.ids["client_b"]}


def test_the_marks_are_printed_for_whoever_may_see_them(url_world: UrlWorld) -> None:
    """The leak tests look for A_MARK and B_MARK: both really are printed on the pages of those
    who may read them, so their absence anywhere else means something."""
    def marked(role: str, mark: str) -> set[str]:
        return {case.test_id for case in CASES if mark in answer(url_world, case, role)[1]}

    assert {"GET tracking_risks", "GET change_request_inbox", "GET meeting_detail [internal]",
            "GET portal_client_exchanges", "GET api:requirement_list"} <= marked("pm", A_MARK)
    assert {"GET portal_project", "GET tracking_report [published]", "GET meeting_detail [client-visible]",
            "GET portal_change_request"} <= marked("client_a", A_MARK)
    assert {"GET meeting_list"} <= marked("admin", B_MARK)
