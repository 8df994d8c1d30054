"""Who may exchange a project's plan as files.

export — the agency's people who see the project (admin, its manager or members, assigned
    members); never a client: the files carry efforts and assignments;
import — whoever may edit the project: the organisation's admins and the project's manager.
"""

from __future__ import annotations

from django.http import HttpRequest

from jalon.planning.permissions import get_project_for_planning
from jalon.projects.models import Project
from jalon.projects.permissions import AnyUser, can_edit_project


def can_import(user: AnyUser, project: Project) -> bool:
    return can_edit_project(user, project)


def get_project_for_exchange(request: HttpRequest, pk: int, *, write: bool = False) -> Project:
    """404 when the user may not see the project, 403 for clients or, with `write`, for
    anyone who may not edit it."""
    return get_project_for_planning(request, pk, write=write)
