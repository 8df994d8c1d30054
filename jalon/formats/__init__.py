"""File formats: benchmark readers (PSPLIB, iMOPSE) and, elsewhere in this package, the
import/export formats of Jalon projects. Nothing here imports Django.

Shared here: `FormatError`, the `bounds.csv` reader and `read_instance`, which picks a reader
by file suffix (`.sm` PSPLIB, `.def` iMOPSE).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jalon.engine.model import Problem


class FormatError(ValueError):
    """A file does not follow its format. The message names the file, the line and what was expected."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Bound:
    """One row of a benchmark `bounds.csv` (see shared/benchmarks/README.md)."""

    instance: str
    lower_bound: int
    best_known_upper_bound: int | None
    optimal: bool
    source: str
    critical_path: int | None


_BOUND_COLUMNS = ("instance", "lower_bound", "best_known_upper_bound", "optimal", "source", "critical_path")


def read_bounds(csv_path: str | Path) -> dict[str, Bound]:
    """Read a `bounds.csv` into {instance name: Bound}. Empty cells become None."""
    path = Path(csv_path)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in _BOUND_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise FormatError(path, 1, f"expected the columns {', '.join(_BOUND_COLUMNS)}; missing {', '.join(missing)}")
        bounds: dict[str, Bound] = {}
        for row in reader:
            bound = _bound_of(path, reader.line_num, row)
            bounds[bound.instance] = bound
    return bounds


def _bound_of(path: Path, line: int, row: dict[str, str]) -> Bound:
    def integer(column: str, required: bool) -> int | None:
        text = (row.get(column) or "").strip()
        if not text and not required:
            return None
        try:
            return int(text)
        except ValueError:
            raise FormatError(path, line, f"column {column!r}: expected an integer, got {text!r}") from None

    optimal = (row.get("optimal") or "").strip().lower()
    if optimal not in ("true", "false"):
        raise FormatError(path, line, f"column 'optimal': expected true or false, got {optimal!r}")
    lower = integer("lower_bound", required=True)
    assert lower is not None
    return Bound(
        instance=(row.get("instance") or "").strip(),
        lower_bound=lower,
        best_known_upper_bound=integer("best_known_upper_bound", required=False),
        optimal=optimal == "true",
        source=(row.get("source") or "").strip(),
        critical_path=integer("critical_path", required=False),
    )


def read_instance(path: str | Path) -> Problem:
    """Read a benchmark instance, choosing the reader by suffix: `.sm` (PSPLIB) or `.def` (iMOPSE)."""
    # Imported here because the reader modules import FormatError from this package.
    from jalon.formats.imopse import read_def
    from jalon.formats.psplib import read_sm

    suffix = Path(path).suffix.lower()
    if suffix == ".sm":
        return read_sm(path)
    if suffix == ".def":
        return read_def(path)
    raise FormatError(path, None, f"unknown instance format {suffix!r}: expected .sm (PSPLIB) or .def (iMOPSE)")
