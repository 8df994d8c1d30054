from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jalon.jobs.models import JobProgress
from jalon.jobs.selectors import latest_job
from jalon.projects.permissions import can_create_project, can_edit_project, can_see_costs, get_project_for_user
from jalon.projects.selectors import portfolio_projects, project_page_data


@require_GET
@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    """Home page: the projects this user works on or follows."""
    return render(request, "projects/portfolio.html", {
        "projects": portfolio_projects(request.user),
        "can_create": can_create_project(request.user),
    })


@require_GET
@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request, pk)
    can_edit = can_edit_project(request.user, project)
    return render(request, "projects/project_detail.html", {
        "project": project,
        "can_edit": can_edit,
        "last_check": latest_job(project, JobProgress.Kind.PLAN_CHECK) if can_edit else None,
        # Clients get the reduced view: no rates, costs or budget.
        "show_costs": can_see_costs(request.user),
        **project_page_data(project),
    })
