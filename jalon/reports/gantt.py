"""The Gantt chart as SVG: plain dataclasses in, an SVG document out.

All geometry is computed here, in Python; the autoescaped template `reports/gantt.svg` draws
the frame (definitions, header band, today line). The elements repeated per row, per link and per
time unit are written here as markup, every text in them through `escape`: a 1,000-row chart has
tens of thousands of values, and placing them one by one with template variables took most of the
request. Numbers are written as strings with a dot, so the French locale never turns `12.5` into
`12,5` inside an SVG attribute.

Coordinates: x grows with dates at `PX_PER_DAY[zoom]` pixels a day, after a label column on the
left; y grows with rows of `ROW_H` pixels under a two-band time scale. A bar covers its start
day to its finish day inclusive (the finish is the last working day, as in the engine's dates).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jalon.reports.typography import format_date, format_percent

KINDS = ("phase", "task", "milestone")
ZOOMS = ("day", "week", "month")
LINK_TYPES = ("FS", "SS", "FF", "SF")

PX_PER_DAY = {"day": 28, "week": 8, "month": 3}
ROW_H = 22
BAR_H = 12
BASELINE_H = 3
SUMMARY_H = 6
DIAMOND = 6  # half-diagonal of a milestone diamond
STUB = 6  # horizontal run of a dependency arrow before it turns
HEADER_BAND = 20
INDENT = 12
CHAR_W = 6.2  # average width of an 11 px sans-serif character: enough to size the label column
LABEL_MIN, LABEL_MAX = 180, 340
RIGHT_PAD = 150  # room for the assignee names after the last bar

COLOURS = {
    "task": "#5b8bd6",
    "task_done": "#2c5aa0",
    "critical": "#e06666",
    "critical_done": "#a61c1c",
    "phase": "#3b3b3b",
    "phase_critical": "#a61c1c",
    "milestone": "#3b3b3b",
    "milestone_critical": "#c62828",
    "late": "#e67e22",
    "baseline": "#9e9e9e",
    "link": "#607080",
    "link_critical": "#c62828",
    "stripe": "#f5f7fa",
    "non_working": "#e9ebef",
    "grid": "#dde1e6",
    "today": "#d32f2f",
}

_DOM_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_CONTROL = re.compile(r"[\x00-\x1f]")
# Django's `escape` is this same function wrapped for lazy strings and marked safe; the texts
# here are plain str, and tens of thousands of them on a big chart.
escape = html.escape
NonWorking = set[date] | frozenset[date] | Callable[[date], bool] | None


class GanttError(ValueError):
    """The chart's data is inconsistent; the message names the row or link at fault."""


def check_link_url(url: str | None, where: str) -> None:
    """Only web links may become clickable: a `javascript:` URL would run in the user's page."""
    if url is None:
        return
    if not isinstance(url, str) or _CONTROL.search(url):
        raise GanttError(f"{where}: url {url!r} is not a valid link")
    if url.startswith("/"):  # a path has no scheme: the common case, a link inside the site
        return
    if urlsplit(url).scheme.lower() not in ("", "http", "https"):
        raise GanttError(f"{where}: url {url!r} must be relative or http(s)")


