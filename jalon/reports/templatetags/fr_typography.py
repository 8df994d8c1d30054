"""`{% load fr_typography %}`: the typography helpers as template filters.

Each filter returns plain text, so autoescaping still applies to what it returns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template

from jalon.reports import typography

register = template.Library()


@register.filter
def fr_text(value: object) -> str:
    return typography.fr_text("" if value is None else str(value))


@register.filter
def fr_date(value: date | None) -> str:
    return typography.format_date(value)


@register.filter
def money(value: Decimal | None, currency: str = "EUR") -> str:
    return "" if value is None else typography.format_money(value, currency)


@register.filter
def days(value: Decimal | None) -> str:
    return "" if value is None else typography.format_days(value)
