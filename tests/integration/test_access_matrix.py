"""Every role against every view, one whole row of status codes per view (taiga style).

Columns, always in this order (tests/conftest.py, ROLE_ORDER):
  anonymous, admin, pm, member, client_a, client_b, outsider
302 = sent to the login page, 303 = the action was accepted, 404 = the project is not shown
to this user (its existence is not revealed), 403 = visible but read-only for this user.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from jalon.jobs.models import JobProgress
from jalon.jobs.services import job_enqueue_plan_check

pytestmark = pytest.mark.django_db


def test_portfolio(world, status_row):
    assert status_row(world, "GET", reverse("portfolio")) == [302, 200, 200, 200, 200, 200, 200]


def test_project_page_of_client_a(world, status_row):
    url = reverse("project_detail", args=[world.project_a.pk])
    assert status_row(world, "GET", url) == [302, 200, 200, 200, 200, 404, 404]


def test_project_page_of_a_project_pm_neither_manages_nor_joined(world, status_row):
    url = reverse("project_detail", args=[world.project_b.pk])
    assert status_row(world, "GET", url) == [302, 200, 404, 404, 404, 200, 404]


def test_project_page_of_another_organisation(world, status_row):
    url = reverse("project_detail", args=[world.outsider_project.pk])
    assert status_row(world, "GET", url) == [302, 404, 404, 404, 404, 404, 200]


def test_project_page_that_does_not_exist(world, status_row):
    url = reverse("project_detail", args=[987654])
    assert status_row(world, "GET", url) == [302, 404, 404, 404, 404, 404, 404]


def test_plan_check_enqueue(world, status_row):
    url = reverse("plan_check_start", args=[world.project_a.pk])
    assert status_row(world, "POST", url) == [302, 303, 303, 403, 403, 404, 404]
    # Only the two accepted requests queued a job.
    assert JobProgress.objects.filter(project=world.project_a).count() == 2


def test_plan_check_enqueue_refuses_get(world, status_row):
    url = reverse("plan_check_start", args=[world.project_a.pk])
    assert status_row(world, "GET", url) == [405, 405, 405, 405, 405, 405, 405]


def test_job_progress(world, status_row):
    job = job_enqueue_plan_check(project=world.project_a, requested_by=world.user("pm"))
    url = reverse("job_progress", args=[job.pk])
    assert status_row(world, "GET", url) == [302, 200, 200, 200, 200, 404, 404]


def test_admin_index(world, status_row):
    # Django's admin sends a logged-in non-staff user to its own login page.
    assert status_row(world, "GET", reverse("admin:index")) == [302, 200, 302, 302, 302, 302, 302]


def test_login_page(world, status_row):
    assert status_row(world, "GET", reverse("login")) == [200, 302, 302, 302, 302, 302, 302]


def test_set_language(world, status_row):
    row = status_row(world, "POST", reverse("set_language"), {"language": "en", "next": "/"})
    assert row == [302, 302, 302, 302, 302, 302, 302]


def test_logout(world, status_row):
    assert status_row(world, "POST", reverse("logout")) == [302, 302, 302, 302, 302, 302, 302]
