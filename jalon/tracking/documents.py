"""What a status report shows (its frozen snapshot), and the documents built from it: the
status report and the quote as PDF (WeasyPrint, via jalon/reports helpers), the status report
and the portfolio report as XLSX (openpyxl).

A snapshot holds plain JSON: amounts and days as strings of Decimals, dates in ISO format, so a
published report shows the same figures forever, whatever happens to the plan afterwards."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from jalon.people.models import Person
from jalon.planning.selectors import gantt_data, milestone_status, project_calendar
from jalon.planning.models import BaselineTask
from jalon.projects.models import Project, Task
from jalon.reports.export import offline_url_fetcher
from jalon.reports.gantt import GanttChart, render_gantt_svg
from jalon.reports.typography import format_date, format_number
from jalon.tracking import charts, selectors
from jalon.tracking import earned_value as evm
from jalon.tracking.models import Quote, StatusReport

ZERO = Decimal("0")
NEXT_STEPS_DAYS = 14  # "next steps" look two weeks ahead of the period
MAX_LIST = 10
GANTT_BEFORE_DAYS, GANTT_AFTER_DAYS = 14, 42  # the Gantt excerpt: two weeks back, six ahead
PDF_CONTENT_PX = 680  # A4 portrait, 18 mm margins: the width charts are scaled to


def _s(value: Decimal | None, places: str = "0.01") -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal(places)))


def _d(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


# --------------------------------------------------------------------------- snapshot


def report_snapshot(project: Project, start: dt.date, end: dt.date, today: dt.date) -> dict[str, Any]:
    """Every figure a status report shows, computed at the end of `today`."""
    budget = selectors.project_budget(project, today)
    ind = budget.indicators
    milestones = _milestones(project, today)
    late = sum(1 for m in milestones if m["status"] == "late")
    reading = evm.weather(ind.spi, ind.cpi, late)
    forecast_end, baseline_end, slip = _end_dates(project, budget)
    return {
        "status_date": today.isoformat(),
        "currency": project.organisation.currency,
        "indicators": {
            "bac": _s(ind.bac), "pv": _s(ind.pv), "ev": _s(ind.ev), "ac": _s(ind.ac), "sv": _s(ind.sv), "cv": _s(ind.cv),
            "spi": _s(ind.spi, "0.001"), "cpi": _s(ind.cpi, "0.001"), "eac": _s(ind.eac), "etc": _s(ind.etc),
            "vac": _s(ind.vac), "percent_complete": _s(ind.percent_complete, "0.1"),
        },
        "budget": {
            "sold_amount": _s(budget.sold_amount), "sold_days": _s(budget.sold_days), "planned_days": _s(budget.planned_days),
            "planned_cost": _s(budget.planned_cost), "consumed_days": _s(budget.consumed_days), "actual_cost": _s(budget.actual_cost),
            "remaining_days": _s(budget.remaining_days), "forecast_days": _s(budget.forecast_days),
            "forecast_cost": _s(budget.forecast_cost), "margin": _s(budget.margin), "margin_percent": _s(budget.margin_percent, "0.1"),
            "consumed_percent": _s(budget.consumed_percent, "0.1"),
        },
        "phases": [{"name": name or _("(sans phase)"), "pv": _s(i.pv), "ev": _s(i.ev), "ac": _s(i.ac),
                    "spi": _s(i.spi, "0.001"), "cpi": _s(i.cpi, "0.001")} for name, i in budget.phases],
        "weather": {"computed": reading.weather, "reasons": reading.reasons, "late_milestones": late},
        "milestones": milestones,
        "achievements": _achievements(project, start, end),
        "next_steps": _next_steps(project, end, today),
        "risks": [{"title": r.title, "probability": r.probability, "impact": r.impact, "score": r.score, "level": r.level,
                   "owner": r.owner.full_name if r.owner else "", "mitigation": r.mitigation, "status": r.get_status_display()}
                  for r in selectors.project_risks(project, open_only=True)],
        "forecast_end": _iso(forecast_end), "baseline_end": _iso(baseline_end), "slip_days": slip,
        "s_curve": [[p.day.isoformat(), _s(p.pv), _s(p.ev), _s(p.ac)] for p in selectors.s_curve_points(budget)],
        "burn_down": [[p.day.isoformat(), _s(p.ideal), _s(p.actual), _s(p.forecast)] for p in selectors.burn_down(project, today)],
    }


def _milestones(project: Project, today: dt.date) -> list[dict[str, Any]]:
    """Each milestone with its planned date, its baseline date and its status: done, late
    (after its deadline, past without being done, or slipped beyond the baseline), planned."""
    baseline = selectors.latest_baseline(project)
    frozen = dict(BaselineTask.objects.filter(baseline=baseline, task__is_milestone=True).values_list("task_id", "finish")) if baseline else {}
    rows = []
    for task in Task.objects.filter(project=project, is_milestone=True).order_by("finish", "deadline", "order", "pk"):
        status = milestone_status(task, today)
        reference = frozen.get(task.pk)
        if status == "planned" and reference and task.finish and task.finish > reference:
            status = "late"
        rows.append({"name": task.name, "date": _iso(task.finish or task.deadline), "baseline": _iso(reference), "status": status})
    return rows


def _done(task: Task) -> bool:
    return (task.progress is not None and task.progress >= 100) or (not task.is_milestone and task.remaining_days == 0)


def _achievements(project: Project, start: dt.date, end: dt.date) -> list[str]:
    """Tasks finished in the period: done, with their last day logged (or planned finish) in it."""
    from django.db.models import Max

    last = dict(Task.objects.filter(project=project).annotate(last=Max("time_entries__date")).values_list("pk", "last"))
    found = []
    for task in Task.objects.filter(project=project).order_by("finish", "order", "pk"):
        day = last.get(task.pk) or task.finish
        if _done(task) and day and start <= day <= end:
            found.append(_("%(task)s — terminé le %(date)s") % {"task": task.name, "date": format_date(day)})
    return found[:MAX_LIST]


def _next_steps(project: Project, end: dt.date, today: dt.date) -> list[str]:
    horizon = end + dt.timedelta(days=NEXT_STEPS_DAYS)
    tasks = Task.objects.filter(project=project, start__isnull=False, start__lte=horizon).order_by("start", "order", "pk")
    steps = []
    for task in tasks:
        if _done(task) or (task.finish and task.finish < today and not task.is_milestone and task.progress is None):
            continue
        if task.is_milestone:
            steps.append(_("Jalon : %(task)s le %(date)s") % {"task": task.name, "date": format_date(task.finish)})
        else:
            steps.append(_("%(task)s — du %(start)s au %(finish)s") % {"task": task.name, "start": format_date(task.start),
                                                                        "finish": format_date(task.finish)})
    return steps[:MAX_LIST]


def _end_dates(project: Project, budget: selectors.Budget) -> tuple[dt.date | None, dt.date | None, int | None]:
    """Forecast end (last planned finish), baseline end and the slip in working days."""
    forecast = Task.objects.filter(project=project, finish__isnull=False).order_by("-finish").values_list("finish", flat=True).first()
    reference = None
    if budget.baseline is not None:
        reference = BaselineTask.objects.filter(baseline=budget.baseline).order_by("-finish").values_list("finish", flat=True).first()
    if forecast and reference:
        return forecast, reference, project_calendar(project).working_days_between(reference, forecast)
    return forecast, reference, None


# --------------------------------------------------------------------------- charts from a snapshot


def snapshot_s_curve(snapshot: dict[str, Any], dom_id: str = "s-curve") -> str:
    points = [evm.CurvePoint(dt.date.fromisoformat(d), _d(pv) or ZERO, _d(ev), _d(ac)) for d, pv, ev, ac in snapshot.get("s_curve", [])]
    return charts.s_curve_chart(points, today=_date(snapshot.get("status_date")), dom_id=dom_id)


def snapshot_burn_down(snapshot: dict[str, Any], dom_id: str = "burn-down") -> str:
    points = [selectors.BurnPoint(dt.date.fromisoformat(d), _d(i), _d(a), _d(f)) for d, i, a, f in snapshot.get("burn_down", [])]
    return charts.burn_down_chart(points, today=_date(snapshot.get("status_date")), dom_id=dom_id)


def team_workload_chart(project: Project, today: dt.date, weeks: int = 8, dom_id: str = "workload") -> str:
    """The plan de charge of the people assigned to the project, all projects together."""
    from jalon.planning.selectors import workload

    team = {p.full_name for p in Person.objects.filter(assignments__task__project=project).distinct()}
    data = workload(project.organisation, start=today, weeks=weeks)
    rows = [(row.label, [(c.planned, c.capacity) for c in row.cells]) for row in data.people if row.label in team]
    return charts.workload_chart(data.weeks, rows, dom_id=dom_id)


def gantt_excerpt(project: Project, start: dt.date, end: dt.date, today: dt.date) -> str:
    """The Gantt of the tasks around the period (two weeks before, six after), with the baseline."""
    data = gantt_data(project, zoom="week", baseline=selectors.latest_baseline(project), today=today)
    low, high = start - dt.timedelta(days=GANTT_BEFORE_DAYS), end + dt.timedelta(days=GANTT_AFTER_DAYS)
    rows = [r for r in data.chart.rows if r.kind == "phase" or (r.start and r.finish and r.start <= high and r.finish >= low)]
    # A phase stays only when one of its tasks does (the row after it is deeper).
    kept = [r for i, r in enumerate(rows) if r.kind != "phase" or (i + 1 < len(rows) and rows[i + 1].level > r.level)]
    ids = {r.id for r in kept}
    chart: GanttChart = dataclasses.replace(data.chart, rows=kept, links=[l for l in data.chart.links if l.from_id in ids and l.to_id in ids],
                                            dom_id=f"gantt-excerpt-{project.pk}")
    return render_gantt_svg(chart)


# --------------------------------------------------------------------------- PDF


def _img(svg: str, max_width: float = PDF_CONTENT_PX) -> dict[str, str]:
    """An SVG as a data-URI image sized for the page (WeasyPrint sizes an SVG <img> by CSS)."""
    width, height = charts.svg_size(svg)
    scale = min(1.0, max_width / width)
    return {"uri": "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii"),
            "width": f"{width * scale:.1f}", "height": f"{height * scale:.1f}"}


def report_context(report: StatusReport, *, show_costs: bool, today: dt.date) -> dict[str, Any]:
    """What the report page and its PDF show; money only for the agency's people."""
    snapshot = report.snapshot or {}
    return {
        "report": report, "project": report.project, "snap": snapshot, "show_costs": show_costs,
        "weather_label": report.get_weather_display(),
        "s_curve_svg": snapshot_s_curve(snapshot, f"s-curve-{report.pk}") if show_costs else "",
        "burn_down_svg": snapshot_burn_down(snapshot, f"burn-down-{report.pk}"),
        "gantt_svg": gantt_excerpt(report.project, report.period_start, report.period_end, today),
        "reasons": weather_reasons(snapshot),
    }


