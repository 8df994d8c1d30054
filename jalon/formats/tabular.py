"""Task lists as CSV or XLSX, with French or English headers: `read_tabular(source, name=...)`,
`write_csv(document, language=...)`, `write_xlsx(document, language=...)`. No Django here.

One row per task. Columns (any order, French or English headers, case and accents ignored;
only the name is required):
  N° / ID            the task's id, used by predecessors (default: the row's rank, 1 = first task)
  Phase / Lot / WBS  the phase path, levels separated by " > " ("Conception > Wireframes")
  Nom / Tâche        the task's name
  Charge (j/h)       effort in person-days ("2,5", "2.5 j", "14 h" = 2 days of 7 h)
  Durée              a fixed duration in working days (same units); empty = follows the effort
  Début, Fin         dates (dd/mm/yyyy, or yyyy-mm-dd)
  Prédécesseurs      "3FS+2; 5SS-1; 7" (FS/SS/FF/SF or French FD/DD/FF/DF, lag in days or "h")
  Compétences        "Développement:3, Design UI" (skill, minimum level 1..5, default 1)
  Jalon              oui/non, x, yes/no, 1/0, vrai/faux
  Affectés           people's names, separated by commas
  Début au plus tôt, Fin au plus tard, Priorité (1..5), Description

French Excel CSV is read as Excel writes it: `;` separator, comma decimals, UTF-8 with a BOM
or Windows-1252. Every error names the row (the file's line, or the sheet's row) and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jalon.engine.model import LinkType
from jalon.formats import FormatError
from jalon.formats.plan import (
    DEFAULT_MINUTES_PER_DAY,
    PlanAssignment,
    PlanDocument,
    PlanLink,
    PlanResource,
    PlanTask,
)

PHASE_SEPARATOR = " > "

# Column key -> headers that name it (compared without accents, case, punctuation or units).
HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("n", "no", "numero", "id", "num"),
    "phase": ("phase", "lot", "wbs", "phase lot", "lot phase"),
    "name": ("nom", "tache", "nom de la tache", "name", "task", "task name"),
    "effort": ("charge", "charge jh", "effort", "work", "effort days"),
    "duration": ("duree", "duration"),
    "start": ("debut", "start", "date de debut", "start date"),
    "finish": ("fin", "finish", "end", "date de fin", "finish date", "end date"),
    "predecessors": ("predecesseurs", "predecessors", "dependances", "dependencies"),
    "skills": ("competences", "skills"),
    "milestone": ("jalon", "milestone"),
    "assignees": ("affectes", "affectations", "ressources", "noms des ressources", "resources", "assignees", "resource names"),
    "snet": ("debut au plus tot", "start no earlier than"),
    "deadline": ("fin au plus tard", "date limite", "echeance", "deadline", "finish no later than"),
    "priority": ("priorite", "priority"),
    "description": ("description", "notes", "commentaire"),
}
_KEY_OF = {alias: key for key, aliases in HEADERS.items() for alias in aliases}

# Headers written on export, per language, in column order.
EXPORT_HEADERS = {
    "fr": {"id": "N°", "phase": "Phase", "name": "Nom", "effort": "Charge (j/h)", "duration": "Durée (j)",
           "start": "Début", "finish": "Fin", "predecessors": "Prédécesseurs", "skills": "Compétences",
           "milestone": "Jalon", "assignees": "Affectés", "snet": "Début au plus tôt",
           "deadline": "Fin au plus tard", "priority": "Priorité", "description": "Description"},
    "en": {"id": "ID", "phase": "Phase", "name": "Name", "effort": "Effort (days)", "duration": "Duration (days)",
           "start": "Start", "finish": "Finish", "predecessors": "Predecessors", "skills": "Skills",
           "milestone": "Milestone", "assignees": "Assignees", "snet": "Start no earlier than",
           "deadline": "Deadline", "priority": "Priority", "description": "Description"},
}
_TRUE = {"oui", "o", "x", "yes", "y", "1", "vrai", "true"}
_FALSE = {"", "non", "n", "no", "0", "faux", "false", "-"}
_LINK_CODES = {"FS": LinkType.FS, "SS": LinkType.SS, "FF": LinkType.FF, "SF": LinkType.SF,
               "FD": LinkType.FS, "DD": LinkType.SS, "DF": LinkType.SF}
_PREDECESSOR = re.compile(
    r"^(?P<id>.+?)\s*(?P<type>FS|SS|FF|SF|FD|DD|DF)?\s*(?:(?P<lag>[+-]\s*\d+(?:[.,]\d+)?)\s*(?P<unit>j|jours?|d|days?|h)?)?$",
    re.IGNORECASE,
)
_QUANTITY = re.compile(r"^(?P<number>-?\d+(?:[.,]\d+)?)\s*(?P<unit>j/h|jh|j|jours?|d|days?|h|heures?|hours?)?$", re.IGNORECASE)
_SKILL = re.compile(r"^(?P<name>.+?)\s*(?:[:=]\s*(?P<level>\d)|\((?P<paren>\d)\))?$")


def normalise_header(text: str) -> str:
    """'Charge (j/h)' -> 'charge jh', 'Début au plus tôt' -> 'debut au plus tot'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\((?:j/h|j|h|jours?(?: ouvres)?|days?)\)", "", text)  # units in brackets name no column
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


