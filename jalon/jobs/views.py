from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from jalon.jobs.models import JobProgress
from jalon.jobs.services import job_enqueue_plan_check
from jalon.projects.selectors import projects_visible_to
from jalon.projects.permissions import get_project_for_user


@require_POST
@login_required
def plan_check_start(request: HttpRequest, project_pk: int) -> HttpResponse:
    project = get_project_for_user(request, project_pk, write=True)
    job = job_enqueue_plan_check(project=project, requested_by=request.user)
    # 303 See Other: the browser follows with a GET, and tests tell it from a login redirect.
    return HttpResponseRedirect(reverse("job_progress", args=[job.pk]), status=303)


@require_GET
@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's state; HTMX polls the fragment every second until the job finishes."""
    job = get_object_or_404(JobProgress.objects.select_related("project"), pk=pk)
    if job.project_id is not None:
        # Same rule as the project page: an invisible project's jobs do not exist.
        if not projects_visible_to(request.user).filter(pk=job.project_id).exists():
            raise Http404
    elif job.requested_by_id != request.user.pk:
        raise Http404
    template = "jobs/_progress.html" if request.headers.get("HX-Request") else "jobs/progress.html"
    return render(request, template, {"job": job, "project": job.project})