def weather_reasons(snapshot: dict[str, Any]) -> list[str]:
    """The météo's reasons in words."""
    ind, late = snapshot.get("indicators", {}), snapshot.get("weather", {}).get("late_milestones", 0)
    words = {
        "spi_low": _("avance inférieure au prévu (SPI %(v)s)") % {"v": format_number(_d(ind.get("spi")) or 0, 2)},
        "cpi_low": _("coût supérieur à la valeur produite (CPI %(v)s)") % {"v": format_number(_d(ind.get("cpi")) or 0, 2)},
        "milestone_late": _("%(n)d jalon(s) en retard") % {"n": late},
    }
    return [words[r] for r in snapshot.get("weather", {}).get("reasons", []) if r in words]


def status_report_pdf(report: StatusReport, *, show_costs: bool, today: dt.date) -> bytes:
    from weasyprint import HTML

    context = report_context(report, show_costs=show_costs, today=today)
    for key in ("s_curve_svg", "burn_down_svg", "gantt_svg"):
        context[key.replace("_svg", "_img")] = _img(context[key]) if context[key] else None
    context["printed_on"] = format_date(today)
    html = render_to_string("tracking/report_pdf.html", context)
    return HTML(string=html, url_fetcher=offline_url_fetcher()).write_pdf()


