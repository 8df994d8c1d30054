"""Every list is paginated the same way: `?limit=&offset=`, answered as `{"items", "count"}`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from ninja import Field, Schema

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Bounded so that no offset overflows the database's integer (SQLite answers that with an error).
MAX_OFFSET = 10**9

T = TypeVar("T")


class PageQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Éléments par page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Éléments à sauter.")


class Page(Schema, Generic[T]):
    items: list[T]
    count: int = Field(description="Nombre total d'éléments, toutes pages comprises.")


def paginate(queryset: QuerySet[Any], page: PageQuery, shape: Callable[[Model], Any] | None = None) -> dict[str, Any]:
    """One page of an ordered queryset; `shape` turns each row into what the role may see."""
    rows = list(queryset[page.offset: page.offset + page.limit])
    return {"items": [shape(row) for row in rows] if shape else rows, "count": queryset.count()}
