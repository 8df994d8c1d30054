"""Use cases of file exchange: import a plan into a project, export a project, back up and
restore a whole organisation. Each runs in one transaction: an import or a restore is all or
nothing, and its errors name the file's line, element, or row and column.

Formats: `.xml` MS Project XML (MSPDI), `.csv` and `.xlsx` task lists, and, with the optional
MPXJ bridge (`pip install 'jalon[mpxj]'` and Java), `.mpp`, GanttProject `.gan` and every
other format MPXJ reads.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jalon.accounts.models import Organisation, User
from jalon.formats import FormatError
from jalon.formats.mspdi import read_mspdi, write_mspdi
from jalon.formats.plan import PlanDocument
from jalon.formats.tabular import read_tabular, write_csv, write_xlsx
from jalon.interop.backup import organisation_backup, organisation_restore  # noqa: F401  (public here)
from jalon.interop.exporting import plan_document_of
from jalon.interop.importing import PlanImporter
from jalon.projects.models import Project

EXPORT_FORMATS = {
    "mspdi": ("xml", "application/vnd.ms-project+xml"),
    "csv": ("csv", "text/csv; charset=utf-8"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("json", "application/json"),
}
IMPORT_SUFFIXES = (".xml", ".csv", ".xlsx", ".mpp", ".mpx", ".gan", ".xer", ".pmxml", ".pp")
MAX_IMPORT_BYTES = 20 * 1024 * 1024  # far above any real plan; protects the server's memory


@dataclass
class ImportReport:
    project: Project
    created_project: bool
    source: str
    phases: int = 0
    tasks: int = 0
    milestones: int = 0
    dependencies: int = 0
    people_created: int = 0
    assignments: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            ngettext("%(n)s phase", "%(n)s phases", self.phases) % {"n": self.phases},
            ngettext("%(n)s tâche", "%(n)s tâches", self.tasks) % {"n": self.tasks},
            ngettext("dont %(n)s jalon", "dont %(n)s jalons", self.milestones) % {"n": self.milestones},
            ngettext("%(n)s dépendance", "%(n)s dépendances", self.dependencies) % {"n": self.dependencies},
            ngettext("%(n)s affectation", "%(n)s affectations", self.assignments) % {"n": self.assignments},
        ]
        text = _("« %(file)s » importé dans %(project)s : %(parts)s.") % {
            "file": self.source, "project": self.project, "parts": ", ".join(parts)}
        if self.people_created:
            text += " " + ngettext("%(n)s collaborateur créé.", "%(n)s collaborateurs créés.", self.people_created) % {
                "n": self.people_created}
        return text


# --------------------------------------------------------------------------- reading files


def _file_bytes(file: str | Path | bytes | IO[bytes], name: str) -> tuple[bytes, str]:
    """The content and the file name of a path, raw bytes or an uploaded file."""
    if isinstance(file, bytes):
        return file, name or "plan"
    if isinstance(file, (str, Path)):
        path = Path(file)
        try:
            if path.stat().st_size > MAX_IMPORT_BYTES:
                raise FormatError(path.name, None, f"the file is larger than {MAX_IMPORT_BYTES // 2**20} MB")
            return path.read_bytes(), name or path.name
        except OSError as error:
            raise FormatError(str(path), None, f"cannot read the file: {error.strerror}") from None
    data = file.read(MAX_IMPORT_BYTES + 1)
    label = name or os.path.basename(getattr(file, "name", "") or "plan")
    if len(data) > MAX_IMPORT_BYTES:
        raise FormatError(label, None, f"the file is larger than {MAX_IMPORT_BYTES // 2**20} MB")
    return data, label


def read_plan(file: str | Path | bytes | IO[bytes], *, name: str = "", hours_per_day: float = 7.0) -> PlanDocument:
    """Any supported plan file as a PlanDocument, chosen by its suffix (MSPDI when in doubt)."""
    data, label = _file_bytes(file, name)
    suffix = Path(label).suffix.lower()
    if suffix in (".csv", ".xlsx"):
        return read_tabular(data, name=label, hours_per_day=hours_per_day)
    if suffix == ".xml" or (suffix == "" and data.lstrip()[:1] == b"<"):
        return read_mspdi(data, name=label)
    if suffix in IMPORT_SUFFIXES:
        return _read_through_mpxj(data, label, suffix)
    raise FormatError(label, None, f"unknown file type {suffix!r}: expected .xml (MS Project), .csv, .xlsx, .mpp or .gan")


def _read_through_mpxj(data: bytes, label: str, suffix: str) -> PlanDocument:
    from jalon.formats.mpxj_bridge import read_with_mpxj

    # MPXJ reads files from disk; the temporary copy keeps the suffix it goes by.
    with tempfile.TemporaryDirectory(prefix="jalon-import-") as folder:
        path = Path(folder) / f"plan{suffix}"
        path.write_bytes(data)
        try:
            document = read_with_mpxj(path)
        except FormatError as error:
            raise FormatError(label, error.line, str(error).split(": ", 1)[-1]) from None
    document.source = label
    document.check()
    return document


# --------------------------------------------------------------------------- import / export


def project_import(
    *,
    organisation: Organisation,
    file: str | Path | bytes | IO[bytes],
    project: Project | None = None,
    by: User | None,
    name: str = "",
    code: str = "",
) -> ImportReport:
    """Import a plan file into `project`, or into a new project named after the file (with
    `code` when given). Raises FormatError, and changes nothing, when anything is wrong."""
    document = read_plan(file, name=name, hours_per_day=float(organisation.hours_per_day))
    if project is not None and project.organisation_id != organisation.pk:
        raise ValueError("the project belongs to another organisation")
    with transaction.atomic():
        created = project is None
        if project is None:
            project = _new_project(organisation, document, by, code)
        counts = PlanImporter(project, document).run()
    report = ImportReport(project=project, created_project=created, source=document.source)
    for item in dataclasses.fields(counts):
        setattr(report, item.name, getattr(counts, item.name))
    return report


def _new_project(organisation: Organisation, document: PlanDocument, by: User | None, code: str) -> Project:
    from django.core.exceptions import ValidationError

    from jalon.projects.services import project_create

    starts = [t.start for t in document.tasks if t.start]
    start = (document.start or min(starts, default=None) or dt.datetime.now()).date()
    manager = by if by is not None and by.role in (User.Role.ADMIN, User.Role.MANAGER) else None
    name = (document.name or Path(document.source).stem or _("Projet importé"))[:200]
    try:
        return project_create(organisation=organisation, name=name, project_type=Project.Type.OTHER,
                              start_date=start, manager=manager, with_template=False, code=code)
    except ValidationError as error:
        raise FormatError(document.source, None, f"cannot create the project « {name} »: {' '.join(error.messages)}") from None


def project_export(*, project: Project, fmt: str) -> bytes:
    """The project's plan as MSPDI, CSV (French Excel), XLSX or JSON (Jalon's plan document)."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: expected one of {', '.join(EXPORT_FORMATS)}")
    document = plan_document_of(project)
    if fmt == "mspdi":
        return write_mspdi(document)
    if fmt == "csv":
        return write_csv(document, language="fr")
    if fmt == "xlsx":
        return write_xlsx(document, language="fr")
    return json.dumps(_plain(dataclasses.asdict(document)), ensure_ascii=False, indent=1, sort_keys=True).encode() + b"\n"


def export_filename(project: Project, fmt: str) -> str:
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in (project.code or project.name)).strip("-") or "projet"
    return f"{stem}.{EXPORT_FORMATS[fmt][0]}"


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k not in ("line", "source")}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value
