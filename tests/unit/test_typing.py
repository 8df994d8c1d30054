"""The framework-free core is type-checked (STYLE.md): mypy runs on jalon/engine and jalon/formats
with the settings of pyproject.toml's [tool.mypy]."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_engine_and_formats_type_check() -> None:
    pytest.importorskip("mypy", reason="mypy comes with the dev extra")
    run = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
