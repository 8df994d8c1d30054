"""The SVG charts: readable axes, escaped labels, numbers with dots whatever the locale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from jalon.tracking import charts

MONDAY = dt.date(2026, 3, 2)


@pytest.mark.parametrize(("value", "top"), [(0, 1), (3, 5), (12.5, 20), (2250, 2500), (48000, 50000), (1, 1)])
def test_the_axis_top_is_a_round_number_at_or_above_the_largest_value(value, top):
    assert charts.nice_ceiling(value) == top


def test_a_line_chart_escapes_labels_and_writes_numbers_with_dots_in_french():
    chart = charts.LineChart(
        title="<script>alert(1)</script>",
        series=[charts.Series("Réel", "#000000", [(MONDAY, Decimal("12.5")), (MONDAY + dt.timedelta(days=7), Decimal("3.25"))])],
        value_label=charts.days_label, today=MONDAY + dt.timedelta(days=3),
    )
    with translation.override("fr"):
        svg = charts.render_line_chart(chart)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    # 12.5 j/h on an axis topped at 20: 37.5 % down the 200 px plot, which starts at y = 58.
    assert 'd="M86 133 L736 ' in svg
    assert "Aujourd'hui 05/03/2026" in svg.replace("&#x27;", "'")
    assert "12,5\u00a0j/h" in svg  # the tooltip of the first point, in French


def test_an_empty_chart_says_so():
    svg = charts.render_line_chart(charts.LineChart("Vide", [charts.Series("Réel", "#000", [])], charts.days_label))
    assert "Pas encore de données à tracer." in svg


def test_the_workload_chart_marks_overloaded_weeks():
    svg = charts.workload_chart([MONDAY], [("Mona", [(Decimal("6"), Decimal("5"))])])
    assert "120\u00a0%" in svg and "#d9534f" in svg
    assert charts.svg_size(svg)[0] > 0
