"""MS Project XML (MSPDI) reader and writer: `read_mspdi(source) -> PlanDocument`,
`write_mspdi(document) -> bytes`. No Django here.

Reading follows what MPXJ (the reader behind ProjectLibre) makes of a file, so that Jalon and
other tools agree on the same plan:
  * the project summary task (ID 0 or outline level 0) is not a task; null tasks (blank rows)
    are skipped; a task with children is a summary task even without a Summary flag;
  * durations and work (`PT824H0M0S`) become days of the file's `MinutesPerDay` (7 h when the
    file does not say); `LinkLag` is in tenths of a minute whatever its `LagFormat` shows;
  * link types: 0 = FF, 1 = FS, 2 = SF, 3 = SS;
  * constraints: SNET -> start no earlier than, MSO -> pinned start, FNLT and MFO -> deadline,
    and the task's Deadline too (the earlier wins); other constraints are kept by name only;
  * calendars: weekdays from `WeekDays`, exceptions from `Exceptions` (Project 2007 and later)
    and from the older `WeekDay` with `DayType` 0 and a `TimePeriod` (GanttProject writes it);
  * nameless resources (MS Project's UID 0 placeholder) and assignments to no resource
    (`ResourceUID` -65535) are left out.

The parser is defusedxml's: a DTD or an entity declaration is refused, so XML bombs and
external entities never expand. It records the line of each element for error messages.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from jalon.engine.model import LinkType
from jalon.formats import FormatError
from jalon.formats.plan import (
    DEFAULT_MINUTES_PER_DAY,
    CalendarException,
    PlanAssignment,
    PlanCalendar,
    PlanDocument,
    PlanLink,
    PlanResource,
    PlanTask,
)

NAMESPACE = "http://schemas.microsoft.com/project"

LINK_TYPES = {"0": LinkType.FF, "1": LinkType.FS, "2": LinkType.SF, "3": LinkType.SS}
LINK_CODES = {value: key for key, value in LINK_TYPES.items()}
CONSTRAINTS = {"0": "ASAP", "1": "ALAP", "2": "MSO", "3": "MFO", "4": "SNET", "5": "SNLT", "6": "FNET", "7": "FNLT"}
# LagFormat codes whose lag is elapsed (calendar) time or a percentage of the predecessor.
_ELAPSED_FORMATS = {"4", "6", "8", "10", "12", "36", "38", "40", "42", "44"}
_PERCENT_FORMATS = {"19", "20", "51", "52"}
_NO_RESOURCE = "-65535"
# MSPDI weekday numbers (1 = Sunday ... 7 = Saturday) <-> date.weekday() (0 = Monday).
_DAY_TYPE_TO_WEEKDAY = {str(n): (n + 5) % 7 for n in range(1, 8)}
_DURATION = re.compile(
    r"^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


# --------------------------------------------------------------------------- values


def parse_duration(text: str) -> float:
    """Minutes of an XML duration such as `PT7H30M0S` (`P1D` counts 24 hours, as in ISO 8601)."""
    match = _DURATION.match(text.strip())
    if not match or text.strip() in ("P", "PT", "-P"):
        raise ValueError(f"expected a duration such as PT7H0M0S, got {text!r}")
    sign, years, months, days, hours, minutes, seconds = match.groups()
    if years or months:
        raise ValueError(f"durations in years or months are not supported: {text!r}")
    total = float(days or 0) * 1440 + float(hours or 0) * 60 + float(minutes or 0) + float(seconds or 0) / 60
    return -total if sign else total


def format_duration(minutes: float) -> str:
    """`PT7H30M0S` for 450 minutes: hours, minutes and seconds as MS Project writes them."""
    sign = "-" if minutes < 0 else ""
    seconds = round(abs(minutes) * 60)
    return f"{sign}PT{seconds // 3600}H{seconds % 3600 // 60}M{seconds % 60}S"


def _datetime(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.strip()).replace(tzinfo=None)


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text.strip())


def _flag(text: str | None) -> bool:
    return (text or "").strip().lower() in ("1", "true")


# --------------------------------------------------------------------------- XML with lines


class _LineTreeBuilder(ET.TreeBuilder):
    """An ElementTree builder that notes the line where each element starts."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[int, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:  # type: ignore[override]
        element = super().start(tag, attrs)
        assert self.parser is not None
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def _parse_xml(data: bytes, where: str) -> tuple[ET.Element, dict[int, int]]:
    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException:
        raise FormatError(where, parser.parser.CurrentLineNumber, "the file declares a DTD or entities, which "
                          "MS Project XML never needs: refused to protect the server (XML bomb, external entities)") from None
    except ET.ParseError as error:
        line, column = error.position
        raise FormatError(where, line, _explain_parse_error(str(error), column)) from None
    return root, builder.lines


