"""Server-rendered SVG charts: burn-down, S-curve and workload.

All geometry is computed here; the autoescaped templates under `tracking/charts/` only place
numbers (passed as strings, so no locale turns `12.5` into `12,5` inside an attribute) and the
escaped labels. The same SVG is shown in the pages and embedded in the PDFs (WeasyPrint draws
SVG images), so a chart reads the same on screen and on paper.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from jalon.reports.typography import format_date, format_number

# Literal calls so that makemessages extracts each month.
MONTHS_SHORT = (
    pgettext_lazy("abbreviated month", "janv."), pgettext_lazy("abbreviated month", "févr."), pgettext_lazy("abbreviated month", "mars"),
    pgettext_lazy("abbreviated month", "avr."), pgettext_lazy("abbreviated month", "mai"), pgettext_lazy("abbreviated month", "juin"),
    pgettext_lazy("abbreviated month", "juil."), pgettext_lazy("abbreviated month", "août"), pgettext_lazy("abbreviated month", "sept."),
    pgettext_lazy("abbreviated month", "oct."), pgettext_lazy("abbreviated month", "nov."), pgettext_lazy("abbreviated month", "déc."),
)
PALETTE = {"pv": "#1f5fbf", "ev": "#1e7a46", "ac": "#c2410c", "ideal": "#8a94a6", "actual": "#1f5fbf", "forecast": "#c2410c"}
_DOM_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above `value` (the top of a readable axis)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value - 1e-9:
            return step * magnitude
    return 10 * magnitude


@dataclass
class Series:
    label: str
    colour: str
    points: Sequence[tuple[dt.date, Decimal | None]]
    dashed: bool = False


@dataclass
class LineChart:
    title: str
    series: list[Series]
    value_label: Callable[[Decimal], str]
    today: dt.date | None = None
    dom_id: str = "chart"
    width: int = 760
    height: int = 300
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not _DOM_ID.match(self.dom_id):
            raise ValueError(f"dom_id must be a letter then letters, digits, '-' or '_', got {self.dom_id!r}")


LEFT, RIGHT, TOP, BOTTOM = 86, 24, 58, 42


def _x_ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """Weekly ticks (dd/mm) up to ten weeks, monthly ticks (month year) beyond."""
    if (last - first).days <= 70:
        monday = first - dt.timedelta(days=first.weekday())
        ticks = [monday + dt.timedelta(weeks=k) for k in range((last - monday).days // 7 + 1)]
        return [(d, f"{d.day:02d}/{d.month:02d}") for d in ticks if first <= d <= last]
    ticks, day = [], dt.date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            ticks.append((day, f"{MONTHS_SHORT[day.month - 1]} {day.year % 100:02d}"))
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    step = max(1, math.ceil(len(ticks) / 10))
    return ticks[::step]


def render_line_chart(chart: LineChart) -> str:
    """The chart as a standalone SVG document; an empty-state picture when there is no data."""
    dated = [(d, v) for s in chart.series for d, v in s.points if v is not None]
    plot_w, plot_h = chart.width - LEFT - RIGHT, chart.height - TOP - BOTTOM
    context: dict[str, object] = {"title": chart.title, "width": chart.width, "height": chart.height, "id": chart.dom_id,
                                  "left": LEFT, "top": TOP, "plot_w": plot_w, "plot_h": plot_h, "bottom_y": TOP + plot_h,
                                  "right_x": LEFT + plot_w, "notes": chart.notes, "empty": not dated,
                                  "empty_text": _("Pas encore de données à tracer."), "mid_y": TOP + plot_h / 2,
                                  "mid_x": LEFT + plot_w / 2, "ylabel_x": LEFT - 6, "tick_y2": TOP + plot_h + 4,
                                  "xlabel_y": TOP + plot_h + 16, "today_label_y": TOP + 12}
    if dated:
        first = min(d for s in chart.series for d, _v in s.points)
        last = max(d for s in chart.series for d, _v in s.points)
        span = max((last - first).days, 1)
        top = nice_ceiling(float(max(v for _d, v in dated)))

        def x(day: dt.date) -> float:
            return LEFT + plot_w * (day - first).days / span

        def y(value: Decimal) -> float:
            return TOP + plot_h * (1 - float(value) / top)

        context.update(
            y_ticks=[{"y": _n(y(Decimal(str(top * k / 5)))), "label": chart.value_label(Decimal(str(top * k / 5)))} for k in range(6)],
            x_ticks=[{"x": _n(x(d)), "label": label} for d, label in _x_ticks(first, last)],
            lines=[{"d": _path(s.points, x, y), "colour": s.colour, "dashed": s.dashed, "label": s.label,
                    "dots": [{"x": _n(x(d)), "y": _n(y(v)), "title": _("%(series)s — %(date)s : %(value)s") % {
                        "series": s.label, "date": format_date(d), "value": chart.value_label(v)}}
                             for d, v in s.points if v is not None]} for s in chart.series],
            legend=[{"x": _n(LEFT + 170 * i), "label": s.label, "colour": s.colour, "dashed": s.dashed}
                    for i, s in enumerate(chart.series)],
        )
        if chart.today and first <= chart.today <= last:
            # The label sits inside the plot, on the side of the line with more room.
            right_side = x(chart.today) < LEFT + plot_w * 0.7
            context.update(today_x=_n(x(chart.today)), today_label=_("Aujourd'hui %(date)s") % {"date": format_date(chart.today)},
                           today_label_x=_n(x(chart.today) + (5 if right_side else -5)), today_anchor="start" if right_side else "end")
    for key in ("left", "top", "plot_w", "plot_h", "bottom_y", "right_x", "mid_x", "mid_y", "ylabel_x", "tick_y2", "xlabel_y", "today_label_y"):
        context[key] = _n(float(context[key]))  # type: ignore[arg-type]
    return render_to_string("tracking/charts/line_chart.svg", context)


def _path(points: Sequence[tuple[dt.date, Decimal | None]], x: Callable[[dt.date], float], y: Callable[[Decimal], float]) -> str:
    """Polyline through the points; a None value breaks the line."""
    parts, pen_down = [], False
    for day, value in sorted(points, key=lambda p: p[0]):
        if value is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{_n(x(day))} {_n(y(value))}")
        pen_down = True
    return " ".join(parts)


def money_label(currency_sign: str = "€") -> Callable[[Decimal], str]:
    def label(value: Decimal) -> str:
        if abs(value) >= 10000:
            return f"{format_number(value / 1000, 1, trim=True)}\u00a0k{currency_sign}"
        return f"{format_number(value, 0)}\u00a0{currency_sign}"
    return label


def days_label(value: Decimal) -> str:
    unit = _("j/h")
    return f"{format_number(value, 1, trim=True)}\u00a0{unit}"


def s_curve_chart(points: Sequence[object], *, today: dt.date | None, dom_id: str = "s-curve") -> str:
    """PV, EV and AC accumulated week by week (`earned_value.CurvePoint`s)."""
    return render_line_chart(LineChart(
        title=_("Courbe en S — valeur planifiée, valeur acquise, coût réel"),
        series=[
            Series(_("Valeur planifiée (PV)"), PALETTE["pv"], [(p.day, p.pv) for p in points]),  # type: ignore[attr-defined]
            Series(_("Valeur acquise (EV)"), PALETTE["ev"], [(p.day, p.ev) for p in points]),  # type: ignore[attr-defined]
            Series(_("Coût réel (AC)"), PALETTE["ac"], [(p.day, p.ac) for p in points]),  # type: ignore[attr-defined]
        ],
        value_label=money_label(), today=today, dom_id=dom_id,
    ))


def burn_down_chart(points: Sequence[object], *, today: dt.date | None, dom_id: str = "burn-down") -> str:
    """Remaining work: ideal, actual and forecast lines (`selectors.BurnPoint`s)."""
    return render_line_chart(LineChart(
        title=_("Burn-down — reste à faire (j/h)"),
        series=[
            Series(_("Idéal (référence)"), PALETTE["ideal"], [(p.day, p.ideal) for p in points], dashed=True),  # type: ignore[attr-defined]
            Series(_("Réel"), PALETTE["actual"], [(p.day, p.actual) for p in points]),  # type: ignore[attr-defined]
            Series(_("Prévision"), PALETTE["forecast"], [(p.day, p.forecast) for p in points], dashed=True),  # type: ignore[attr-defined]
        ],
        value_label=days_label, today=today, dom_id=dom_id,
    ))


# --------------------------------------------------------------------------- workload


WL_LABEL_W, WL_ROW_H, WL_COL_W, WL_TOP, WL_BOTTOM = 170, 46, 58, 58, 30
WL_CEILING = 1.5  # bars are drawn up to 150 % of capacity, beyond that they are clipped and marked


def workload_chart(weeks: Sequence[dt.date], rows: Sequence[tuple[str, Sequence[tuple[Decimal, Decimal]]]], *,
                   dom_id: str = "workload") -> str:
    """One row of weekly bars per person: planned days against capacity, the 100 % line dashed,
    overloaded weeks in red with their percentage. `rows`: (name, [(planned, capacity)] per week)."""
    width = WL_LABEL_W + WL_COL_W * max(len(weeks), 1) + 16
    height = WL_TOP + WL_ROW_H * max(len(rows), 1) + WL_BOTTOM
    bar_room = WL_ROW_H - 16
    cells, lines = [], []
    for r, (name, values) in enumerate(rows):
        base = WL_TOP + WL_ROW_H * (r + 1) - 6
        lines.append({"y": _n(base - bar_room / WL_CEILING), "x1": _n(WL_LABEL_W), "x2": _n(width - 16),
                      "label_y": _n(base - bar_room / 2), "name": name})
        for w, (planned, capacity) in enumerate(values):
            ratio = float(planned / capacity) if capacity else (1.0 if planned else 0.0)
            h = bar_room * min(ratio, WL_CEILING) / WL_CEILING
            x = WL_LABEL_W + WL_COL_W * w + 10
            cells.append({"x": _n(x), "y": _n(base - h), "w": _n(WL_COL_W - 20), "h": _n(h), "over": ratio > 1.005,
                          "label": f"{format_number(Decimal(str(ratio * 100)), 0)}\u00a0%", "tx": _n(x + (WL_COL_W - 20) / 2),
                          "ty": _n(base - h - 3),
                          "title": _("%(name)s, semaine du %(week)s : %(planned)s j planifiés pour %(capacity)s j disponibles") % {
                              "name": name, "week": format_date(weeks[w]), "planned": format_number(planned, 1, trim=True),
                              "capacity": format_number(capacity, 1, trim=True)}})
    context = {
        "id": dom_id, "width": width, "height": height, "title": _("Plan de charge de l'équipe (% de la capacité)"),
        "weeks": [{"x": _n(WL_LABEL_W + WL_COL_W * (i + 0.5)), "label": _("S%(week)02d") % {"week": d.isocalendar().week}, "sub": f"{d.day:02d}/{d.month:02d}"}
                  for i, d in enumerate(weeks)],
        "rows": lines, "cells": cells, "empty": not rows, "empty_text": _("Personne n'est affecté au projet."),
        "legend_100": _("trait pointillé : 100 % de la capacité"),
    }
    return render_to_string("tracking/charts/workload.svg", context)


def svg_size(svg: str) -> tuple[float, float]:
    """Width and height of a standalone SVG (for sizing it in a PDF)."""
    found = re.search(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    if not found:
        raise ValueError("not a standalone SVG with width and height")
    return float(found.group(1)), float(found.group(2))
