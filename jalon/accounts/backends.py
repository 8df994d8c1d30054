"""The login backend: Django's, loading the login's collaborator record with the user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from jalon.accounts.models import User


class JalonModelBackend(ModelBackend):
    """The top bar of every page asks whether the login has a collaborator record (« Mes
    temps »). Joining it to the user that the session loads anyway answers that without a
    query; a missing record is cached too, so `user.person` then raises without a query."""

    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related("person").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id: Any) -> User | None:
        user = await User._default_manager.select_related("person").filter(pk=user_id).afirst()
        return user if user is not None and self.user_can_authenticate(user) else None
