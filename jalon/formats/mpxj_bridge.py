"""Read any plan file MPXJ knows (`.mpp`, GanttProject `.gan`, MSPDI, Primavera...) into a
`PlanDocument`, through the `mpxj` package and a Java runtime: `pip install 'jalon[mpxj]'`.

Optional: `mpxj_unavailable()` says why it cannot run here (None when it can). The tests also
use it as the reference reader: what Jalon writes must read the same through MPXJ.

The mapping follows `jalon.formats.mspdi`: the project summary task (ID 0) is not a task,
durations, work and lags are converted to days of the file's minutes per day, and
assignments without a resource are left out.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import threading
from pathlib import Path
from typing import Any

from jalon.engine.model import LinkType
from jalon.formats import FormatError
from jalon.formats.plan import (
    CalendarException,
    PlanAssignment,
    PlanCalendar,
    PlanDocument,
    PlanLink,
    PlanResource,
    PlanTask,
)

_LINK_TYPES = {"FINISH_START": LinkType.FS, "START_START": LinkType.SS, "FINISH_FINISH": LinkType.FF,
               "START_FINISH": LinkType.SF}
_CONSTRAINTS = {
    "AS_SOON_AS_POSSIBLE": "ASAP", "AS_LATE_AS_POSSIBLE": "ALAP", "MUST_START_ON": "MSO", "MUST_FINISH_ON": "MFO",
    "START_NO_EARLIER_THAN": "SNET", "START_NO_LATER_THAN": "SNLT", "FINISH_NO_EARLIER_THAN": "FNET",
    "FINISH_NO_LATER_THAN": "FNLT",
}
_DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
_jvm_lock = threading.Lock()


def mpxj_unavailable() -> str | None:
    """Why MPXJ cannot be used here, in one sentence; None when it can."""
    if importlib.util.find_spec("mpxj") is None or importlib.util.find_spec("jpype") is None:
        return "the mpxj package is not installed (pip install 'jalon[mpxj]')"
    if shutil.which("java") is None:
        return "no Java runtime was found (MPXJ needs java on the PATH)"
    return None


def _start_jvm() -> None:
    import jpype
    import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

    with _jvm_lock:
        if not jpype.isJVMStarted():
            # MPXJ logs through Log4j, which complains on stderr when it has no configuration.
            jpype.startJVM("-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory",
                           convertStrings=True)


def read_with_mpxj(path: str | Path) -> PlanDocument:
    """Read a plan file with MPXJ. Raises FormatError when MPXJ is missing or the file unreadable."""
    where = str(path)
    reason = mpxj_unavailable()
    if reason:
        raise FormatError(where, None, f"cannot read this file type: {reason}")
    _start_jvm()
    import jpype

    from org.mpxj.reader import UniversalProjectReader  # type: ignore[import-not-found]

    try:
        project = UniversalProjectReader().read(str(path))
    except jpype.JException as error:
        raise FormatError(where, None, f"MPXJ could not read the file: {error.message()}") from None
    if project is None:
        raise FormatError(where, None, "MPXJ does not recognise this file as a project plan")
    return _Converter(project, where).document()


def _date_time(value: Any) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(str(value))


def _date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value)[:10])


class _Converter:
    def __init__(self, project: Any, where: str) -> None:
        from org.mpxj import TimeUnit  # type: ignore[import-not-found]

        self.project, self.where, self.days_unit = project, where, TimeUnit.DAYS
        self.properties = project.getProjectProperties()

    def days(self, duration: Any) -> float | None:
        if duration is None:
            return None
        return float(duration.convertUnits(self.days_unit, self.properties).getDuration())

    def document(self) -> PlanDocument:
        props = self.properties
        doc = PlanDocument(
            name=str(props.getProjectTitle() or props.getName() or ""),
            source=self.where,
            start=_date_time(props.getStartDate()),
            finish=_date_time(props.getFinishDate()),
            minutes_per_day=int(props.getMinutesPerDay() or 480),
            minutes_per_week=int(props.getMinutesPerWeek() or 2400),
            days_per_month=int(props.getDaysPerMonth() or 20),
        )
        calendar = self.project.getDefaultCalendar()
        if calendar is not None:
            doc.calendars.append(self.calendar(calendar))
            doc.default_calendar = doc.calendars[0].uid
        tasks = [t for t in self.project.getTasks() if t.getID() is not None and int(t.getID()) != 0
                 and t.getOutlineLevel() is not None and int(t.getOutlineLevel()) > 0]
        doc.tasks = [self.task(t) for t in tasks]
        for task in tasks:
            doc.links.extend(self.links(task))
            doc.assignments.extend(self.assignments(task))
        doc.resources = [PlanResource(str(r.getUniqueID()), str(r.getName())) for r in self.project.getResources()
                         if r.getName() is not None]
        doc.mark_summaries()
        return doc

    def calendar(self, calendar: Any) -> PlanCalendar:
        from java.time import DayOfWeek  # type: ignore[import-not-found]

        weekdays = tuple(i for i, name in enumerate(_DAYS) if calendar.isWorkingDay(getattr(DayOfWeek, name)))
        exceptions = [CalendarException(_date(e.getFromDate()), _date(e.getToDate()), bool(e.getWorking()),  # type: ignore[arg-type]
                                        str(e.getName() or "")) for e in calendar.getCalendarExceptions()]
        return PlanCalendar(uid=str(calendar.getUniqueID()), name=str(calendar.getName() or ""),
                            weekdays=weekdays, exceptions=exceptions)

    def task(self, task: Any) -> PlanTask:
        plan = PlanTask(
            uid=str(task.getUniqueID()),
            name=str(task.getName() or ""),
            outline_level=int(task.getOutlineLevel()),
            outline_number=str(task.getOutlineNumber() or ""),
            summary=bool(task.getSummary()),
            milestone=bool(task.getMilestone()),
            start=_date_time(task.getStart()),
            finish=_date_time(task.getFinish()),
            duration_days=self.days(task.getDuration()) or 0.0,
            work_days=self.days(task.getWork()),
            constraint=_CONSTRAINTS.get(str(task.getConstraintType()), "ASAP"),
            notes=str(task.getNotes() or ""),
        )
        when = _date(task.getConstraintDate())
        if plan.constraint == "SNET":
            plan.start_no_earlier_than = when
        elif plan.constraint == "MSO":
            plan.pinned_start = when
        elif plan.constraint in ("FNLT", "MFO"):
            plan.deadline = when
        deadline = _date(task.getDeadline())
        if deadline is not None:
            plan.deadline = min(deadline, plan.deadline or deadline)
        return plan

    def links(self, task: Any) -> list[PlanLink]:
        return [PlanLink(str(r.getPredecessorTask().getUniqueID()), str(task.getUniqueID()),
                         _LINK_TYPES[str(r.getType().name())], self.days(r.getLag()) or 0.0)
                for r in task.getPredecessors()]

    def assignments(self, task: Any) -> list[PlanAssignment]:
        return [PlanAssignment(str(task.getUniqueID()), str(a.getResource().getUniqueID()),
                               float(a.getUnits() or 100) / 100, self.days(a.getWork()))
                for a in task.getResourceAssignments() if a.getResource() is not None]
