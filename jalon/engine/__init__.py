"""The scheduling engine: framework-free (no Django), plain dataclasses in, one result type out.

Modules: `model` (problem and result types), `calendar` (working days), `cpm` (critical path),
`heuristic` (skill-aware list scheduling), `cpsat` (OR-Tools optimizer), `validate` (independent
checker), `solve` (one entry point for every method).
"""
