"""The `jalon` command line: its help, the Django-free `solve` path, and pass-through options."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jalon.cli import build_parser, main

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("JALON_SHARED", REPO_ROOT.parent / "shared"))
J30_FILE = SHARED / "benchmarks" / "psplib" / "j30" / "j301_1.sm"


EVERY_COMMAND = ("serve", "worker", "demo", "migrate", "manage", "solve", "plan", "import", "export", "report",
                 "backup", "restore")
# Pass-through commands print the usage of what they hand over to.
USAGE_OF = {"worker": "manage db_worker"}


def exit_code(argv: list[str]) -> int:
    """`main`'s exit code, whether it returns it or argparse raises SystemExit (as for --help)."""
    try:
        return main(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1


def listed_commands(help_text: str) -> list[str]:
    """The first word of each line of the commands section of `jalon --help`."""
    section = help_text.split("\n  COMMAND\n", 1)[1]
    return [line.split()[0] for line in section.splitlines() if line.strip()]


def test_help_lists_every_subcommand_with_one_line_each(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # argparse wraps to the terminal: a plain 80-column one
    assert exit_code(["--help"]) == 0
    # A summary wrapped onto a second line would appear here as a word that is not a command.
    assert sorted(listed_commands(capsys.readouterr().out)) == sorted(EVERY_COMMAND)


def test_every_subcommand_answers_help_with_a_usage_line(capsys):
    assert exit_code(["--help"]) == 0
    for command in listed_commands(capsys.readouterr().out):
        assert exit_code([command, "--help"]) == 0, command
        first_line = next(line for line in capsys.readouterr().out.splitlines() if line.strip())
        assert first_line.startswith(f"usage: jalon {USAGE_OF.get(command, command)} "), (command, first_line)


def test_serve_defaults_to_localhost_port_8000():
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.no_worker) == ("127.0.0.1", 8000, False)


def test_an_unknown_subcommand_is_refused_by_name(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["planifier"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'planifier'" in capsys.readouterr().err


@pytest.mark.skipif(not J30_FILE.exists(), reason=f"benchmark file {J30_FILE} is not on this machine")
def test_solve_schedules_a_file_without_importing_django():
    # A fresh interpreter: pytest-django has already imported Django in this one.
    probe = (
        "import sys; from jalon.cli import main; code = main(sys.argv[1:]); "
        "print('DJANGO' if any(m.split('.')[0] == 'django' for m in sys.modules) else 'NO-DJANGO'); "
        "sys.exit(code)"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe, "solve", str(J30_FILE), "--method", "heuristic", "--json"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    *output, marker = run.stdout.strip().splitlines()
    assert marker == "NO-DJANGO"
    assert json.loads("\n".join(output))["makespan"] > 0


def test_manage_passes_its_options_through_to_django(tmp_path):
    env = {**os.environ, "JALON_VAR_DIR": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-m", "jalon.cli", "manage", "check", "--fail-level", "ERROR"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, env=env,
    )
    assert run.returncode == 0, run.stderr
    assert "System check identified no issues" in run.stdout