# --------------------------------------------------------------------------- reading


@dataclass
class _Cell:
    text: str
    value: object  # the typed value of an XLSX cell (number, date), else the text
    row: int
    column: str  # the header as written


class _RowReader:
    """Turns rows of cells into a PlanDocument, naming the row and column of any error."""

    def __init__(self, where: str, hours_per_day: float) -> None:
        self.where, self.hours_per_day = where, hours_per_day
        self.document = PlanDocument(source=where, minutes_per_day=round(hours_per_day * 60))
        self.path: list[str] = []
        self.phase_count = 0
        self.pending_links: list[tuple[_Cell, str]] = []
        self.resources: dict[str, PlanResource] = {}

    def error(self, cell: _Cell, message: str) -> FormatError:
        return FormatError(self.where, cell.row, f"column « {cell.column} »: {message}")

    def add_row(self, cells: dict[str, _Cell], row: int, rank: int) -> None:
        name = cells.get("name")
        if name is None or not name.text:
            raise FormatError(self.where, row, f"column « {name.column if name else 'Nom'} »: every task needs a name")
        self.enter_phase(cells.get("phase"))
        uid = cells["id"].text if "id" in cells and cells["id"].text else str(rank)
        task = PlanTask(uid=uid, name=name.text, outline_level=len(self.path) + 1, line=row, fixed_duration=False)
        self.read_amounts(task, cells)
        self.read_dates(task, cells)
        if "skills" in cells and cells["skills"].text:
            task.skills = self.skills(cells["skills"])
        if "priority" in cells and cells["priority"].text:
            task.priority = self.priority(cells["priority"])
        if "description" in cells:
            task.notes = cells["description"].text
        self.document.tasks.append(task)
        if "predecessors" in cells and cells["predecessors"].text:
            self.pending_links.append((cells["predecessors"], uid))
        if "assignees" in cells and cells["assignees"].text:
            self.assign(task, cells["assignees"])

    def enter_phase(self, cell: _Cell | None) -> None:
        """Emit a summary task for each phase level that starts at this row."""
        path = [part.strip() for part in (cell.text if cell else "").split(PHASE_SEPARATOR.strip()) if part.strip()]
        common = 0
        while common < min(len(path), len(self.path)) and path[common] == self.path[common]:
            common += 1
        for level in range(common, len(path)):
            self.phase_count += 1
            self.document.tasks.append(PlanTask(uid=f"phase-{self.phase_count}", name=path[level], outline_level=level + 1,
                                                summary=True, line=cell.row if cell else None))
        self.path = path

    def read_amounts(self, task: PlanTask, cells: dict[str, _Cell]) -> None:
        task.milestone = "milestone" in cells and self.flag(cells["milestone"])
        if "effort" in cells and cells["effort"].text:
            task.work_days = self.days(cells["effort"])
        if "duration" in cells and cells["duration"].text:
            task.duration_days, task.fixed_duration = self.days(cells["duration"]), True
        else:
            task.duration_days = task.work_days or 0.0
        if task.milestone and (task.work_days or (task.fixed_duration and task.duration_days)):
            cell = cells.get("effort") if task.work_days else cells.get("duration")
            assert cell is not None
            raise self.error(cell, f"task « {task.name} » is a milestone (jalon) and cannot have effort or duration")

    def read_dates(self, task: PlanTask, cells: dict[str, _Cell]) -> None:
        for key in ("start", "finish"):
            if key in cells and cells[key].text:
                setattr(task, key, dt.datetime.combine(self.date(cells[key]), dt.time()))
        if task.start and task.finish and task.finish < task.start:
            raise self.error(cells["finish"], f"the finish ({task.finish:%d/%m/%Y}) comes before the start ({task.start:%d/%m/%Y})")
        if "snet" in cells and cells["snet"].text:
            task.start_no_earlier_than = self.date(cells["snet"])
        if "deadline" in cells and cells["deadline"].text:
            task.deadline = self.date(cells["deadline"])

    # --- cell values

    def days(self, cell: _Cell) -> float:
        if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
            number, unit = float(cell.value), ""
        else:
            match = _QUANTITY.match(cell.text.replace("\u00a0", " ").strip())
            if not match:
                raise self.error(cell, f"expected a number of days such as 3 or 2,5 (or hours: 14 h), got {cell.text!r}")
            number, unit = float(match["number"].replace(",", ".")), (match["unit"] or "").lower()
        if number < 0:
            raise self.error(cell, f"cannot be negative, got {cell.text!r}")
        return number / self.hours_per_day if unit.startswith("h") else number

    def date(self, cell: _Cell) -> dt.date:
        if isinstance(cell.value, dt.datetime):
            return cell.value.date()
        if isinstance(cell.value, dt.date):
            return cell.value
        text = cell.text.strip()
        for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
            try:
                return dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise self.error(cell, f"expected a date such as 14/02/2030 (day/month/year) or 2030-02-14, got {text!r}")

    def flag(self, cell: _Cell) -> bool:
        text = cell.text.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise self.error(cell, f"expected oui or non (yes/no), got {cell.text!r}")

    def priority(self, cell: _Cell) -> int:
        try:
            value = int(float(cell.text.replace(",", ".")))
        except ValueError:
            value = 0
        if not 1 <= value <= 5:
            raise self.error(cell, f"expected a priority from 1 (low) to 5 (high), got {cell.text!r}")
        return value

    def skills(self, cell: _Cell) -> list[tuple[str, int]]:
        found = []
        for item in filter(None, (part.strip() for part in re.split(r"[,;]", cell.text))):
            match = _SKILL.match(item)
            assert match is not None  # the pattern accepts any non-empty text
            level = int(match["level"] or match["paren"] or 1)
            if not 1 <= level <= 5:
                raise self.error(cell, f"skill level must be 1 to 5, got {item!r}")
            found.append((match["name"].strip(), level))
        return found

    def assign(self, task: PlanTask, cell: _Cell) -> None:
        for name in filter(None, (part.strip() for part in re.split(r"[,;]", cell.text))):
            resource = self.resources.setdefault(name.casefold(), PlanResource(uid=name.casefold(), name=name, line=cell.row))
            self.document.assignments.append(PlanAssignment(task.uid, resource.uid, 1.0, None, cell.row))

    def finish(self) -> PlanDocument:
        known = {t.uid for t in self.document.tasks if not t.summary}
        for cell, successor in self.pending_links:
            for item in filter(None, (part.strip() for part in re.split(r"[,;]", cell.text))):
                self.document.links.append(self.link(cell, item, successor, known))
        self.document.resources = list(self.resources.values())
        self.document.check()
        return self.document

    def link(self, cell: _Cell, item: str, successor: str, known: set[str]) -> PlanLink:
        match = _PREDECESSOR.match(item)
        if not match:
            raise self.error(cell, f"expected predecessors such as 3FS+2 or 5, got {item!r}")
        predecessor = match["id"].strip()
        if predecessor not in known:
            raise self.error(cell, f"no task has the id {predecessor!r} (in {item!r})")
        lag = 0.0
        if match["lag"]:
            lag = float(match["lag"].replace(" ", "").replace(",", "."))
            if (match["unit"] or "").lower().startswith("h"):
                lag /= self.hours_per_day
        return PlanLink(predecessor, successor, _LINK_CODES[(match["type"] or "FS").upper()], lag, cell.row)


