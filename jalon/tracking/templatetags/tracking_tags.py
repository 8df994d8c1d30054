"""`{% load tracking_tags %}`: figures of snapshots (strings of Decimals) written the French way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from jalon.reports import typography

register = template.Library()
DASH = "—"


def _decimal(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


@register.filter
def index(value: object) -> str:
    """An SPI or CPI: `0,83`; a dash when it cannot be measured yet."""
    number = _decimal(value)
    return DASH if number is None else typography.format_number(number, 2)


@register.filter
def eur(value: object, currency: str = "EUR") -> str:
    number = _decimal(value)
    return DASH if number is None else typography.format_money(number, currency or "EUR")


@register.filter
def jh(value: object) -> str:
    number = _decimal(value)
    return DASH if number is None else typography.format_days(number)


@register.filter
def pct(value: object) -> str:
    number = _decimal(value)
    return DASH if number is None else typography.format_percent(number, 1)


@register.filter
def days_cell(value: object) -> str:
    """A timesheet cell: `0,5`, empty for nothing."""
    number = _decimal(value)
    return "" if not number else typography.format_number(number, 2, trim=True).replace("\u202f", "")


@register.filter
def iso_date(value: object) -> str:
    """An ISO date string of a snapshot as dd/mm/yyyy."""
    if not value:
        return DASH
    return typography.format_date(value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)))


@register.filter
def signed(value: object) -> str:
    number = _decimal(value)
    if number is None:
        return DASH
    return ("+" if number > 0 else "") + typography.format_number(number, 0)


@register.filter
def get_item(mapping: dict, key: object) -> object:  # type: ignore[type-arg]
    return mapping.get(key) if mapping else None