def quote_pdf(quote: Quote) -> bytes:
    from weasyprint import HTML

    lines = list(quote.lines.all())
    html = render_to_string("tracking/quote_pdf.html", {
        "quote": quote, "org": quote.organisation, "lines": lines, "totals": quote.totals(), "project": quote.project,
    })
    return HTML(string=html, url_fetcher=offline_url_fetcher()).write_pdf()


# --------------------------------------------------------------------------- XLSX


def _sheet(workbook, title: str, header: list[str], rows: list[list[Any]]):  # type: ignore[no-untyped-def]
    from openpyxl.styles import Font, PatternFill

    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8F0FC")
    for row in rows:
        sheet.append(row)
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    sheet.freeze_panes = "A2"
    return sheet


def _num(value: str | None) -> float | None:
    # Spreadsheets compute on floats; cents survive the round trip.
    return None if value is None else float(Decimal(value))


def status_report_xlsx(report: StatusReport, *, show_costs: bool) -> bytes:
    from openpyxl import Workbook

    snap = report.snapshot or {}
    ind, bud = snap.get("indicators", {}), snap.get("budget", {})
    workbook = Workbook()
    workbook.remove(workbook.active)
    summary = [
        [_("Projet"), str(report.project)], [_("Période"), f"{format_date(report.period_start)} – {format_date(report.period_end)}"],
        [_("Météo"), report.get_weather_display()], [_("Raison du changement de météo"), report.override_reason],
        [_("Avancement (%)"), _num(ind.get("percent_complete"))], [_("SPI"), _num(ind.get("spi"))], [_("CPI"), _num(ind.get("cpi"))],
        [_("Jours vendus (j/h)"), _num(bud.get("sold_days"))], [_("Jours consommés (j/h)"), _num(bud.get("consumed_days"))],
        [_("Reste à faire (j/h)"), _num(bud.get("remaining_days"))],
        [_("Fin prévue"), format_date(_date(snap.get("forecast_end")))], [_("Fin de référence"), format_date(_date(snap.get("baseline_end")))],
        [_("Glissement (jours ouvrés)"), snap.get("slip_days")],
    ]
    if show_costs:
        summary += [[_("Budget vendu (€ HT)"), _num(bud.get("sold_amount"))], [_("Coût réel (€)"), _num(bud.get("actual_cost"))],
                    [_("Prévision à terminaison (€)"), _num(bud.get("forecast_cost"))], [_("Marge prévue (€)"), _num(bud.get("margin"))],
                    *[[code.upper(), _num(ind.get(code))] for code in ("bac", "pv", "ev", "ac", "sv", "cv", "eac", "etc", "vac")]]
    _sheet(workbook, _("Synthèse"), [_("Indicateur"), _("Valeur")], summary)
    _sheet(workbook, _("Réalisé et à venir"), [_("Réalisé"), _("Prochaines étapes"), _("Décisions attendues")],
           _columns(report.achievements.splitlines(), report.next_steps.splitlines(), report.decisions.splitlines()))
    _sheet(workbook, _("Jalons"), [_("Jalon"), _("Date prévue"), _("Date de référence"), _("Statut")],
           [[m["name"], format_date(_date(m["date"])), format_date(_date(m["baseline"])), MILESTONE_LABELS().get(m["status"], m["status"])]
            for m in snap.get("milestones", [])])
    _sheet(workbook, _("Risques"), [_("Risque"), _("Probabilité"), _("Impact"), _("Criticité (P×I)"), _("Porteur"), _("Plan de réduction"), _("Statut")],
           [[r["title"], r["probability"], r["impact"], r["score"], r["owner"], r["mitigation"], r["status"]] for r in snap.get("risks", [])])
    if show_costs:
        _sheet(workbook, _("Valeur acquise par phase"), [_("Phase"), "PV", "EV", "AC", "SPI", "CPI"],
               [[p["name"], _num(p["pv"]), _num(p["ev"]), _num(p["ac"]), _num(p["spi"]), _num(p["cpi"])] for p in snap.get("phases", [])])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _columns(*lists: list[str]) -> list[list[str]]:
    height = max((len(x) for x in lists), default=0)
    return [[x[i] if i < len(x) else "" for x in lists] for i in range(height)]


