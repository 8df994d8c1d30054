"""`jalon report CODE --format pdf|xlsx|html [--output FILE]`: the weekly status report of a
project, the one the Rapports tab shows, as a file.

The report of the current week is reused when the project has one: a draft gets its figures
and météo computed again (what the manager wrote stays), a published one is left as the client
saw it. Otherwise a draft is created for today's week, as the "Nouveau rapport" button does.
One line on stderr says which; the documents are the tracking app's own (PDF, XLSX, and the
HTML the PDF is printed from, whose charts are embedded so the file opens anywhere).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from jalon.cli_common import check_writable, fail, find_project, note, setup_django, write_output

REPORT_FORMATS = ("pdf", "xlsx", "html")


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("report", help="write the project's weekly status report (PDF, XLSX, HTML)", description=(
        "Write the status report of this week for the project with this code: météo, progress, budget, "
        "milestones, risks, charts. This week's report is reused (a draft gets today's figures again, a "
        "published one stays as published); without one, a draft is created for this week."))
    parser.add_argument("code", metavar="CODE", help="the project's code, e.g. DUR-ECOM")
    parser.add_argument("--format", choices=REPORT_FORMATS, default="pdf", help="document format (default: %(default)s)")
    parser.add_argument("--output", "-o", metavar="FILE",
                        help="where to write (default: rapport-CODE-FRIDAY.ext; '-' for stdout)")
    parser.add_argument("--no-costs", action="store_true",
                        help="leave out money (budget, costs, margin, S-curve), as clients see the report")
    parser.add_argument("--organisation", metavar="NAME",
                        help="the organisation, when several have a project with this code")
    parser.set_defaults(handler=cmd_report)


def weekly_report(project: Any, today: dt.date) -> tuple[Any, str]:
    """This week's report of the project, made ready to print, and one sentence saying which
    it is (reused draft, published, or just created)."""
    from django.utils import timezone

    from jalon.tracking import selectors, services

    start, end = services.report_period(today)
    week = f"the week of {start:%d/%m/%Y} to {end:%d/%m/%Y}"
    report = selectors.project_reports(project).filter(period_start=start).first()
    if report is None:
        report = services.status_report_create(project=project, by=None, today=today)
        return report, f"created a draft report for {week}."
    if report.is_published:
        # Published figures are frozen: the client has read them.
        when = f" on {timezone.localtime(report.published_at):%d/%m/%Y}" if report.published_at else ""
        return report, f"using the report of {week}, published{when} (figures as published)."
    report = services.status_report_refresh(report=report, today=today)
    return report, f"reusing the draft report of {week}, figures and météo computed again today."


def report_html(report: Any, *, show_costs: bool, today: dt.date) -> bytes:
    """The HTML the PDF is printed from (template tracking/report_pdf.html, same context as
    `status_report_pdf`): one self-contained file, styles inline and charts as data URIs."""
    from django.template.loader import render_to_string

    from jalon.reports.typography import format_date
    from jalon.tracking import documents

    context = documents.report_context(report, show_costs=show_costs, today=today)
    for key in ("s_curve_svg", "burn_down_svg", "gantt_svg"):
        context[key.replace("_svg", "_img")] = documents._img(context[key]) if context[key] else None
    context["printed_on"] = format_date(today)
    return render_to_string("tracking/report_pdf.html", context).encode("utf-8")


def report_document(report: Any, fmt: str, *, show_costs: bool, today: dt.date) -> bytes:
    from jalon.tracking import documents

    if fmt == "pdf":
        return documents.status_report_pdf(report, show_costs=show_costs, today=today)
    if fmt == "xlsx":
        return documents.status_report_xlsx(report, show_costs=show_costs)
    return report_html(report, show_costs=show_costs, today=today)


def default_output(project: Any, fmt: str, today: dt.date) -> str:
    """The name the report page's download gives: rapport-<code>-<last day of the week>."""
    from django.utils.text import slugify

    from jalon.tracking.services import report_period

    return f"rapport-{slugify(project.code or project.name)}-{report_period(today)[1]:%Y-%m-%d}.{fmt}"


def _render(project: Any, args: argparse.Namespace, today: dt.date) -> tuple[bytes, str]:
    """The document and the sentence saying which report it is, behind a spinner (a PDF takes
    a second or two)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  transient=True, disable=not sys.stderr.isatty()) as bar:
        bar.add_task(f"Report {project.code} ({args.format.upper()})", total=None)
        report, which = weekly_report(project, today)
        return report_document(report, args.format, show_costs=not args.no_costs, today=today), which


def cmd_report(args: argparse.Namespace) -> int:
    setup_django()
    from django.utils import timezone

    today = timezone.localdate()
    try:
        project = find_project(args.code, args.organisation)
        output = args.output or default_output(project, args.format, today)
        check_writable(output)  # before a draft is created for a file that cannot be written
    except LookupError as error:
        return fail(str(error))
    except OSError as error:
        return fail(f"cannot write {output}: {error.strerror}")
    content, which = _render(project, args, today)
    note(f"{project.code}: {which}")  # stderr, so that `--output -` keeps stdout for the document
    try:
        done = write_output(content, output)
    except OSError as error:
        return fail(f"cannot write {output}: {error.strerror}")
    if done:
        print(done)
    return 0
