"""The engine and the file formats must run without Django (see STYLE.md)."""

from __future__ import annotations

import json
import subprocess
import sys

from .conftest import REPO_ROOT

PROBE = """
import importlib, json, pkgutil, sys
import jalon.engine, jalon.formats
names = []
for package in (jalon.engine, jalon.formats):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
        names.append(module.name)
print(json.dumps({"modules": names, "django": sorted(m for m in sys.modules if m.split(".")[0] == "django")}))
"""


def test_engine_and_formats_import_without_django() -> None:
    # A fresh interpreter: this test process may already have Django loaded by pytest-django.
    run = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert "jalon.engine.cpm" in report["modules"] and "jalon.formats.psplib" in report["modules"]
    assert report["django"] == [], f"Django was imported: {report['django'][:5]}"