def _explain_parse_error(message: str, column: int) -> str:
    if message.startswith(("no element found", "unclosed token")):
        return "the file ends before its XML is complete: it looks truncated (export it again)"
    if message.startswith("unknown encoding"):
        return f"the XML declares an encoding this reader does not know ({message}); save the file as UTF-8"
    if message.startswith("not well-formed (invalid token)"):
        return (f"invalid character or markup at column {column + 1}; if the file is not UTF-8 "
                "(e.g. Windows-1252 without saying so), save it as UTF-8")
    return f"the XML is not well-formed: {message.split(':')[0]} (column {column + 1})"


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _fields(element: ET.Element) -> dict[str, ET.Element]:
    """Children by local name (the last one wins: MSPDI repeats no scalar field)."""
    return {_local(child.tag): child for child in element}


def _text(fields: dict[str, ET.Element], name: str) -> str | None:
    child = fields.get(name)
    if child is None or child.text is None:
        return None
    text = child.text.strip()
    return text or None


# --------------------------------------------------------------------------- reading


class _Reader:
    def __init__(self, root: ET.Element, lines: dict[int, int], where: str) -> None:
        self.root, self.lines, self.where = root, lines, where
        self.document = PlanDocument(source=where)

    def error(self, element: ET.Element, message: str) -> FormatError:
        return FormatError(self.where, self.lines.get(id(element)), message)

    def value(self, element: ET.Element, fields: dict[str, ET.Element], name: str, convert, default=None):  # type: ignore[no-untyped-def]
        text = _text(fields, name)
        if text is None:
            return default
        try:
            return convert(text)
        except ValueError as error:
            raise FormatError(self.where, self.lines.get(id(fields[name])), f"<{name}>: {error}") from None

    def read(self) -> PlanDocument:
        if _local(self.root.tag) != "Project":
            raise self.error(self.root, f"expected an MS Project XML file (root element <Project>), found <{_local(self.root.tag)}>")
        sections = _fields(self.root)
        self.read_header(sections)
        if "Calendars" in sections:
            self.read_calendars(sections["Calendars"])
        tasks = sections.get("Tasks")
        links: list[tuple[ET.Element, str]] = []
        if tasks is not None:
            links = self.read_tasks(tasks)
        self.read_links(links)
        if "Resources" in sections:
            self.read_resources(sections["Resources"])
        if "Assignments" in sections:
            self.read_assignments(sections["Assignments"])
        self.document.mark_summaries()
        self.document.check()
        return self.document

    def read_header(self, fields: dict[str, ET.Element]) -> None:
        doc = self.document
        doc.name = _text(fields, "Title") or _text(fields, "Name") or ""
        doc.start = self.value(self.root, fields, "StartDate", _datetime)
        doc.finish = self.value(self.root, fields, "FinishDate", _datetime)
        minutes = self.value(self.root, fields, "MinutesPerDay", float, DEFAULT_MINUTES_PER_DAY)
        if minutes <= 0:
            raise FormatError(self.where, self.lines.get(id(fields["MinutesPerDay"])), f"<MinutesPerDay> must be positive, got {minutes:g}")
        doc.minutes_per_day = int(minutes)
        doc.minutes_per_week = int(self.value(self.root, fields, "MinutesPerWeek", float, 5 * minutes))
        doc.days_per_month = int(self.value(self.root, fields, "DaysPerMonth", float, 20))
        doc.default_calendar = _text(fields, "CalendarUID")

    # --- calendars

    def read_calendars(self, section: ET.Element) -> None:
        explicit: dict[str, dict[int, bool]] = {}
        for element in section:
            if _local(element.tag) != "Calendar":
                continue
            calendar, days = self.read_calendar(element)
            self.document.calendars.append(calendar)
            explicit[calendar.uid] = days
        by_uid = {c.uid: c for c in self.document.calendars}
        for calendar in self.document.calendars:
            calendar.weekdays = tuple(sorted(d for d, working in self._resolve_days(calendar, explicit, by_uid).items() if working))

    def _resolve_days(self, calendar: PlanCalendar, explicit: dict[str, dict[int, bool]],
                      by_uid: dict[str, PlanCalendar], depth: int = 0) -> dict[int, bool]:
        """Weekdays a calendar does not define come from its base calendar (resource calendars)."""
        days = {d: d < 5 for d in range(7)}
        base = by_uid.get(calendar.base_uid or "")
        if base is not None and base is not calendar and depth < 10:
            days.update(self._resolve_days(base, explicit, by_uid, depth + 1))
        days.update(explicit.get(calendar.uid, {}))
        return days

    def read_calendar(self, element: ET.Element) -> tuple[PlanCalendar, dict[int, bool]]:
        fields = _fields(element)
        uid = _text(fields, "UID")
        if uid is None:
            raise self.error(element, "<Calendar> without <UID>")
        base = _text(fields, "BaseCalendarUID")
        calendar = PlanCalendar(uid=uid, name=_text(fields, "Name") or "", base_uid=base if base not in (None, "-1") else None)
        days: dict[int, bool] = {}
        periods: list[tuple[dt.time, dt.time]] = []
        for day in fields["WeekDays"] if "WeekDays" in fields else ():
            self.read_week_day(day, calendar, days, periods)
        if periods:
            calendar.periods = tuple(periods)
        for exception in fields["Exceptions"] if "Exceptions" in fields else ():
            calendar.exceptions.append(self.read_exception(exception))
        return calendar, days

    def read_week_day(self, element: ET.Element, calendar: PlanCalendar, days: dict[int, bool],
                      periods: list[tuple[dt.time, dt.time]]) -> None:
        fields = _fields(element)
        day_type, working = _text(fields, "DayType"), _flag(_text(fields, "DayWorking"))
        if day_type == "0":  # pre-2007 exception: a TimePeriod with DayWorking
            first, last = self.time_period(element, fields)
            calendar.exceptions.append(CalendarException(first, last, working))
            return
        if day_type not in _DAY_TYPE_TO_WEEKDAY:
            raise self.error(element, f"<WeekDay>: <DayType> must be 0 to 7, got {day_type!r}")
        days[_DAY_TYPE_TO_WEEKDAY[day_type]] = working
        if working and not periods and "WorkingTimes" in fields:
            periods.extend(self.working_times(fields["WorkingTimes"]))

    def working_times(self, element: ET.Element) -> list[tuple[dt.time, dt.time]]:
        found = []
        for period in element:
            fields = _fields(period)
            start = self.value(period, fields, "FromTime", _time)
            end = self.value(period, fields, "ToTime", _time)
            if start is not None and end is not None:
                found.append((start, end))
        return found

    def time_period(self, element: ET.Element, fields: dict[str, ET.Element]) -> tuple[dt.date, dt.date]:
        period = fields.get("TimePeriod")
        if period is None:
            raise self.error(element, "calendar exception without <TimePeriod>")
        inner = _fields(period)
        first = self.value(period, inner, "FromDate", _datetime)
        last = self.value(period, inner, "ToDate", _datetime)
        if first is None or last is None:
            raise self.error(period, "<TimePeriod> needs <FromDate> and <ToDate>")
        if last < first:
            raise self.error(period, f"<TimePeriod> ends ({last:%Y-%m-%d}) before it starts ({first:%Y-%m-%d})")
        return first.date(), last.date()

    def read_exception(self, element: ET.Element) -> CalendarException:
        fields = _fields(element)
        first, last = self.time_period(element, fields)
        return CalendarException(first, last, _flag(_text(fields, "DayWorking")), _text(fields, "Name") or "")

    # --- tasks and links

    def read_tasks(self, section: ET.Element) -> list[tuple[ET.Element, str]]:
        links: list[tuple[ET.Element, str]] = []
        for element in section:
            if _local(element.tag) != "Task":
                continue
            fields = _fields(element)
            uid = _text(fields, "UID")
            if uid is None:
                raise self.error(element, "<Task> without <UID>")
            if _flag(_text(fields, "IsNull")):
                continue
            if _text(fields, "ID") == "0" or _text(fields, "OutlineLevel") == "0":
                # The project summary task: its name names the project when the header does not.
                self.document.name = self.document.name or (_text(fields, "Name") or "")
                continue
            self.document.tasks.append(self.read_task(element, fields, uid))
            links.extend((child, uid) for child in element if _local(child.tag) == "PredecessorLink")
        return links

    def read_task(self, element: ET.Element, fields: dict[str, ET.Element], uid: str) -> PlanTask:
        per_day = self.document.minutes_per_day
        days = lambda text: parse_duration(text) / per_day  # noqa: E731
        task = PlanTask(
            uid=uid,
            name=_text(fields, "Name") or "",
            outline_level=self.value(element, fields, "OutlineLevel", int, 1),
            outline_number=_text(fields, "OutlineNumber") or _text(fields, "WBS") or "",
            summary=_flag(_text(fields, "Summary")),
            milestone=_flag(_text(fields, "Milestone")),
            start=self.value(element, fields, "Start", _datetime),
            finish=self.value(element, fields, "Finish", _datetime),
            duration_days=self.value(element, fields, "Duration", days, 0.0),
            work_days=self.value(element, fields, "Work", days),
            notes=(fields["Notes"].text or "").strip() if "Notes" in fields else "",
            line=self.lines.get(id(element)),
        )
        priority = self.value(element, fields, "Priority", int)
        if priority is not None:
            task.priority = min(5, max(1, round(priority / 250) + 1))  # 0..1000 -> 1..5, 500 -> 3
        self.read_constraints(element, fields, task)
        return task

    def read_constraints(self, element: ET.Element, fields: dict[str, ET.Element], task: PlanTask) -> None:
        task.constraint = CONSTRAINTS.get(_text(fields, "ConstraintType") or "0", "ASAP")
        when = self.value(element, fields, "ConstraintDate", _datetime)
        if when is not None:
            if task.constraint == "SNET":
                task.start_no_earlier_than = when.date()
            elif task.constraint == "MSO":
                task.pinned_start = when.date()
            elif task.constraint in ("FNLT", "MFO"):
                task.deadline = when.date()
        deadline = self.value(element, fields, "Deadline", _datetime)
        if deadline is not None:
            task.deadline = min(deadline.date(), task.deadline or deadline.date())

    def read_links(self, links: Iterable[tuple[ET.Element, str]]) -> None:
        durations = {t.uid: t.duration_days for t in self.document.tasks}
        for element, successor in links:
            fields = _fields(element)
            predecessor = _text(fields, "PredecessorUID")
            if predecessor is None:
                raise self.error(element, f"<PredecessorLink> of task UID {successor} without <PredecessorUID>")
            if _flag(_text(fields, "CrossProject")):
                self.document.warnings.append(f"task UID {successor}: link to another project's task left out")
                continue
            kind = _text(fields, "Type") or "1"
            if kind not in LINK_TYPES:
                raise self.error(element, f"<PredecessorLink> of task UID {successor}: <Type> must be 0 (FF), 1 (FS), 2 (SF) or 3 (SS), got {kind!r}")
            tenths = self.value(element, fields, "LinkLag", float, 0.0)
            lag = self._lag_days(tenths, _text(fields, "LagFormat") or "7", durations.get(predecessor, 0.0), successor)
            self.document.links.append(PlanLink(predecessor, successor, LINK_TYPES[kind], lag, self.lines.get(id(element))))

    def _lag_days(self, tenths: float, lag_format: str, predecessor_days: float, successor: str) -> float:
        minutes = tenths / 10
        if lag_format in _PERCENT_FORMATS:
            self.document.warnings.append(f"task UID {successor}: a lag in percent became working days")
            return predecessor_days * minutes / 100
        if lag_format in _ELAPSED_FORMATS:
            # Elapsed time counts weekends: scale calendar days to working days (5 of 7).
            self.document.warnings.append(f"task UID {successor}: an elapsed lag became working days")
            return minutes / 1440 * 5 / 7
        return minutes / self.document.minutes_per_day

    # --- resources and assignments

    def read_resources(self, section: ET.Element) -> None:
        kinds = {"0": "material", "1": "work", "2": "cost"}
        for element in section:
            if _local(element.tag) != "Resource":
                continue
            fields = _fields(element)
            uid, name = _text(fields, "UID"), _text(fields, "Name")
            if uid is None:
                raise self.error(element, "<Resource> without <UID>")
            if name is None or _flag(_text(fields, "IsNull")):
                continue
            self.document.resources.append(PlanResource(
                uid=uid,
                name=name,
                kind=kinds.get(_text(fields, "Type") or "1", "work"),
                max_units=self.value(element, fields, "MaxUnits", float, 1.0),
                email=_text(fields, "EmailAddress") or "",
                initials=_text(fields, "Initials") or "",
                line=self.lines.get(id(element)),
            ))

    def read_assignments(self, section: ET.Element) -> None:
        tasks = {t.uid for t in self.document.tasks}
        resources = {r.uid for r in self.document.resources}
        per_day = self.document.minutes_per_day
        for element in section:
            if _local(element.tag) != "Assignment":
                continue
            fields = _fields(element)
            task, resource = _text(fields, "TaskUID"), _text(fields, "ResourceUID")
            if task is None or resource is None:
                raise self.error(element, "<Assignment> needs <TaskUID> and <ResourceUID>")
            if resource == _NO_RESOURCE or (resource not in resources and resource == "0"):
                continue  # no resource, or MS Project's nameless placeholder
            if task not in tasks and task == "0":
                continue  # the project summary task
            units = self.value(element, fields, "Units", float, 1.0)
            work = self.value(element, fields, "Work", lambda t: parse_duration(t) / per_day)
            self.document.assignments.append(PlanAssignment(task, resource, units, work, self.lines.get(id(element))))


