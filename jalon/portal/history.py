"""Change history (who changed what and when) of models owned by other apps.

django-simple-history keeps one "historical" table per tracked model. The models of the specs
and projects apps are registered here, with `app=` pointing at this app, so that their
historical tables live in the portal's migrations and those apps' models.py stay untouched.
The portal's own models declare `HistoricalRecords()` directly (see models.py).

Imported by jalon/portal/models.py: the historical models must exist while Django loads the
models, for migrations and for the signal handlers that write the history rows.
"""

from __future__ import annotations

import simple_history

from jalon.projects.models import Project, Task
from jalon.specs.models import Requirement, Spec, SpecVersion

APP = "jalon.portal"
# Bookkeeping columns left out: `version` (optimistic locking) is bumped with F() expressions,
# which a history INSERT cannot store, and the timestamps only repeat the history's own date.
NOISE_FIELDS = ("created_at", "updated_at", "version")

simple_history.register(Project, app=APP, excluded_fields=list(NOISE_FIELDS))  # budget, dates, manager, status
# Dates, pins, effort, progress; the planner writes dates in bulk and adds the rows of the tasks it
# moved itself (planning/services.py), each run also being a PlanRun row.
simple_history.register(Task, app=APP, excluded_fields=list(NOISE_FIELDS))
simple_history.register(Spec, app=APP, excluded_fields=["created_at"])
simple_history.register(SpecVersion, app=APP, excluded_fields=["created_at"])
simple_history.register(Requirement, app=APP)  # its `version` is the spec version it belongs to
