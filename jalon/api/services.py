"""Use cases of the API app that no other app owns: API tokens, and the versioned updates and
creations the REST resources need beyond the breakdown editor's services."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jalon.accounts.models import User
from jalon.api.models import ApiToken
from jalon.projects.models import Project, Task
from jalon.projects.services import save_versioned

TOKEN_PREFIX = "jln_"
# Writing `last_used_at` on every request would make each API read a database write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`. Returns it with its secret, which is stored nowhere: show it once."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Donnez un nom au jeton pour le reconnaître plus tard.")})
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=key[: len(TOKEN_PREFIX) + 6], key_hash=hash_key(key))
    token.full_clean()
    token.save()
    return token, key


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoked tokens stay listed (when, what for) but authenticate no one."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(key: str) -> User | None:
    """The active user owning this active token, or None; records when the token was used."""
    if not key.startswith(TOKEN_PREFIX) or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- versioned writes --------------------------------------------------------------------------


def _apply(instance: Project | Task, changes: Mapping[str, Any]) -> None:
    for name, value in changes.items():
        setattr(instance, name, value)


def project_update(*, project: Project, version: int, changes: Mapping[str, Any]) -> Project:
    """Change some fields of a project, validated, only if nobody saved it since `version`."""
    _apply(project, changes)
    project.full_clean()
    return save_versioned(project, expected_version=version)


def task_update(*, task: Task, version: int, changes: Mapping[str, Any]) -> Task:
    """Change some fields of a task, validated, only if nobody saved it since `version`."""
    _apply(task, changes)
    task.full_clean()
    return save_versioned(task, expected_version=version)


def task_create(*, project: Project, fields: Mapping[str, Any]) -> Task:
    """A task (or milestone) with any of its editable fields, at the end of the project's order
    unless an `order` is given."""
    with transaction.atomic():
        task = Task(project=project, **fields)
        if "order" not in fields:
            task.order = (Task.objects.filter(project=project).aggregate(m=Max("order"))["m"] or 0) + 1
        task.full_clean()
        return save_versioned(task, expected_version=1)
