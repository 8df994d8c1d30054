"""Who may write and decide on a cahier des charges.

Everyone who sees the project reads its spec (see jalon.projects.permissions). The project's
manager and the organisation's admins write it and submit versions. A submitted version is
decided (validated or rejected) by them on the client's behalf, or by a client user of the
project's client: until the client portal exists, that is the client's only way to sign off.
"""

from __future__ import annotations

from jalon.projects.models import Project
from jalon.projects.permissions import AnyUser, Role, can_edit_project, role_of


def can_edit_spec(user: AnyUser, project: Project) -> bool:
    return can_edit_project(user, project)


def can_decide_spec(user: AnyUser, project: Project) -> bool:
    """The PM or an admin for the client, or a client user of this project's client."""
    if can_edit_project(user, project):
        return True
    return (
        role_of(user) == Role.CLIENT
        and user.organisation_id == project.organisation_id
        and project.client_id is not None
        and user.client_id == project.client_id
    )