def _columns(headers: Sequence[str], where: str, row: int) -> dict[int, str]:
    """Column index -> key; unknown headers are ignored, a repeated one is an error."""
    columns: dict[int, str] = {}
    seen: dict[str, str] = {}
    for index, header in enumerate(headers):
        key = _KEY_OF.get(normalise_header(header or ""))
        if key is None:
            continue
        if key in seen:
            raise FormatError(where, row, f"columns « {seen[key]} » and « {header} » say the same thing: keep one")
        seen[key] = header
        columns[index] = key
    if "name" not in seen:
        raise FormatError(where, row, "no task name column: expected a header such as « Nom » or « Name »")
    return columns


def _read_rows(rows: Iterable[tuple[int, Sequence[object]]], where: str, hours_per_day: float) -> PlanDocument:
    reader = _RowReader(where, hours_per_day)
    columns: dict[int, str] | None = None
    headers: Sequence[str] = ()
    rank = 0
    for row, values in rows:
        texts = ["" if v is None else (v if isinstance(v, str) else str(v)).strip() for v in values]
        if not any(texts):
            continue
        if columns is None:
            headers, columns = texts, _columns(texts, where, row)
            continue
        rank += 1
        cells = {key: _Cell(texts[i] if i < len(texts) else "", values[i] if i < len(values) else None, row, headers[i])
                 for i, key in columns.items()}
        reader.add_row(cells, row, rank)
    if columns is None:
        raise FormatError(where, None, "the file is empty: expected a header row, then one row per task")
    return reader.finish()


