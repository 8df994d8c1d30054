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
J30_FILE = REPO_ROOT.parent / "shared" / "benchmarks" / "psplib" / "j30" / "j301_1.sm"


def test_help_lists_every_subcommand_with_one_line_each(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    for command in ("serve", "worker", "demo", "migrate", "manage", "solve"):
        assert f"    {command} " in help_text, command


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
