"""Shared helpers for the engine and format tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]


def benchmarks_dir() -> Path:
    """The shared benchmark folder: $JALON_SHARED/benchmarks, else ../shared/benchmarks beside the repo."""
    shared = Path(os.environ.get("JALON_SHARED", REPO_ROOT.parent / "shared"))
    return shared / "benchmarks"


@pytest.fixture
def benchmarks() -> Path:
    folder = benchmarks_dir()
    if not folder.is_dir():
        pytest.skip(f"benchmark instances not found at {folder} (set JALON_SHARED to the shared folder)")
    return folder
