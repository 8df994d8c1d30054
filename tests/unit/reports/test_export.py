"""Gantt exports: a paginated landscape PDF with title, legend and footer; a PNG picture."""

from __future__ import annotations

import shutil
import struct
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from jalon.reports.export import ExportError, css_string, gantt_pdf, gantt_png
from jalon.reports.gantt import GanttChart, GanttLink, GanttRow

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
MON = date(2030, 1, 7)


def chart(rows: int = 6, zoom: str = "week", **fields: object) -> GanttChart:
    items = [GanttRow(i, f"Tâche n° {i} & <b>co</b>", start=MON + timedelta(days=i), finish=MON + timedelta(days=i + 4),
                      assignees=["Mona Graphiste"], critical=i % 2 == 0) for i in range(rows)]
    links = [GanttLink(i, i + 1) for i in range(rows - 1)]
    return GanttChart(items, links, today=MON + timedelta(days=3), zoom=zoom, title="Refonte <boulangerie>", **fields)  # type: ignore[arg-type]


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "gantt.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_page_size(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "size.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return next(line for line in info.splitlines() if line.startswith("Page size")).split(":", 1)[1].strip()


@needs_poppler
def test_the_pdf_has_title_legend_footer_and_the_charts_text(tmp_path: Path) -> None:
    data = gantt_pdf(chart(), printed_on=date(2030, 1, 10))
    assert data.startswith(b"%PDF-")
    text = " ".join(pdf_text(data, tmp_path).split())
    assert "Refonte <boulangerie>" in text
    assert "Tâche n° 3 & <b>co</b>" in text and "Mona Graphiste" in text and "S02" in text
    assert "Chemin critique" in text and "Jalon" in text and "Aujourd'hui (10/01/2030)" in text
    assert "Édité le 10/01/2030 avec Jalon" in text and "Page 1 / 1" in text
    assert pdf_page_size(data, tmp_path).startswith("841.89 x 595.2")  # A4 landscape


@needs_poppler
def test_a_long_chart_breaks_into_pages_of_whole_rows(tmp_path: Path) -> None:
    data = gantt_pdf(chart(rows=90), printed_on=date(2030, 1, 10))
    text = pdf_text(data, tmp_path)
    pages = text.split("\f")[:-1]
    assert len(pages) >= 2
    assert all("S02" in page for page in pages)  # the time scale on every page
    assert f"Page {len(pages)} / {len(pages)}" in pages[-1]
    labels = [line.split("&")[0].strip() for page in pages for line in page.splitlines() if "Tâche n°" in line]
    assert labels == [f"Tâche n° {i}" for i in range(90)]  # each row once, in order


@needs_poppler
def test_a_wide_chart_goes_to_a3_then_to_a_coarser_zoom(tmp_path: Path) -> None:
    year = [GanttRow(1, "Maintenance", start=MON, finish=MON + timedelta(days=250))]
    a3 = gantt_pdf(GanttChart(year, zoom="week"))
    assert pdf_page_size(a3, tmp_path).startswith("1190.55 x 841.89")  # A3 landscape
    long = [GanttRow(1, "Maintenance", start=MON, finish=MON + timedelta(days=400))]
    text = " ".join(pdf_text(gantt_pdf(GanttChart(long, zoom="day")), tmp_path).split())
    assert "Échelle adaptée au papier." in text and "février" in text and "2031" in text  # month zoom
    with pytest.raises(ExportError, match="page_size must be one of A4, A3"):
        gantt_pdf(chart(), page_size="Letter")


def test_the_png_is_a_picture_of_the_whole_chart() -> None:
    data = gantt_png(chart())
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert 400 < width < 2000 and 6 * 22 < height < 400
    twice = gantt_png(chart(), scale=2)
    assert struct.unpack(">II", twice[16:24]) == (width * 2, height * 2)
    with pytest.raises(ExportError, match="scale must be between"):
        gantt_png(chart(), scale=0)


def test_css_strings_cannot_break_out_of_the_style_element() -> None:
    assert css_string('Page "x" </style><script>') == '"Page \\22 x\\22  \\3c /style\\3e \\3c script\\3e "'
