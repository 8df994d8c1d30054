"""What the resource modules share: declared error answers, and turning ids sent by a client
into records of the user's organisation (or a 422 naming the field)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet

from jalon.api.schemas import Error, ValidationErrors

READ_ERRORS: dict[int, Any] = {401: Error, 404: Error, 422: ValidationErrors}
# 400: a body that is not JSON at all (ninja answers it before any field check).
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 400: Error, 403: Error, 409: Error}


def responses(code: int, schema: Any, errors: dict[int, Any] = READ_ERRORS) -> dict[int, Any]:
    return {code: schema, **errors}


def resolve_id(queryset: QuerySet[Any], pk: int | None, field: str, what: str) -> Model | None:
    """The record with this id among those the caller may refer to; None stays None."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: f"{what} n°{pk} introuvable dans votre organisation."}, code="unknown")
    return found


def rename_ids(data: dict[str, Any], resolved: dict[str, Model | None]) -> dict[str, Any]:
    """`{"client_id": 3}` → `{"client": <Client 3>}` for the ids present in `data`."""
    out = {k: v for k, v in data.items() if k not in {f"{name}_id" for name in resolved}}
    out.update({name: value for name, value in resolved.items() if f"{name}_id" in data})
    return out