def read_mspdi(source: bytes | str | Path, *, name: str = "") -> PlanDocument:
    """Read an MSPDI file (a path, or its bytes with `name` for messages). Raises FormatError
    naming the file, the line and the element at fault."""
    if isinstance(source, bytes):
        data, where = source, name or "MS Project XML"
    else:
        path = Path(source)
        where = name or str(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise FormatError(where, None, f"cannot read the file: {error.strerror}") from None
    if not data.strip():
        raise FormatError(where, None, "the file is empty")
    root, lines = _parse_xml(data, where)
    return _Reader(root, lines, where).read()


# --------------------------------------------------------------------------- writing


def _add(parent: ET.Element, tag: str, value: object) -> ET.Element:
    child = ET.SubElement(parent, tag)
    child.text = value if isinstance(value, str) else str(value)
    return child


def _stamp(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S")


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if not float(value).is_integer() else str(int(value))


def write_mspdi(document: PlanDocument) -> bytes:
    """The document as MSPDI bytes (UTF-8), in the element order of MS Project's schema."""
    root = ET.Element("Project", {"xmlns": NAMESPACE})
    _write_header(root, document)
    calendars = ET.SubElement(root, "Calendars")
    for calendar in document.calendars:
        _write_calendar(calendars, calendar)
    children = document.children()
    tasks = ET.SubElement(root, "Tasks")
    links_of: dict[str, list] = {}
    for link in document.links:
        links_of.setdefault(link.successor, []).append(link)
    for number, task in enumerate(document.tasks, start=1):
        _write_task(tasks, task, number, task.uid in children, links_of.get(task.uid, ()), document)
    resources = ET.SubElement(root, "Resources")
    for number, resource in enumerate(document.resources, start=1):
        _write_resource(resources, resource, number)
    assignments = ET.SubElement(root, "Assignments")
    index = document.task_index()
    for number, assignment in enumerate(document.assignments, start=1):
        _write_assignment(assignments, assignment, number, index.get(assignment.task), document.minutes_per_day)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"


def _write_header(root: ET.Element, document: PlanDocument) -> None:
    calendar = document.calendar()
    day_start = calendar.periods[0][0] if calendar else dt.time(9)
    day_end = calendar.periods[-1][1] if calendar else dt.time(18)
    _add(root, "SaveVersion", 14)
    _add(root, "Name", document.name)
    _add(root, "Title", document.name)
    _add(root, "ScheduleFromStart", 1)
    if document.start:
        _add(root, "StartDate", _stamp(document.start))
    if document.finish:
        _add(root, "FinishDate", _stamp(document.finish))
    if calendar:
        _add(root, "CalendarUID", calendar.uid)
    _add(root, "DefaultStartTime", day_start.strftime("%H:%M:%S"))
    _add(root, "DefaultFinishTime", day_end.strftime("%H:%M:%S"))
    _add(root, "MinutesPerDay", document.minutes_per_day)
    _add(root, "MinutesPerWeek", document.minutes_per_week)
    _add(root, "DaysPerMonth", document.days_per_month)
    _add(root, "DurationFormat", 7)  # days
    _add(root, "WorkFormat", 3)  # days


def _write_calendar(parent: ET.Element, calendar: PlanCalendar) -> None:
    element = ET.SubElement(parent, "Calendar")
    _add(element, "UID", calendar.uid)
    _add(element, "Name", calendar.name)
    _add(element, "IsBaseCalendar", 0 if calendar.base_uid else 1)
    _add(element, "BaseCalendarUID", calendar.base_uid or -1)
    weekdays = ET.SubElement(element, "WeekDays")
    for day_type, weekday in sorted(_DAY_TYPE_TO_WEEKDAY.items()):
        day = ET.SubElement(weekdays, "WeekDay")
        _add(day, "DayType", day_type)
        working = weekday in calendar.weekdays
        _add(day, "DayWorking", int(working))
        if working:
            _write_periods(day, calendar.periods)
    if calendar.exceptions:
        exceptions = ET.SubElement(element, "Exceptions")
        for exception in calendar.exceptions:
            _write_exception(exceptions, exception, calendar.periods)


def _write_periods(parent: ET.Element, periods: Iterable[tuple[dt.time, dt.time]]) -> None:
    times = ET.SubElement(parent, "WorkingTimes")
    for start, end in periods:
        period = ET.SubElement(times, "WorkingTime")
        _add(period, "FromTime", start.strftime("%H:%M:%S"))
        _add(period, "ToTime", end.strftime("%H:%M:%S"))


def _write_exception(parent: ET.Element, exception: CalendarException, periods: Iterable[tuple[dt.time, dt.time]]) -> None:
    element = ET.SubElement(parent, "Exception")
    _add(element, "EnteredByOccurrences", 0)
    period = ET.SubElement(element, "TimePeriod")
    _add(period, "FromDate", f"{exception.first:%Y-%m-%d}T00:00:00")
    _add(period, "ToDate", f"{exception.last:%Y-%m-%d}T23:59:00")
    _add(element, "Occurrences", 1)
    _add(element, "Name", exception.name)
    _add(element, "Type", 1)  # daily, over the period
    _add(element, "DayWorking", int(exception.working))
    if exception.working:
        _write_periods(element, periods)


def _write_task(parent: ET.Element, task: PlanTask, number: int, has_children: bool,
                links: Iterable[PlanLink], document: PlanDocument) -> None:
    per_day = document.minutes_per_day
    element = ET.SubElement(parent, "Task")
    _add(element, "UID", task.uid)
    _add(element, "ID", number)
    _add(element, "Name", task.name)
    _add(element, "Type", 1 if task.fixed_duration else 0)  # fixed duration, or fixed units
    _add(element, "IsNull", 0)
    _add(element, "WBS", task.outline_number)
    _add(element, "OutlineNumber", task.outline_number)
    _add(element, "OutlineLevel", task.outline_level)
    _add(element, "Priority", ((task.priority or 3) - 1) * 250)
    if task.start:
        _add(element, "Start", _stamp(task.start))
    if task.finish:
        _add(element, "Finish", _stamp(task.finish))
    _add(element, "Duration", format_duration(task.duration_days * per_day))
    _add(element, "DurationFormat", 7)
    _add(element, "Work", format_duration((task.work_days or 0) * per_day))
    _add(element, "Milestone", int(task.milestone))
    _add(element, "Summary", int(task.summary or has_children))
    _write_constraint(element, task, document)
    if task.notes:
        _add(element, "Notes", task.notes)
    for link in links:
        _write_link(element, link, per_day)


def _write_constraint(element: ET.Element, task: PlanTask, document: PlanDocument) -> None:
    calendar = document.calendar()
    day_start = calendar.periods[0][0] if calendar else dt.time(9)
    day_end = calendar.periods[-1][1] if calendar else dt.time(18)
    if task.pinned_start:
        _add(element, "ConstraintType", 2)
        _add(element, "ConstraintDate", _stamp(dt.datetime.combine(task.pinned_start, day_start)))
    elif task.start_no_earlier_than:
        _add(element, "ConstraintType", 4)
        _add(element, "ConstraintDate", _stamp(dt.datetime.combine(task.start_no_earlier_than, day_start)))
    else:
        _add(element, "ConstraintType", 0)
    # Jalon's deadline is soft while planning with people, like MS Project's Deadline field.
    if task.deadline:
        _add(element, "Deadline", _stamp(dt.datetime.combine(task.deadline, day_end)))


def _write_link(parent: ET.Element, link: PlanLink, per_day: int) -> None:
    element = ET.SubElement(parent, "PredecessorLink")
    _add(element, "PredecessorUID", link.predecessor)
    _add(element, "Type", LINK_CODES[LinkType(link.type)])
    _add(element, "CrossProject", 0)
    _add(element, "LinkLag", round(link.lag_days * per_day * 10))
    _add(element, "LagFormat", 7)  # days


def _write_resource(parent: ET.Element, resource: PlanResource, number: int) -> None:
    element = ET.SubElement(parent, "Resource")
    _add(element, "UID", resource.uid)
    _add(element, "ID", number)
    _add(element, "Name", resource.name)
    _add(element, "Type", {"material": 0, "work": 1, "cost": 2}[resource.kind])
    _add(element, "IsNull", 0)
    if resource.initials:
        _add(element, "Initials", resource.initials)
    if resource.email:
        _add(element, "EmailAddress", resource.email)
    _add(element, "MaxUnits", _number(resource.max_units))


def _write_assignment(parent: ET.Element, assignment: PlanAssignment, number: int, task: PlanTask | None, per_day: int) -> None:
    element = ET.SubElement(parent, "Assignment")
    _add(element, "UID", number)
    _add(element, "TaskUID", assignment.task)
    _add(element, "ResourceUID", assignment.resource)
    if task is not None and task.finish:
        _add(element, "Finish", _stamp(task.finish))
    if task is not None and task.start:
        _add(element, "Start", _stamp(task.start))
    _add(element, "Units", _number(assignment.units))
    work = assignment.work_days if assignment.work_days is not None else 0.0
    _add(element, "Work", format_duration(work * per_day))
