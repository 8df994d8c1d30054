"""A month on a French calendar grid: weeks from Monday, ISO week numbers, public holidays
named, milestones on their day. `month_calendar` builds the context of the template fragment
`reports/month_calendar.html`, which a full page or an HTMX response can include."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.dates import MONTHS, WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

from jalon.engine.calendar import WorkCalendar
from jalon.reports.gantt import check_link_url
from jalon.reports.typography import format_date

# Labels of the statuses the planning shows; another token is allowed and shown without label.
STATUS_LABELS = {
    "planned": _("Prévu"),
    "done": _("Atteint"),
    "late": _("En retard"),
    "at_risk": _("À risque"),
}
_STATUS = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")  # becomes a CSS class: no spaces, no quotes


@dataclass(frozen=True, slots=True)
class CalendarMilestone:
    label: str
    url: str | None
    status: str
    status_label: str
    date_text: str


def _milestone(item: tuple[date, str, str | None, str], index: int) -> tuple[date, CalendarMilestone]:
    try:
        day, label, url, status = item
    except (TypeError, ValueError):
        raise ValueError(f"milestone n° {index}: expected (date, label, url, status), got {item!r}") from None
    where = f"milestone n° {index} ({label!r})"
    if not isinstance(day, date):
        raise ValueError(f"{where}: the date must be a date, got {day!r}")
    if not _STATUS.match(status or ""):
        raise ValueError(f"{where}: status must be a short lowercase token such as 'late', got {status!r}")
    check_link_url(url, where)
    return day, CalendarMilestone(str(label), url or None, status, str(STATUS_LABELS.get(status, "")), format_date(day))


def _shift_month(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_calendar(
    milestones: Iterable[tuple[date, str, str | None, str]],
    month: date,
    *,
    holidays: Mapping[date, str] | None = None,
    today: date | None = None,
) -> dict[str, object]:
    """The context for `reports/month_calendar.html`: the month holding `month`, Monday first.

    `milestones`: (date, label, url or None, status) tuples; those outside the grid are left out.
    `holidays`: public holidays by date with their names; by default the French national ones
    (pass `WorkCalendar(...).holidays(year)` for a region such as Alsace-Moselle)."""
    if not isinstance(month, date):
        raise ValueError(f"month must be a date, got {month!r}")
    first = month.replace(day=1)
    following = _shift_month(first, 1)
    grid_start = first - timedelta(days=first.weekday())
    grid_end = following - timedelta(days=1)
    grid_end += timedelta(days=6 - grid_end.weekday())
    if holidays is None:
        calendar = WorkCalendar(first)
        holidays = {**calendar.holidays(grid_start.year), **calendar.holidays(grid_end.year)}
    by_day: dict[date, list[CalendarMilestone]] = {}
    for index, item in enumerate(milestones, start=1):
        day, milestone = _milestone(item, index)
        if grid_start <= day <= grid_end:
            by_day.setdefault(day, []).append(milestone)
    weeks = []
    day = grid_start
    while day <= grid_end:
        days = []
        for _offset in range(7):
            days.append({
                "date": day,
                "iso": day.isoformat(),
                "day": day.day,
                "date_text": format_date(day),
                "in_month": day.month == first.month,
                "weekend": day.weekday() >= 5,
                "holiday": holidays.get(day, ""),
                "today": day == today,
                "milestones": by_day.get(day, []),
            })
            day += timedelta(days=1)
        weeks.append({"number": days[0]["date"].isocalendar().week, "days": days})
    return {
        "month": first,
        "title": f"{MONTHS[first.month]} {first.year}",
        "weekday_names": [WEEKDAYS_ABBR[i] for i in range(7)],
        "weeks": weeks,
        "previous_month": _shift_month(first, -1),
        "next_month": following,
        "milestone_count": sum(len(v) for d, v in by_day.items() if d.month == first.month and d.year == first.year),
    }