@dataclass(slots=True)
class GanttRow:
    """One line of the chart: a phase (summary), a task or a milestone.

    `finish` is the last working day, inclusive; a milestone needs only `start`.
    `progress` is a percentage, 0 to 100, like `projects.Task.progress`."""

    id: str | int
    label: str
    kind: str = "task"
    level: int = 0
    start: date | None = None
    finish: date | None = None
    critical: bool = False
    progress: float | None = None
    assignees: list[str] = field(default_factory=list)
    baseline_start: date | None = None
    baseline_finish: date | None = None
    late: bool = False
    url: str | None = None

    def __post_init__(self) -> None:
        where = f"row {self.id!r} ({self.label!r})"
        if self.kind not in KINDS:
            raise GanttError(f"{where}: kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        if not isinstance(self.level, int) or self.level < 0:
            raise GanttError(f"{where}: level must be an integer >= 0, got {self.level!r}")
        if self.kind == "milestone" and self.finish is None:
            self.finish = self.start
        if (self.start is None) != (self.finish is None):
            raise GanttError(f"{where}: give both start and finish, or neither")
        if self.start and self.finish and self.finish < self.start:
            raise GanttError(f"{where}: finish {self.finish} is before start {self.start}")
        if (self.baseline_start is None) != (self.baseline_finish is None):
            raise GanttError(f"{where}: give both baseline_start and baseline_finish, or neither")
        if self.baseline_start and self.baseline_finish and self.baseline_finish < self.baseline_start:
            raise GanttError(f"{where}: baseline_finish {self.baseline_finish} is before baseline_start")
        if self.progress is not None and not 0 <= float(self.progress) <= 100:
            raise GanttError(f"{where}: progress is a percentage from 0 to 100, got {self.progress!r}")
        check_link_url(self.url, where)


@dataclass(frozen=True, slots=True)
class GanttLink:
    """A dependency drawn as an arrow from the predecessor `from_id` to the successor `to_id`."""

    from_id: str | int
    to_id: str | int
    type: str = "FS"

    def __post_init__(self) -> None:
        if self.type not in LINK_TYPES:
            raise GanttError(
                f"link {self.from_id!r} -> {self.to_id!r}: type must be one of {', '.join(LINK_TYPES)}, got {self.type!r}"
            )


@dataclass(slots=True)
class GanttChart:
    """What to draw. `non_working`: a callable `date -> bool` decides alone which days are
    shaded (e.g. `lambda d: not calendar.is_working(d)`); a set lists closed dates (public
    holidays, closures) shaded besides Saturdays and Sundays; None shades weekends only."""

    rows: list[GanttRow]
    links: list[GanttLink] = field(default_factory=list)
    today: date | None = None
    zoom: str = "week"
    title: str = ""
    non_working: NonWorking = None
    dom_id: str = "gantt"  # prefix of the SVG ids, unique per page when several charts share one

    def __post_init__(self) -> None:
        if self.zoom not in ZOOMS:
            raise GanttError(f"zoom must be one of {', '.join(ZOOMS)}, got {self.zoom!r}")
        if not _DOM_ID.match(self.dom_id):
            raise GanttError(f"dom_id must be a letter then letters, digits, '-' or '_', got {self.dom_id!r}")
        seen: set[str | int] = set()
        for row in self.rows:
            if row.id in seen:
                raise GanttError(f"row id {row.id!r} appears twice (second: {row.label!r})")
            seen.add(row.id)
        for link in self.links:
            for end in (link.from_id, link.to_id):
                if end not in seen:
                    raise GanttError(f"link {link.from_id!r} -> {link.to_id!r} ({link.type}): no row has id {end!r}")
            if link.from_id == link.to_id:
                raise GanttError(f"link {link.from_id!r} -> {link.to_id!r}: a row cannot depend on itself")

    def is_non_working(self) -> Callable[[date], bool]:
        if callable(self.non_working):
            return self.non_working
        closed = frozenset(self.non_working or ())
        return lambda d: d.weekday() >= 5 or d in closed


def _n(x: float) -> str:
    """A coordinate for an SVG attribute: at most one decimal, always a dot."""
    if type(x) is int:  # most coordinates are whole pixels: the fast way
        return str(x)
    return str(int(x)) if x == int(x) else f"{x:.1f}"


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def _date_range(chart: GanttChart) -> tuple[date, date]:
    """First and last day shown: every bar and baseline, widened to whole scale units."""
    dates = [d for r in chart.rows for d in (r.start, r.finish, r.baseline_start, r.baseline_finish) if d]
    if not dates:
        dates = [chart.today or date.today()]
    first, last = min(dates), max(dates)
    if chart.zoom == "month":
        return _month_start(first), _next_month(last) - timedelta(days=1)
    first, last = _monday(first), _monday(last) + timedelta(days=6)
    if chart.zoom == "day":
        return first, last
    return first, last + timedelta(days=7)  # a spare week: the last bar's names need room


@dataclass(slots=True)
class _Scale:
    first: date
    last: date
    px: int
    left: int

    def x(self, d: date) -> int:
        return self.left + (d - self.first).days * self.px

    @property
    def width(self) -> int:
        return self.x(self.last + timedelta(days=1)) - self.left


def _cells(scale: _Scale, starts: Iterable[date], text: Callable[[date], str],
           sub: Callable[[date], str] | None = None, *, fit: bool = False) -> list[dict[str, str]]:
    """Header cells from their start dates, each cut to the visible range. With `fit`, a text
    too wide for its (partial) cell is left out rather than spilling over its neighbour."""
    bounds = [max(s, scale.first) for s in starts] + [scale.last + timedelta(days=1)]
    cells = []
    for begin, end in zip(bounds, bounds[1:]):
        x0, x1 = scale.x(begin), scale.x(end)
        label = text(begin)
        if fit and len(label) * CHAR_W + 8 > x1 - x0:
            label = ""
        cells.append({"x": _n(x0), "tx": _n(x0 + 4), "cx": _n((x0 + x1) / 2), "text": label,
                      "sub": sub(begin) if sub else ""})
    return cells


def _unit_starts(first: date, last: date, step: Callable[[date], date], align: Callable[[date], date]) -> list[date]:
    starts, d = [], align(first)
    while d <= last:
        starts.append(d)
        d = step(d)
    return starts


def _month_name(d: date) -> str:
    return f"{MONTHS[d.month]} {d.year}"


def _header(chart: GanttChart, scale: _Scale) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Top and bottom bands of the time scale, per zoom."""
    week = lambda d: d + timedelta(days=7)  # noqa: E731
    if chart.zoom == "day":
        label = _("S%(week)02d")  # translated once, not once a week
        top = _cells(scale, _unit_starts(scale.first, scale.last, week, _monday),
                     lambda d: f"{label % {'week': d.isocalendar().week}} · {_month_name(d)}", fit=True)
        days = _unit_starts(scale.first, scale.last, lambda d: d + timedelta(days=1), lambda d: d)
        initials = [str(WEEKDAYS[k])[:1].upper() for k in range(7)]  # translated once, not once a day
        bottom = _cells(scale, days, lambda d: initials[d.weekday()], lambda d: f"{d.day:02d}/{d.month:02d}")
    elif chart.zoom == "week":
        top = _cells(scale, _unit_starts(scale.first, scale.last, _next_month, _month_start), _month_name, fit=True)
        label = _("S%(week)02d")
        bottom = _cells(scale, _unit_starts(scale.first, scale.last, week, _monday),
                        lambda d: label % {"week": d.isocalendar().week}, lambda d: f"{d.day:02d}/{d.month:02d}")
    else:
        years = _unit_starts(scale.first, scale.last, lambda d: date(d.year + 1, 1, 1), lambda d: date(d.year, 1, 1))
        top = _cells(scale, years, lambda d: str(d.year), fit=True)
        bottom = _cells(scale, _unit_starts(scale.first, scale.last, _next_month, _month_start), lambda d: str(MONTHS[d.month]))
    return top, bottom


def _shading(chart: GanttChart, scale: _Scale) -> list[tuple[float, float]]:
    """Runs of consecutive non-working days as (x, width), one rectangle each."""
    closed = chart.is_non_working()
    runs: list[tuple[float, float]] = []
    run_start: date | None = None
    d = scale.first
    while d <= scale.last + timedelta(days=1):
        off = d <= scale.last and closed(d)
        if off and run_start is None:
            run_start = d
        elif not off and run_start is not None:
            runs.append((scale.x(run_start), (d - run_start).days * scale.px))
            run_start = None
        d += timedelta(days=1)
    return runs


def _tooltip_texts() -> dict[str, str]:
    """The tooltip phrases, translated once per chart: gettext per row would double the time."""
    return {
        "milestone": _("Jalon le %(date)s"),
        "span": _("Du %(start)s au %(finish)s"),
        "unplanned": _("Non planifiée"),
        "progress": _("Avancement : %(progress)s"),
        "assignees": _("Affectés : %(names)s"),
        "baseline": _("Référence : du %(start)s au %(finish)s"),
        "critical": _("Chemin critique"),
        "late": _("En retard"),
    }


def _tooltip(row: GanttRow, texts: dict[str, str]) -> str:
    lines = [row.label]
    if row.start and row.kind == "milestone":
        lines.append(texts["milestone"] % {"date": format_date(row.start)})
    elif row.start and row.finish:
        lines.append(texts["span"] % {"start": format_date(row.start), "finish": format_date(row.finish)})
    else:
        lines.append(texts["unplanned"])
    if row.progress is not None:
        lines.append(texts["progress"] % {"progress": format_percent(row.progress)})
    if row.assignees:
        lines.append(texts["assignees"] % {"names": ", ".join(row.assignees)})
    if row.baseline_start and row.baseline_finish:
        lines.append(texts["baseline"] % {
            "start": format_date(row.baseline_start), "finish": format_date(row.baseline_finish)})
    flags = [texts["critical"]] * row.critical + [texts["late"]] * row.late
    if flags:
        lines.append(" · ".join(flags))
    return "\n".join(lines)


def _truncate(text: str, width: float) -> str:
    room = max(int(width / CHAR_W), 4)
    return text if len(text) <= room else text[: room - 1] + "…"


def _label_width(rows: Sequence[GanttRow]) -> int:
    widest = max((len(r.label) * CHAR_W + r.level * INDENT for r in rows), default=0) + 20
    return int(min(max(widest, LABEL_MIN), LABEL_MAX))


@dataclass(slots=True)
class _Edges:
    left: float
    right: float
    mid: float  # y of the row's middle, body coordinates


def _row_shapes(row: GanttRow, y: float, scale: _Scale) -> tuple[dict[str, str], _Edges | None]:
    """The drawing of one row's bar (task), summary (phase) or diamond (milestone)."""
    mid = y + ROW_H // 2  # ROW_H, BAR_H and SUMMARY_H are even: whole pixels all along
    # Every key the template reads is present: a missing one costs Django an exception each time.
    shapes = dict.fromkeys(("baseline", "shape", "fill", "progress", "progress_fill", "late", "note", "note_x"), "")
    if row.baseline_start and row.baseline_finish:
        bx0, bx1 = scale.x(row.baseline_start), scale.x(row.baseline_finish) + scale.px
        shapes["baseline"] = f"M{bx0} {mid + BAR_H // 2 + 1}h{bx1 - bx0}v{BASELINE_H}h{bx0 - bx1}z"
    if row.start is None or row.finish is None:
        return shapes, None
    x0, x1 = scale.x(row.start), scale.x(row.finish) + scale.px
    if row.late:
        shapes["late"] = "1"
    if row.kind == "milestone":
        cx = (x0 + x1) / 2
        shapes["shape"] = f"M{_n(cx)} {_n(mid - DIAMOND)}l{DIAMOND} {DIAMOND}l-{DIAMOND} {DIAMOND}l-{DIAMOND} -{DIAMOND}z"
        shapes["fill"] = COLOURS["milestone_critical" if row.critical else "milestone"]
        shapes["note_x"] = _n(cx + DIAMOND + STUB + 4)
        shapes["note"] = format_date(row.start)[:5]
        return shapes, _Edges(cx - DIAMOND, cx + DIAMOND, mid)
    if row.kind == "phase":
        top, w, cap = mid - SUMMARY_H // 2 - 2, x1 - x0, min(5.0, (x1 - x0) / 2)
        # A summary bar with a downward point at each end, the usual phase shape.
        shapes["shape"] = (f"M{_n(x0)} {_n(top)}h{_n(w)}v{SUMMARY_H + 5}l-{_n(cap)} -5h{_n(2 * cap - w)}"
                           f"l-{_n(cap)} 5z")
        shapes["fill"] = COLOURS["phase_critical" if row.critical else "phase"]
        shapes["note_x"] = _n(x1 + STUB + 4)  # after the elbow of an arrow leaving the bar
        return shapes, _Edges(x0, x1, mid)
    top, w = mid - BAR_H // 2, x1 - x0
    shapes["shape"] = f"M{x0} {top}h{w}v{BAR_H}h{-w}z"
    shapes["fill"] = COLOURS["critical" if row.critical else "task"]
    if row.progress:
        done = w * float(row.progress) / 100
        shapes["progress"] = f"M{_n(x0)} {_n(top)}h{_n(done)}v{BAR_H}h{_n(-done)}z"
        shapes["progress_fill"] = COLOURS["critical_done" if row.critical else "task_done"]
    shapes["note_x"] = _n(x1 + STUB + 4)  # after the elbow of an arrow leaving the bar
    return shapes, _Edges(x0, x1, mid)


def _link_path(link: GanttLink, a: _Edges, b: _Edges) -> tuple[str, float, float]:
    """An elbow path from the predecessor's edge to the successor's edge, per dependency type:
    a Finish leaves from the right edge, a Start from the left; the arrow enters a Start from
    the left and a Finish from the right. Returns the path and its vertical extent."""
    leave_right, enter_start = link.type[0] == "F", link.type[1] == "S"
    x1, y1 = (a.right if leave_right else a.left), a.mid
    x2, y2 = (b.left if enter_start else b.right), b.mid
    d1, d2 = (1 if leave_right else -1), (1 if enter_start else -1)
    sx, ex = x1 + d1 * STUB, x2 - d2 * STUB
    if d1 != d2:  # SS or FF: turn beyond whichever edge sticks out further
        cx = min(sx, ex) if d1 < 0 else max(sx, ex)
        return f"M{_n(x1)} {_n(y1)}H{_n(cx)}V{_n(y2)}H{_n(x2)}", min(y1, y2), max(y1, y2)
    if d1 * (ex - sx) >= 0:  # room to turn once
        return f"M{_n(x1)} {_n(y1)}H{_n(sx)}V{_n(y2)}H{_n(x2)}", min(y1, y2), max(y1, y2)
    # No room: go round, through the gap between the two rows.
    ym = y2 - ROW_H / 2 if y2 > y1 else y2 + ROW_H / 2
    path = f"M{_n(x1)} {_n(y1)}H{_n(sx)}V{_n(ym)}H{_n(ex)}V{_n(y2)}H{_n(x2)}"
    return path, min(y1, y2, ym), max(y1, y2, ym)


@dataclass(slots=True)
class GanttLayout:
    """The whole chart's geometry; pages of it are rendered by `render_gantt_svg_pages`.
    Each row's dict holds its shapes and, under "svg", its finished (escaped) markup."""

    chart: GanttChart
    width: float
    label_w: int
    header_h: int
    top: list[dict[str, str]]
    bottom: list[dict[str, str]]
    shading: list[tuple[float, float]]
    today_x: str | None
    rows: list[dict[str, str]]
    links: list[dict[str, object]]
    header_svg: str = ""


def _row_svg(r: dict[str, str]) -> str:
    """One row's group: tooltip, optional edit link, baseline, bar, progress, late outline,
    label and the note after the bar. Every user text goes through `escape`."""
    url = escape(r["url"]) if r["url"] else ""
    parts = [f'<g><title>{escape(r["title"])}</title>']
    if url:
        parts.append(f'<a href="{url}" xlink:href="{url}">')
    if r["baseline"]:
        parts.append(f'<path d="{r["baseline"]}" fill="{COLOURS["baseline"]}"/>')
    if r["shape"]:
        parts.append(f'<path d="{r["shape"]}" fill="{r["fill"]}"/>')
    if r["progress"]:
        parts.append(f'<path d="{r["progress"]}" fill="{r["progress_fill"]}"/>')
    if r["late"]:
        parts.append(f'<path d="{r["shape"]}" fill="none" stroke="{COLOURS["late"]}" stroke-width="2"/>')
    parts.append(f'<text x="{r["lx"]}" y="{r["ty"]}" font-weight="{r["weight"]}" fill="#222222">{escape(r["label"])}</text>')
    if r["note_x"]:
        parts.append(f'<text x="{r["note_x"]}" y="{r["ty"]}" font-size="10" fill="#555555">'
                     f'{escape(r["note"])} {escape(r["names"])}</text>')
    if url:
        parts.append("</a>")
    parts.append("</g>\n")
    return "".join(parts)


def _header_svg(top: list[dict[str, str]], bottom: list[dict[str, str]], zoom: str, header_h: int) -> str:
    """The labels of the two bands of the time scale (a day zoom has one cell a day)."""
    band_y = _n(HEADER_BAND - 6)
    bottom_y = _n(header_h - (14 if zoom != "month" else 6))
    sub_y, sub_size = _n(header_h - 4), "8" if zoom == "day" else "9"  # dd/mm must fit a day's width
    out = [f'<text x="{c["tx"]}" y="{band_y}" font-weight="bold">{escape(c["text"])}</text>' for c in top]
    out.append("\n")
    for c in bottom:
        out.append(f'<text x="{c["cx"]}" y="{bottom_y}" text-anchor="middle">{escape(c["text"])}</text>')
        if c["sub"]:
            out.append(f'<text x="{c["cx"]}" y="{sub_y}" text-anchor="middle" font-size="{sub_size}" '
                       f'fill="#666666">{escape(c["sub"])}</text>')
    return "".join(out)


def gantt_layout(chart: GanttChart) -> GanttLayout:
    first, last = _date_range(chart)
    label_w = _label_width(chart.rows)
    scale = _Scale(first, last, PX_PER_DAY[chart.zoom], label_w)
    top, bottom = _header(chart, scale)
    rows: list[dict[str, str]] = []
    edges: dict[str | int, _Edges] = {}
    critical: dict[str | int, bool] = {}
    texts = _tooltip_texts()
    for i, row in enumerate(chart.rows):
        y = i * ROW_H
        shapes, edge = _row_shapes(row, y, scale)
        if edge:
            edges[row.id] = edge
        critical[row.id] = row.critical
        indent = 8 + row.level * INDENT
        drawn = {
            "y": str(y), "ty": str(y + ROW_H // 2 + 4), "lx": str(indent),
            "label": _truncate(row.label, label_w - indent - 8), "title": _tooltip(row, texts),
            "weight": "bold" if row.kind == "phase" else "normal", "url": row.url or "",
            "names": ", ".join(row.assignees), "stripe": "1" if i % 2 else "", **shapes,
        }
        drawn["svg"] = _row_svg(drawn)
        rows.append(drawn)
    links: list[dict[str, object]] = []
    for link in chart.links:
        a, b = edges.get(link.from_id), edges.get(link.to_id)
        if a is None or b is None:
            continue  # an unplanned end has no bar to attach to
        path, y_min, y_max = _link_path(link, a, b)
        links.append({"d": path, "critical": critical[link.from_id] and critical[link.to_id],
                      "y_min": y_min, "y_max": y_max})
    today_x = None
    if chart.today and first <= chart.today <= last:
        today_x = _n(scale.x(chart.today) + scale.px / 2)
    header_h = 2 * HEADER_BAND + (0 if chart.zoom == "month" else 10)  # day and week cells have two lines
    return GanttLayout(chart, label_w + scale.width + RIGHT_PAD, label_w, header_h,
                       top, bottom, _shading(chart, scale), today_x, rows, links,
                       _header_svg(top, bottom, chart.zoom, header_h))


def _page_context(layout: GanttLayout, first_row: int, last_row: int, dom_id: str) -> dict[str, object]:
    """The template context for rows [first_row, last_row): the body is shifted up and clipped,
    so that arrows to rows of other pages run off the edge instead of vanishing. Repeated
    shapes (stripes, shading, grid) are merged into one path each: far fewer SVG elements."""
    header_h, width = layout.header_h, layout.width
    body_top, body_bottom = first_row * ROW_H, last_row * ROW_H
    body_h = max(body_bottom - body_top, ROW_H)
    height = header_h + body_h
    links = [link for link in layout.links if link["y_max"] >= body_top and link["y_min"] <= body_bottom]
    stripes = "".join(f"M0 {_n(i * ROW_H)}h{_n(width)}v{ROW_H}h{_n(-width)}z"
                      for i in range(first_row, last_row) if i % 2)
    shading = "".join(f"M{_n(x)} {_n(header_h)}h{_n(w)}v{_n(body_h)}h{_n(-w)}z" for x, w in layout.shading)
    grid = "".join(f"M{cell['x']} {_n(header_h)}V{_n(height)}" for cell in layout.bottom)
    ticks = "".join(f"M{cell['x']} {HEADER_BAND}V{_n(header_h)}" for cell in layout.bottom)
    ticks += "".join(f"M{cell['x']} 0V{HEADER_BAND}" for cell in layout.top)
    return {
        "id": dom_id,
        "title": layout.chart.title,
        "width": _n(width),
        "height": _n(height),
        "header_h": _n(header_h),
        "band": _n(HEADER_BAND),
        "band_text_y": _n(HEADER_BAND - 6),
        "bottom_text_y": _n(header_h - (14 if layout.chart.zoom != "month" else 6)),
        "sub_y": _n(header_h - 4),
        "sub_size": "8" if layout.chart.zoom == "day" else "9",  # dd/mm must fit a day's width
        "label_w": _n(layout.label_w),
        "body_h": _n(body_h),
        "body_shift": _n(header_h - body_top),
        "stripes": stripes,
        "shading": shading,
        "grid": grid,
        "ticks": ticks,
        "header_cells": _safe(layout.header_svg),
        "today_x": layout.today_x,
        "today": format_date(layout.chart.today),
        "rows": _safe("".join(row["svg"] for row in layout.rows[first_row:last_row])),
        "links": _safe("".join(f'<path d="{link["d"]}"/>' for link in links if not link["critical"])),
        "critical_links": _safe("".join(f'<path d="{link["d"]}"/>' for link in links if link["critical"])),
        "colours": COLOURS,
    }


def _safe(markup: str) -> SafeString:
    """Markup built by this module from numbers, colours and escaped texts only."""
    return mark_safe(markup)  # noqa: S308 - every user text in it went through escape()


def render_gantt_svg(chart: GanttChart) -> str:
    """The whole chart as one standalone SVG document (UTF-8 text)."""
    layout = gantt_layout(chart)
    return render_to_string("reports/gantt.svg", _page_context(layout, 0, len(layout.rows), chart.dom_id))


def render_gantt_svg_pages(chart: GanttChart, rows_per_page: int) -> list[str]:
    """The chart cut into SVGs of `rows_per_page` rows, each with the time scale repeated and
    the same dates, for printing."""
    if rows_per_page < 1:
        raise GanttError(f"rows_per_page must be at least 1, got {rows_per_page}")
    layout = gantt_layout(chart)
    count = max(len(layout.rows), 1)
    return [
        render_to_string("reports/gantt.svg", _page_context(layout, i, min(i + rows_per_page, len(layout.rows)),
                                                            f"{chart.dom_id}-p{i // rows_per_page + 1}"))
        for i in range(0, count, rows_per_page)
    ]
