"""Who may write and decide on a cahier des charges.

Everyone who sees the project reads its spec (see jalon.projects.permissions). The project's
manager and the organisation's admins write it and submit versions. A submitted version is
decided (validated or rejected) by them on the client's behalf, or by a client user of the
project's client: until the client portal exists, that is the client's only way to sign off.

A draft is the agency's work in progress: only the agency's people (admin, manager, member) read
it. A client user reads the versions submitted to them, validated or rejected, never a draft —
on the spec pages, the exports, the API and the portal alike (see
jalon.specs.selectors.spec_versions_visible_to, the queryset form of this rule).
"""

from __future__ import annotations

from jalon.projects.models import Project
from jalon.projects.permissions import AnyUser, Role, can_edit_project, role_of
from jalon.specs.models import SpecVersion

# What a reader who is not of the agency may see of a spec: what was put before the client.
CLIENT_READABLE_STATUSES = (SpecVersion.Status.SUBMITTED, SpecVersion.Status.VALIDATED, SpecVersion.Status.REJECTED)


def reads_spec_drafts(user: AnyUser) -> bool:
    """The agency's people read drafts; a client (or a login without a role) never does."""
    return role_of(user) in (Role.ADMIN, Role.MANAGER, Role.MEMBER)


def can_read_spec_version(user: AnyUser, version: SpecVersion) -> bool:
    """Whether a user who sees the project may read this version (project access is checked
    apart, by jalon.projects.permissions)."""
    return reads_spec_drafts(user) or version.status in CLIENT_READABLE_STATUSES


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
