"""What the project subcommands of `jalon` share: finding a project by its code, failing in one
sentence, and writing a document to a file or to stdout.

Django is imported inside the functions: `jalon --help` and `jalon solve` must not pay for it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

EXIT_REFUSED = 1  # bad input: unknown project, unwritable output...
STDOUT = "-"  # `--output -` writes the document to stdout


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")
    import django

    django.setup()


def fail(message: str, code: int = EXIT_REFUSED) -> int:
    """Tell the user what went wrong in one sentence on stderr; return the exit code."""
    print(f"jalon: {message}", file=sys.stderr)
    return code


def note(message: str) -> None:
    """One line for the user on stderr, which stays free of the documents written to stdout."""
    print(f"jalon: {message}", file=sys.stderr)


def find_project(code: str, organisation: str | None) -> Any:
    """The project with this code. Codes are unique within an organisation only, so a code two
    organisations use needs `--organisation NAME`. Raises LookupError with the sentence to show."""
    from jalon.projects.models import Project

    projects = Project.objects.filter(code=code).select_related("organisation", "client")
    if organisation:
        projects = projects.filter(organisation__name=organisation)
    found = list(projects[:2])
    if len(found) > 1:
        raise LookupError(f"several organisations have a project {code!r}: say which one with --organisation NAME")
    if not found:
        where = f" in organisation {organisation!r}" if organisation else ""
        raise LookupError(f"no project has the code {code!r}{where}")
    return found[0]


def check_writable(output: str) -> None:
    """Refuse an output path that cannot be written before any work is done (a report created
    for nothing, a long render lost). Raises OSError with the reason in `strerror`."""
    if output == STDOUT:
        return
    target = Path(output)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OSError(21, "it is a folder")
    if not folder.is_dir():
        raise OSError(2, f"the folder {folder} does not exist")
    if not os.access(target if target.exists() else folder, os.W_OK):
        raise OSError(13, "permission denied")


def write_output(content: bytes, output: str) -> str | None:
    """Write the document to `output` (or stdout for '-'). Returns the line to print on stdout
    afterwards, None when the document itself went to stdout."""
    if output == STDOUT:
        sys.stdout.flush()  # whatever text went before comes first
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return None
    Path(output).write_bytes(content)
    # A narrow no-break space groups thousands, as French typography does.
    return f"{output} ({len(content):,} bytes)".replace(",", "\u202f")