def _decode(data: bytes, where: str) -> str:
    """UTF-8 (with or without Excel's BOM), else Windows-1252, what French Excel writes."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as error:
            raise FormatError(where, data[: error.start].count(b"\n") + 1, "the file starts as UTF-8 but has bytes that are not UTF-8") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict") if _is_cp1252(data) else data.decode("latin-1")


def _is_cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"


def read_csv(data: bytes, *, name: str = "CSV", hours_per_day: float = DEFAULT_MINUTES_PER_DAY / 60) -> PlanDocument:
    text = _decode(data, name)
    first = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise FormatError(name, reader.line_num, f"the CSV is malformed: {error}") from None
    return _read_rows(rows, name, hours_per_day)


def read_xlsx(data: bytes, *, name: str = "XLSX", hours_per_day: float = DEFAULT_MINUTES_PER_DAY / 60) -> PlanDocument:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FormatError(name, None, f"not a readable Excel .xlsx file ({error.__class__.__name__}): save it again as .xlsx") from None
    sheet = workbook.worksheets[0]
    rows = [(number, [_xlsx_value(v) for v in values]) for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    workbook.close()
    return _read_rows(rows, f"{name}, sheet « {sheet.title} »", hours_per_day)


def _xlsx_value(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_tabular(source: bytes | str | Path, *, name: str = "", hours_per_day: float = DEFAULT_MINUTES_PER_DAY / 60) -> PlanDocument:
    """Read a `.csv` or `.xlsx` task list (a path, or bytes with `name` giving the suffix)."""
    if isinstance(source, bytes):
        data, where = source, name or "tasks.csv"
    else:
        where = name or str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as error:
            raise FormatError(where, None, f"cannot read the file: {error.strerror}") from None
    if data.startswith(b"PK\x03\x04") or where.lower().endswith(".xlsx"):
        return read_xlsx(data, name=where, hours_per_day=hours_per_day)
    return read_csv(data, name=where, hours_per_day=hours_per_day)


# --------------------------------------------------------------------------- writing


def _task_rows(document: PlanDocument) -> tuple[list[dict[str, object]], list[str]]:
    """One dict per leaf task with typed values (numbers, dates, text), and the column keys used."""
    leaves: list[tuple[PlanTask, str]] = []
    path: list[str] = []
    ids: dict[str, str] = {}
    for task in document.tasks:
        del path[task.outline_level - 1:]
        if task.summary:
            path.append(task.name)
            continue
        ids[task.uid] = str(len(leaves) + 1)
        leaves.append((task, PHASE_SEPARATOR.join(path)))
    links: dict[str, list[PlanLink]] = {}
    for link in document.links:
        links.setdefault(link.successor, []).append(link)
    people = {r.uid: r.name for r in document.resources}
    assignees: dict[str, list[str]] = {}
    for assignment in document.assignments:
        assignees.setdefault(assignment.task, []).append(people.get(assignment.resource, assignment.resource))
    rows = []
    for task, phase in leaves:
        rows.append({
            "id": ids[task.uid], "phase": phase, "name": task.name,
            "effort": task.work_days or 0.0,
            "duration": task.duration_days if task.fixed_duration and not task.milestone else None,
            "start": task.start.date() if task.start else None, "finish": task.finish.date() if task.finish else None,
            "predecessors": "; ".join(_predecessor_text(ids[l.predecessor], l) for l in links.get(task.uid, []) if l.predecessor in ids),
            "skills": ", ".join(f"{name}:{level}" for name, level in task.skills),
            "milestone": task.milestone, "assignees": ", ".join(assignees.get(task.uid, [])),
            "snet": task.start_no_earlier_than, "deadline": task.deadline,
            "priority": task.priority, "description": task.notes,
        })
    return rows, list(EXPORT_HEADERS["fr"])


def _predecessor_text(predecessor_id: str, link: PlanLink) -> str:
    lag = round(link.lag_days, 2)
    lag_text = "" if lag == 0 else f"{lag:+g}"
    return f"{predecessor_id}{LinkType(link.type).value}{lag_text}"


def _csv_value(value: object, language: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("oui" if value else "non") if language == "fr" else ("yes" if value else "no")
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}" if language == "fr" else value.isoformat()
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if language == "fr" else text
    return str(value)


def write_csv(document: PlanDocument, *, language: str = "fr") -> bytes:
    """French: `;`, comma decimals, dd/mm/yyyy, UTF-8 with a BOM so Excel reads the accents.
    English: `,`, dot decimals, ISO dates, UTF-8."""
    rows, keys = _task_rows(document)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if language == "fr" else ",", lineterminator="\r\n")
    writer.writerow([EXPORT_HEADERS[language][k] for k in keys])
    for row in rows:
        writer.writerow([_csv_value(row[k], language) for k in keys])
    prefix = "\ufeff" if language == "fr" else ""
    return (prefix + out.getvalue()).encode("utf-8")


def write_xlsx(document: PlanDocument, *, language: str = "fr") -> bytes:
    """One sheet, typed cells (numbers, dates shown dd/mm/yyyy), a bold frozen header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rows, keys = _task_rows(document)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tâches" if language == "fr" else "Tasks"
    sheet.append([EXPORT_HEADERS[language][k] for k in keys])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([_xlsx_cell(row[k], language) for k in keys])
    for column, key in enumerate(keys, start=1):
        if key in ("start", "finish", "snet", "deadline"):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_cell(value: object, language: str) -> object:
    if isinstance(value, bool):
        return ("oui" if value else "non") if language == "fr" else ("yes" if value else "no")
    return value
