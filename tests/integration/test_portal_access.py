"""Every role against every page, fragment, form, export of the client portal, the change
requests, the client exchanges and the history: one whole row of status codes per resource.

Columns, always in this order (tests/conftest.py, EVERY_ROLE_ORDER):
  anonymous, admin, pm, other_pm, member, member_off, client_a, client_b, outsider
pm manages project A (client A); other_pm manages project B (client B), where member_off is
staffed; member is staffed on A; outsider belongs to another organisation.
302 = sent to the login page, 303 = the action was accepted, 400 = the gate was passed but the
form is invalid, 403 = the project is visible but this door is not theirs, 404 = not shown.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from jalon.portal import services
from jalon.portal.models import ChangeRequest, Feedback
from jalon.projects.models import Deliverable
from jalon.specs import services as specs

pytestmark = pytest.mark.django_db

PORTAL_PAGE = [302, 403, 403, 404, 403, 404, 200, 404, 404]
PORTAL_ACTION = [302, 403, 403, 404, 403, 404, 303, 404, 404]
STAFF_PAGE = [302, 200, 200, 404, 200, 404, 403, 404, 404]
MANAGER_PAGE = [302, 200, 200, 404, 403, 404, 403, 404, 404]
INVALID_TRIAGE = [302, 400, 400, 404, 403, 404, 403, 404, 404]


@pytest.fixture
def data(every_role_world):  # type: ignore[no-untyped-def]
    """On project A: v1 submitted to the client, v2 a draft, a delivered deliverable and a
    change request; on project B: a deliverable and a change request of client B."""
    world = every_role_world
    spec = specs.spec_for_project(project=world.project_a, by=world.user("pm"))
    specs.spec_version_submit(version=spec.versions.get())
    specs.spec_version_new(spec=spec, by=world.user("pm"))
    world.deliverable_a = Deliverable.objects.create(project=world.project_a, name="Maquettes", status="delivered")
    world.deliverable_b = Deliverable.objects.create(project=world.project_b, name="Catalogue", status="delivered")
    world.change_a = services.change_request_file(project=world.project_a, by=world.user("client_a"),
                                                  title="Page FAQ", description="Questions fréquentes")
    world.change_b = services.change_request_file(project=world.project_b, by=world.user("client_b"),
                                                  title="Paiement en 3 fois", description="Avec une banque")
    return world


def pk(world, name):  # type: ignore[no-untyped-def]
    return getattr(world, name).pk


# --------------------------------------------------------------------------- the client portal


def test_portal_home(data, every_role_row):
    assert every_role_row(data, "GET", reverse("portal_home")) == [302, 403, 403, 403, 403, 403, 200, 200, 403]


def test_portal_project_page(data, every_role_row):
    assert every_role_row(data, "GET", reverse("portal_project", args=[data.project_a.pk])) == PORTAL_PAGE


def test_portal_project_page_of_client_b(data, every_role_row):
    url = reverse("portal_project", args=[data.project_b.pk])
    assert every_role_row(data, "GET", url) == [302, 403, 404, 403, 404, 403, 404, 200, 404]


def test_portal_project_page_of_another_organisation(data, every_role_row):
    url = reverse("portal_project", args=[data.outsider_project.pk])
    assert every_role_row(data, "GET", url) == [302, 404, 404, 404, 404, 404, 404, 404, 403]


def test_portal_submitted_spec_version(data, every_role_row):
    url = reverse("portal_spec_version", args=[data.project_a.pk, 1])
    assert every_role_row(data, "GET", url) == PORTAL_PAGE


def test_portal_draft_spec_version_is_not_shown(data, every_role_row):
    url = reverse("portal_spec_version", args=[data.project_a.pk, 2])
    assert every_role_row(data, "GET", url) == [302, 403, 403, 404, 403, 404, 404, 404, 404]


def test_portal_spec_decision(data, every_role_row):
    url = reverse("portal_spec_decide", args=[data.project_a.pk, 1])
    row = every_role_row(data, "POST", url, {"decision": "accepted", "comment": "Bon pour accord"})
    assert row == PORTAL_ACTION
    assert data.project_a.spec.versions.get(number=1).client_decisions.count() == 1


def test_portal_deliverable_decision(data, every_role_row):
    url = reverse("portal_deliverable_decide", args=[data.project_a.pk, data.deliverable_a.pk])
    prefix = f"livrable-{data.deliverable_a.pk}"
    row = every_role_row(data, "POST", url, {f"{prefix}-decision": "accepted", f"{prefix}-comment": ""})
    assert row == PORTAL_ACTION
    assert Deliverable.objects.get(pk=data.deliverable_a.pk).status == Deliverable.Status.ACCEPTED


def test_portal_deliverable_of_another_project_through_this_project(data, every_role_row):
    url = reverse("portal_deliverable_decide", args=[data.project_a.pk, data.deliverable_b.pk])
    prefix = f"livrable-{data.deliverable_b.pk}"
    row = every_role_row(data, "POST", url, {f"{prefix}-decision": "accepted"})
    assert row == [302, 403, 403, 404, 403, 404, 404, 404, 404]
    assert Deliverable.objects.get(pk=data.deliverable_b.pk).status == Deliverable.Status.DELIVERED


def test_portal_feedback(data, every_role_row):
    url = reverse("portal_feedback", args=[data.project_a.pk])
    assert every_role_row(data, "POST", url, {"message": "Les textes arrivent."}) == PORTAL_ACTION
    assert Feedback.objects.filter(project=data.project_a).count() == 1


def test_portal_change_request_form(data, every_role_row):
    url = reverse("portal_change_request_new", args=[data.project_a.pk])
    assert every_role_row(data, "GET", url) == PORTAL_PAGE


def test_portal_change_request_filing(data, every_role_row):
    url = reverse("portal_change_request_new", args=[data.project_a.pk])
    row = every_role_row(data, "POST", url, {"title": "Blog", "description": "Un blog de recettes"})
    assert row == PORTAL_ACTION
    assert ChangeRequest.objects.filter(project=data.project_a, title="Blog").count() == 1


def test_portal_change_request_page(data, every_role_row):
    url = reverse("portal_change_request", args=[data.project_a.pk, data.change_a.pk])
    assert every_role_row(data, "GET", url) == PORTAL_PAGE


def test_portal_change_request_of_another_project_through_this_project(data, every_role_row):
    url = reverse("portal_change_request", args=[data.project_a.pk, data.change_b.pk])
    assert every_role_row(data, "GET", url) == [302, 403, 403, 404, 403, 404, 404, 404, 404]


def test_portal_actions_refuse_get(data, every_role_row):
    for url in (
        reverse("portal_spec_decide", args=[data.project_a.pk, 1]),
        reverse("portal_deliverable_decide", args=[data.project_a.pk, data.deliverable_a.pk]),
        reverse("portal_feedback", args=[data.project_a.pk]),
    ):
        assert every_role_row(data, "GET", url) == [405] * 9, url


# --------------------------------------------------------------------------- the agency's side


def test_change_request_inbox(data, every_role_row):
    assert every_role_row(data, "GET", reverse("change_request_inbox", args=[data.project_a.pk])) == STAFF_PAGE


def test_change_request_inbox_of_project_b(data, every_role_row):
    url = reverse("change_request_inbox", args=[data.project_b.pk])
    assert every_role_row(data, "GET", url) == [302, 200, 404, 200, 404, 200, 404, 403, 404]


def test_change_request_export(data, every_role_row):
    assert every_role_row(data, "GET", reverse("change_request_export", args=[data.project_a.pk])) == STAFF_PAGE


def test_change_request_detail(data, every_role_row):
    url = reverse("change_request_detail", args=[data.project_a.pk, data.change_a.pk])
    assert every_role_row(data, "GET", url) == STAFF_PAGE


def test_change_request_of_another_project_through_this_project(data, every_role_row):
    url = reverse("change_request_detail", args=[data.project_a.pk, data.change_b.pk])
    assert every_role_row(data, "GET", url) == [302, 404, 404, 404, 404, 404, 403, 404, 404]


def test_change_request_accept_gate(data, every_role_row):
    url = reverse("change_request_accept", args=[data.project_a.pk, data.change_a.pk])
    empty = {"taches-TOTAL_FORMS": "1", "taches-INITIAL_FORMS": "0"}
    assert every_role_row(data, "POST", url, empty) == INVALID_TRIAGE
    assert ChangeRequest.objects.get(pk=data.change_a.pk).status == ChangeRequest.Status.NEW


def test_change_request_reject_gate(data, every_role_row):
    url = reverse("change_request_reject", args=[data.project_a.pk, data.change_a.pk])
    assert every_role_row(data, "POST", url, {"reason": ""}) == INVALID_TRIAGE


def test_change_request_reject(data, every_role_row):
    url = reverse("change_request_reject", args=[data.project_a.pk, data.change_a.pk])
    row = every_role_row(data, "POST", url, {"reason": "Hors périmètre"})
    # The admin refuses first; the PM then finds it already refused (the form says so).
    assert row == [302, 303, 400, 404, 403, 404, 403, 404, 404]
    assert ChangeRequest.objects.get(pk=data.change_a.pk).triaged_by == data.user("admin")


def test_change_request_triage_of_another_project_through_this_project(data, every_role_row):
    url = reverse("change_request_reject", args=[data.project_a.pk, data.change_b.pk])
    assert every_role_row(data, "POST", url, {"reason": "Non"}) == [302, 404, 404, 404, 403, 404, 403, 404, 404]
    assert ChangeRequest.objects.get(pk=data.change_b.pk).status == ChangeRequest.Status.NEW


def test_change_request_task_row_fragment(data, every_role_row):
    url = reverse("change_request_task_row", args=[data.project_a.pk, data.change_a.pk]) + "?rang=1"
    assert every_role_row(data, "GET", url, HX_Request="true") == INVALID_TRIAGE[:1] + [200, 200] + INVALID_TRIAGE[3:]


def test_client_exchanges(data, every_role_row):
    assert every_role_row(data, "GET", reverse("portal_client_exchanges", args=[data.project_a.pk])) == MANAGER_PAGE


def test_deliverable_deliver(data, every_role_row):
    planned = Deliverable.objects.create(project=data.project_a, name="Charte graphique")
    url = reverse("portal_deliverable_deliver", args=[data.project_a.pk, planned.pk])
    assert every_role_row(data, "POST", url) == [302, 303, 303, 404, 403, 404, 403, 404, 404]
    assert Deliverable.objects.get(pk=planned.pk).status == Deliverable.Status.DELIVERED


def test_deliverable_of_another_project_through_this_project(data, every_role_row):
    planned = Deliverable.objects.create(project=data.project_b, name="Fiches produits")
    url = reverse("portal_deliverable_deliver", args=[data.project_a.pk, planned.pk])
    assert every_role_row(data, "POST", url) == [302, 404, 404, 404, 403, 404, 403, 404, 404]


def test_project_history(data, every_role_row):
    assert every_role_row(data, "GET", reverse("project_history", args=[data.project_a.pk])) == MANAGER_PAGE


def test_project_history_fragment(data, every_role_row):
    url = reverse("project_history", args=[data.project_a.pk]) + "?type=spec"
    assert every_role_row(data, "GET", url, HX_Request="true") == MANAGER_PAGE


def test_project_history_of_project_b(data, every_role_row):
    url = reverse("project_history", args=[data.project_b.pk])
    assert every_role_row(data, "GET", url) == [302, 200, 404, 200, 404, 403, 404, 403, 404]
