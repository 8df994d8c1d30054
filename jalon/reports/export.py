"""The Gantt chart as a printable PDF (WeasyPrint) or a PNG picture (CairoSVG).

The PDF cuts the chart into pages of whole rows, each with the time scale repeated and the same
dates, scaled to the width of an A4 (or A3 when the chart is wide) landscape page; every page
carries the title, the legend, the date it was printed and "Page n / N".
"""

from __future__ import annotations

import base64
import dataclasses
import math
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from jalon.reports.gantt import COLOURS, ROW_H, ZOOMS, GanttChart, gantt_layout, render_gantt_svg, render_gantt_svg_pages
from jalon.reports.typography import format_date

CSS_PX_PER_MM = 96 / 25.4
# Landscape sizes in mm, and the page margins (top, right, bottom, left) that hold the running
# title above and the legend and footer below.
PAGE_SIZES_MM = {"A4": (297, 210), "A3": (420, 297)}
MARGINS_MM = (16, 10, 20, 10)
# Below this scale the chart's text would be smaller than ~6 pt on paper.
MIN_SCALE = 0.55
# Below this scale on A4, A3 is used instead (when the paper is not imposed).
A4_MIN_SCALE = 0.8
# A small chart is enlarged to use the paper, up to this factor.
MAX_SCALE = 1.5


class ExportError(ValueError):
    """An export was asked with settings it cannot honour."""


def offline_url_fetcher() -> Any:
    """WeasyPrint's URL fetcher for our documents: they embed everything they need as `data:`
    URIs, so any other URL (a user-written link, a hostile `<img>`) is refused, not fetched."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)


def css_string(text: str) -> SafeString:
    """`text` as a quoted CSS string, safe inside a <style> element (no quote, backslash, line
    break or `<` survives unescaped)."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>\n\r' else c for c in text)
    return mark_safe(f'"{escaped}"')


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _page_row_counts(rows: int, rows_per_page: int) -> list[int]:
    return [min(rows_per_page, rows - first) for first in range(0, max(rows, 1), rows_per_page)]


def _content_px(page_size: str) -> tuple[float, float]:
    width, height = PAGE_SIZES_MM[page_size]
    top, right, bottom, left = MARGINS_MM
    return (width - left - right) * CSS_PX_PER_MM, (height - top - bottom) * CSS_PX_PER_MM


def _fit(chart: GanttChart, page_size: str | None) -> tuple[GanttChart, str, float]:
    """The zoom, paper and scale that print the chart readably: the requested zoom on A4, else
    on A3, else the next coarser zoom (a year at day zoom cannot be read on any paper)."""
    sizes = [page_size] if page_size else ["A4", "A3"]
    zooms = list(ZOOMS[ZOOMS.index(chart.zoom):])
    for zoom in zooms:
        candidate = chart if zoom == chart.zoom else dataclasses.replace(chart, zoom=zoom)
        width = gantt_layout(candidate).width
        for size in sizes:
            scale = min(MAX_SCALE, _content_px(size)[0] / width)
            # A4 is handier, but not at the price of text much smaller than on A3.
            enough = MIN_SCALE if size == sizes[-1] else A4_MIN_SCALE
            if scale >= enough or (zoom == zooms[-1] and size == sizes[-1]):
                return candidate, size, scale
    raise AssertionError("unreachable: the last zoom and size always fit")


def gantt_pdf(chart: GanttChart, *, page_size: str | None = None, printed_on: date | None = None) -> bytes:
    """The chart as a landscape PDF. `page_size` "A4" or "A3" forces the paper; by default A4,
    or A3 when the chart would print too small on A4 (and a coarser zoom when even A3 is too
    narrow). `printed_on` is the date in the footer (default: today)."""
    from weasyprint import HTML

    if page_size is not None and page_size not in PAGE_SIZES_MM:
        raise ExportError(f"page_size must be one of {', '.join(PAGE_SIZES_MM)}, got {page_size!r}")
    fitted, size, scale = _fit(chart, page_size)
    layout = gantt_layout(fitted)
    content_w, content_h = _content_px(size)
    rows_per_page = max(1, math.floor((content_h / scale - layout.header_h - 4) / ROW_H))
    # Each page is an <img> of its own SVG document: sized by one attribute, and the SVG ids of
    # different pages cannot collide.
    # WeasyPrint scales an SVG <img> by its CSS width and height, not by its width attribute.
    svgs = render_gantt_svg_pages(fitted, rows_per_page)
    pages = [
        {"uri": _data_uri(svg), "height": f"{(layout.header_h + max(rows, 1) * ROW_H) * scale:.1f}"}
        for svg, rows in zip(svgs, _page_row_counts(len(layout.rows), rows_per_page))
    ]
    context = {
        "title": chart.title or _("Planning"),
        "page_size": size,
        "margins": " ".join(f"{m}mm" for m in MARGINS_MM),
        "page_label": css_string(_("Page")),
        "scale": f"{scale:.4f}",
        "svg_width": f"{layout.width * scale:.1f}",
        "pages": pages,
        "printed_on": format_date(printed_on or date.today()),
        "zoom_note": "" if fitted.zoom == chart.zoom else _("Échelle adaptée au papier."),
        "colours": COLOURS,
        "today": format_date(chart.today),
    }
    html = render_to_string("reports/gantt_pdf.html", context)
    return HTML(string=html, url_fetcher=offline_url_fetcher()).write_pdf()


def gantt_png(chart: GanttChart, *, scale: float = 1.0) -> bytes:
    """The whole chart as one PNG picture, `scale` times its natural size in pixels."""
    import cairosvg

    if not 0.1 <= scale <= 4:
        raise ExportError(f"scale must be between 0.1 and 4, got {scale}")
    svg = render_gantt_svg(chart)
    # unsafe=False (the default) keeps CairoSVG from resolving external entities or files.
    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale, background_color="white")
