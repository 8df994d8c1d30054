"""The SVG Gantt: geometry computed in Python, user text escaped, valid XML at every zoom."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from jalon.reports.gantt import (
    COLOURS,
    PX_PER_DAY,
    ROW_H,
    GanttChart,
    GanttError,
    GanttLink,
    GanttRow,
    gantt_layout,
    render_gantt_svg,
    render_gantt_svg_pages,
)

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
MON = date(2030, 1, 7)  # a Monday, ISO week 2


def plan(**chart: object) -> GanttChart:
    rows = [
        GanttRow("P", "Conception", "phase", 0, date(2030, 1, 7), date(2030, 1, 18)),
        GanttRow(1, "Maquettes", "task", 1, date(2030, 1, 7), date(2030, 1, 11), critical=True, progress=40,
                 assignees=["Mona Graphiste"], baseline_start=date(2030, 1, 7), baseline_finish=date(2030, 1, 9),
                 url="/projets/1/taches/1/"),
        GanttRow(2, "Intégration", "task", 1, date(2030, 1, 14), date(2030, 1, 18), critical=True, late=True),
        GanttRow(3, "Validation", "milestone", 1, date(2030, 1, 18)),
        GanttRow(4, "Recette", "task", 1),
    ]
    links = [GanttLink(1, 2, "FS"), GanttLink(2, 3, "FF")]
    defaults: dict[str, object] = {"today": date(2030, 1, 9), "zoom": "week", "title": "Refonte"}
    return GanttChart(rows, links, **{**defaults, **chart})  # type: ignore[arg-type]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_hostile_labels_and_names_come_out_escaped_and_the_svg_still_parses() -> None:
    script, breakout = "<script>alert(1)</script>", '"><svg onload=alert(2)>'
    rows = [
        GanttRow(1, script, "task", 0, MON, date(2030, 1, 9), assignees=[breakout], url="/t/1/?a=1&b=2"),
        GanttRow(2, breakout, "milestone", 0, date(2030, 1, 10), assignees=[script]),
    ]
    svg = render_gantt_svg(GanttChart(rows, [GanttLink(1, 2)], title=breakout, zoom="day"))
    assert "<script>" not in svg and "<svg onload" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "&quot;&gt;&lt;svg onload=alert(2)&gt;" in svg
    root = parse(svg)
    assert root.get("aria-label") == breakout  # the parser gives back the text, inert
    assert script in texts(root)
    assert not list(root.iter(f"{SVG}script"))
    assert not [e for e in root.iter() if any(name.startswith("onload") for name in e.attrib)]
    assert [a.get("href") for a in root.iter(f"{SVG}a")] == ["/t/1/?a=1&b=2"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:x", "data:text/html,x"])
def test_a_row_refuses_a_url_that_would_run_script(url: str) -> None:
    with pytest.raises(GanttError, match="row 7 .*url"):
        GanttRow(7, "Tâche", url=url)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "epic"}, "kind must be one of phase, task, milestone"),
        ({"start": MON}, "give both start and finish"),
        ({"start": MON, "finish": date(2030, 1, 1)}, "finish 2030-01-01 is before start 2030-01-07"),
        ({"progress": 140}, "progress is a percentage"),
        ({"level": -1}, "level must be an integer"),
        ({"baseline_start": MON}, "give both baseline_start and baseline_finish"),
    ],
)
def test_a_bad_row_is_named_in_the_error(fields: dict[str, object], message: str) -> None:
    with pytest.raises(GanttError, match=f"row 'T1' \\('Maquettes'\\): {re.escape(message)}"):
        GanttRow("T1", "Maquettes", **fields)  # type: ignore[arg-type]


def test_a_chart_names_duplicate_rows_unknown_link_ends_and_bad_settings() -> None:
    row = GanttRow(1, "A", start=MON, finish=MON)
    with pytest.raises(GanttError, match="row id 1 appears twice"):
        GanttChart([row, GanttRow(1, "B")])
    with pytest.raises(GanttError, match=r"link 1 -> 9 \(FS\): no row has id 9"):
        GanttChart([row], [GanttLink(1, 9)])
    with pytest.raises(GanttError, match="type must be one of FS, SS, FF, SF"):
        GanttLink(1, 2, "XX")
    with pytest.raises(GanttError, match="zoom must be one of day, week, month"):
        GanttChart([row], zoom="year")
    with pytest.raises(GanttError, match="dom_id"):
        GanttChart([row], dom_id='x" onload="y')


def test_a_bar_spans_start_to_finish_inclusive_at_the_zooms_scale() -> None:
    for zoom, px in PX_PER_DAY.items():
        layout = gantt_layout(plan(zoom=zoom))
        task = layout.rows[1]
        x0, y, w = (float(v) for v in re.match(r"M([\d.]+) ([\d.]+)h([\d.]+)", task["shape"]).groups())
        assert w == 5 * px  # Monday to Friday inclusive
        assert y == ROW_H + ROW_H / 2 - 6  # second row, centred bar
        milestone = layout.rows[3]["shape"]
        cx = float(re.match(r"M([\d.]+)", milestone).group(1))
        assert cx == x0 + 11 * px + px / 2  # the middle of Friday 18/01


def test_progress_baseline_and_late_outline_are_drawn() -> None:
    layout = gantt_layout(plan(zoom="day"))
    task = layout.rows[1]
    assert float(re.search(r"h(\d+\.?\d*)v12", task["progress"]).group(1)) == 5 * 28 * 0.4
    assert task["progress_fill"] == COLOURS["critical_done"] and task["fill"] == COLOURS["critical"]
    assert "h84v3" in task["baseline"]  # three days at 28 px
    root = parse(render_gantt_svg(plan(zoom="day")))
    outlines = [p for p in root.iter(f"{SVG}path") if p.get("stroke") == COLOURS["late"]]
    assert [p.get("d") for p in outlines] == [layout.rows[2]["shape"]]


def test_tooltips_give_dates_in_french_format() -> None:
    root = parse(render_gantt_svg(plan()))
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert titles[0] == "Refonte"
    assert titles[2] == ("Maquettes\nDu 07/01/2030 au 11/01/2030\nAvancement : 40\u00a0%\nAffectés : Mona Graphiste\n"
                         "Référence : du 07/01/2030 au 09/01/2030\nChemin critique")
    assert any(t.startswith("Validation\nJalon le 18/01/2030") for t in titles)
    assert any(t.startswith("Recette\nNon planifiée") for t in titles)
    assert any("Chemin critique · En retard" in t for t in titles)


def test_time_scale_labels_per_zoom() -> None:
    day = texts(parse(render_gantt_svg(plan(zoom="day"))))
    assert "S02 · janvier 2030" in day and "07/01" in day and day.count("L") >= 2 and "S" in day
    week = texts(parse(render_gantt_svg(plan(zoom="week"))))
    assert {"S02", "S03", "janvier 2030"} <= set(week)
    month = texts(parse(render_gantt_svg(plan(zoom="month"))))
    assert {"janvier", "2030"} <= set(month)


def test_weekends_and_given_holidays_are_shaded_as_runs() -> None:
    holiday = date(2030, 1, 15)
    layout = gantt_layout(plan(zoom="day", non_working={holiday}))
    left = layout.label_w
    assert (left + 8 * 28, 28) in layout.shading  # Tuesday 15/01
    assert (left + 5 * 28, 56) in layout.shading  # the weekend of 12–13/01, one rectangle
    only_fridays = gantt_layout(plan(zoom="day", non_working=lambda d: d.weekday() == 4))
    assert (left + 4 * 28, 28) in only_fridays.shading and (left + 5 * 28, 56) not in only_fridays.shading


def _ends(path: str) -> tuple[tuple[float, float], tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?\d+\.?\d*", path)]
    first = (numbers[0], numbers[1])
    # The path ends with V y then H x: the last two numbers are the arrow's tip.
    return first, (numbers[-1], numbers[-2])


@pytest.mark.parametrize(
    ("kind", "leaves", "enters"),
    [("FS", "right", "left"), ("SS", "left", "left"), ("FF", "right", "right"), ("SF", "left", "right")],
)
def test_each_dependency_type_joins_the_right_edges(kind: str, leaves: str, enters: str) -> None:
    rows = [GanttRow("a", "A", start=date(2030, 1, 7), finish=date(2030, 1, 9)),
            GanttRow("b", "B", start=date(2030, 1, 14), finish=date(2030, 1, 16))]
    layout = gantt_layout(GanttChart(rows, [GanttLink("a", "b", kind)], zoom="day"))
    left = layout.label_w
    edges = {"a": {"left": left, "right": left + 3 * 28}, "b": {"left": left + 7 * 28, "right": left + 10 * 28}}
    (x1, y1), (x2, y2) = _ends(layout.links[0]["d"])
    assert (x1, y1) == (edges["a"][leaves], ROW_H / 2)
    assert (x2, y2) == (edges["b"][enters], ROW_H * 1.5)
    assert "," not in layout.links[0]["d"]  # never a French decimal comma in geometry


def test_a_finish_to_start_link_without_room_goes_round_between_the_rows() -> None:
    rows = [GanttRow("a", "A", start=date(2030, 1, 7), finish=date(2030, 1, 9)),
            GanttRow("b", "B", start=date(2030, 1, 10), finish=date(2030, 1, 11))]
    path = gantt_layout(GanttChart(rows, [GanttLink("a", "b")], zoom="day")).links[0]["d"]
    assert path.count("V") == 2 and f"V{ROW_H}H" in path  # turns in the gap at the row boundary


def test_critical_links_and_today_line_are_drawn_in_red() -> None:
    root = parse(render_gantt_svg(plan()))
    groups = {g.get("stroke"): g for g in root.iter(f"{SVG}g") if g.get("marker-end")}
    assert len(groups[COLOURS["link_critical"]]) == 1  # 1 -> 2, both critical
    assert len(groups[COLOURS["link"]]) == 1  # 2 -> 3, the milestone is not critical
    assert [line.get("stroke") for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")] == [COLOURS["today"]]
    outside = parse(render_gantt_svg(plan(today=date(2031, 1, 1))))
    assert not [line for line in outside.iter(f"{SVG}line") if line.get("stroke-dasharray")]


def test_only_rows_with_a_url_are_links_and_names_follow_the_bar() -> None:
    root = parse(render_gantt_svg(plan()))
    anchors = list(root.iter(f"{SVG}a"))
    assert [(a.get("href"), a.get(f"{XLINK}href")) for a in anchors] == [("/projets/1/taches/1/",) * 2]
    assert any(t.strip() == "Mona Graphiste" for t in texts(root))
    assert any(t.strip() == "18/01" for t in texts(root))  # a milestone shows its date


def test_long_labels_are_cut_to_the_label_column() -> None:
    long = "Intégration des gabarits de la boutique " * 5
    layout = gantt_layout(GanttChart([GanttRow(1, long, start=MON, finish=MON)]))
    assert layout.label_w == 340 and layout.rows[0]["label"].endswith("…")
    assert len(layout.rows[0]["label"]) < len(long)


def test_an_empty_or_unplanned_chart_still_renders() -> None:
    parse(render_gantt_svg(GanttChart([], today=MON)))
    parse(render_gantt_svg(GanttChart([GanttRow(1, "Non planifiée")], zoom="month")))


def test_pages_repeat_the_scale_and_keep_links_that_cross_them() -> None:
    rows = [GanttRow(i, f"Tâche {i}", start=MON, finish=date(2030, 1, 8 + i % 5)) for i in range(10)]
    chart = GanttChart(rows, [GanttLink(0, 9, "SS")], zoom="day")
    pages = render_gantt_svg_pages(chart, 4)
    assert len(pages) == 3
    for number, svg in enumerate(pages, start=1):
        root = parse(svg)
        assert "S02 · janvier 2030" in texts(root)
        assert root.find(f"{SVG}defs/{SVG}clipPath").get("id") == f"gantt-p{number}-body"
        # The 0 -> 9 arrow spans every page; each page draws it, clipped to its band.
        arrows = [g for g in root.iter(f"{SVG}g") if g.get("stroke") == COLOURS["link"]]
        assert len(arrows[0]) == 1
    assert [t for t in texts(parse(pages[2])) if t.startswith("Tâche ")] == ["Tâche 8", "Tâche 9"]
    with pytest.raises(GanttError, match="rows_per_page must be at least 1"):
        render_gantt_svg_pages(chart, 0)