def MILESTONE_LABELS() -> dict[str, str]:  # noqa: N802 (a table, translated when read)
    return {"done": _("Atteint"), "late": _("En retard"), "planned": _("Prévu")}


# --------------------------------------------------------------------------- portfolio


def portfolio_line(project: Project, today: dt.date) -> dict[str, Any]:
    """One project's line in the portfolio report (JSON, stored in the job's result)."""
    start = today - dt.timedelta(days=today.weekday())
    snap = report_snapshot(project, start, start + dt.timedelta(days=4), today)
    return {
        "id": project.pk, "name": project.name, "code": project.code, "client": project.client.name if project.client else "",
        "status": project.get_status_display(), "weather": snap["weather"]["computed"],
        "percent_complete": snap["indicators"]["percent_complete"], "spi": snap["indicators"]["spi"], "cpi": snap["indicators"]["cpi"],
        "sold_amount": snap["budget"]["sold_amount"], "forecast_cost": snap["budget"]["forecast_cost"], "margin": snap["budget"]["margin"],
        "sold_days": snap["budget"]["sold_days"], "consumed_days": snap["budget"]["consumed_days"],
        "remaining_days": snap["budget"]["remaining_days"], "forecast_end": snap["forecast_end"], "slip_days": snap["slip_days"],
        "late_milestones": snap["weather"]["late_milestones"],
    }


def portfolio_xlsx(result: dict[str, Any]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    labels = dict(StatusReport.Weather.choices)
    _sheet(workbook, _("Portefeuille"), [
        _("Projet"), _("Client"), _("Statut"), _("Météo"), _("Avancement (%)"), "SPI", "CPI", _("Budget vendu (€ HT)"),
        _("Prévision à terminaison (€)"), _("Marge prévue (€)"), _("Jours vendus"), _("Jours consommés"), _("Reste à faire"),
        _("Fin prévue"), _("Glissement (j ouvrés)"), _("Jalons en retard")],
        [[line["name"], line["client"], line["status"], str(labels.get(line["weather"], line["weather"])), _num(line["percent_complete"]),
          _num(line["spi"]), _num(line["cpi"]), _num(line["sold_amount"]), _num(line["forecast_cost"]), _num(line["margin"]),
          _num(line["sold_days"]), _num(line["consumed_days"]), _num(line["remaining_days"]), format_date(_date(line["forecast_end"])),
          line["slip_days"], line["late_milestones"]] for line in result.get("projects", [])])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

