"""A `PlanDocument` into a project's breakdown: phases, tasks, skills, dependencies, people and
assignments. Called by `services.project_import` inside its transaction; any error is a
FormatError naming the file's line (or row and column) and nothing stays written.

Decisions:
  * Summary tasks become phases (sub-phases by outline level); a phase with the same name
    under the same parent in the project is reused, so importing a CSV into a project made
    from a template fills its phases. Leaf tasks become tasks, after the existing ones.
  * A zero-duration task, or one the file flags as a milestone, is a milestone (jalon).
  * Effort is the task's work, or the sum of its assignments' work when larger (ProjectLibre
    writes work on assignments only). A file's duration is kept as a fixed duration; a CSV
    row without a duration stays effort-driven.
  * Dates of the file are the plan's dates (`start`/`finish`); lags are whole working days.
  * Links from or to a summary task are carried by its leaf tasks: the ones that end the
    summary (no successor inside it) for a predecessor, the ones that start it for a successor.
  * Resources are matched to the organisation's people by name, or created; material and
    cost resources are left out. Calendars are not imported: plans use the organisation's
    calendar; differences are reported as warnings.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from jalon.accounts.models import Organisation
from jalon.engine.graph import find_cycle
from jalon.engine.model import LinkType
from jalon.formats import FormatError
from jalon.formats.plan import PlanDocument, PlanLink, PlanTask
from jalon.people.models import Person
from jalon.projects.models import Assignment, Dependency, Phase, Project, Task, TaskSkill

_MAX_DAYS = Decimal("99999.99")  # the task fields hold 7 digits, 2 after the point
_BATCH = 500


@dataclass
class ImportCounts:
    phases: int = 0
    tasks: int = 0
    milestones: int = 0
    dependencies: int = 0
    people_created: int = 0
    assignments: int = 0
    warnings: list[str] = field(default_factory=list)


def _whole_days(value: float) -> int:
    """Round half away from zero: a lag of 0.5 day becomes 1, -0.5 becomes -1."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


class PlanImporter:
    def __init__(self, project: Project, document: PlanDocument) -> None:
        self.project, self.document = project, document
        self.where = document.source or "plan"
        self.counts = ImportCounts(warnings=list(document.warnings))
        self.tasks: dict[str, Task] = {}  # plan uid -> created task
        self.leaves_under: dict[str, list[str]] = {}  # summary uid -> its leaf uids

    def error(self, line: int | None, message: str) -> FormatError:
        return FormatError(self.where, line, message)

    def run(self) -> ImportCounts:
        self.document.mark_summaries()
        phase_of = self.create_phases()
        self.create_tasks(phase_of)
        self.create_skills()
        self.create_dependencies()
        self.create_assignments()
        self.compare_calendar()
        return self.counts

    # --- phases

    def create_phases(self) -> dict[str, Phase | None]:
        """Phases for summary tasks; returns each leaf uid's phase (None at the top level)."""
        existing = {(p.parent_id, p.name): p for p in Phase.objects.filter(project=self.project)}
        next_order = max((p.order for p in existing.values()), default=0)
        stack: list[tuple[int, str, Phase]] = []  # (outline level, summary uid, phase)
        phase_of: dict[str, Phase | None] = {}
        for task in self.document.tasks:
            while stack and stack[-1][0] >= task.outline_level:
                stack.pop()
            for _level, uid, _phase in stack:
                self.leaves_under.setdefault(uid, [])
            if not task.summary:
                phase_of[task.uid] = stack[-1][2] if stack else None
                for _level, uid, _phase in stack:
                    self.leaves_under[uid].append(task.uid)
                continue
            parent = stack[-1][2] if stack else None
            name = self.short(task.name or _("Phase sans nom"), task)
            phase = existing.get((parent.pk if parent else None, name))
            if phase is None:
                next_order += 1
                phase = Phase.objects.create(project=self.project, name=name, parent=parent, order=next_order)
                existing[(parent.pk if parent else None, name)] = phase
                self.counts.phases += 1
            stack.append((task.outline_level, task.uid, phase))
            self.leaves_under.setdefault(task.uid, [])
        return phase_of

    def short(self, name: str, task: PlanTask) -> str:
        if len(name) <= 200:
            return name
        self.counts.warnings.append(_("Nom raccourci à 200 caractères : « %(name)s… »") % {"name": name[:60]})
        return name[:200]

    # --- tasks

    def create_tasks(self, phase_of: dict[str, Phase | None]) -> None:
        work_of: dict[str, float] = defaultdict(float)
        for assignment in self.document.assignments:
            work_of[assignment.task] += assignment.work_days or 0.0
        order = max(Task.objects.filter(project=self.project).values_list("order", flat=True), default=0)
        rows: list[tuple[str, Task]] = []
        for plan in self.document.tasks:
            if plan.summary:
                continue
            order += 1
            task = self.task_of(plan, phase_of[plan.uid], order, max(plan.work_days or 0.0, work_of[plan.uid]))
            rows.append((plan.uid, task))
        created = self.bulk_create(Task, [task for _uid, task in rows])
        self.tasks = {uid: task for (uid, _task), task in zip(rows, created)}
        self.counts.tasks = len(created)
        self.counts.milestones = sum(1 for t in created if t.is_milestone)

    def task_of(self, plan: PlanTask, phase: Phase | None, order: int, work: float) -> Task:
        milestone = plan.milestone or (plan.fixed_duration and plan.duration_days == 0)
        start = plan.start.date() if plan.start else None
        finish = plan.finish.date() if plan.finish else None
        if milestone:
            start = finish = finish or start
        task = Task(
            project=self.project,
            phase=phase,
            name=self.short(plan.name or _("Tâche sans nom"), plan),
            order=order,
            effort_days=Decimal(0) if milestone else self.decimal(work, plan, "work"),
            duration_days=self.decimal(plan.duration_days, plan, "duration") if plan.fixed_duration and not milestone else None,
            is_milestone=milestone,
            start_no_earlier_than=plan.start_no_earlier_than,
            deadline=plan.deadline,
            pinned_start=plan.pinned_start,
            priority=plan.priority or 3,
            description=plan.notes,
            start=start,
            finish=finish,
        )
        if plan.constraint in ("ALAP", "SNLT", "FNET"):
            self.counts.warnings.append(_("« %(task)s » : la contrainte %(constraint)s n'existe pas dans Jalon, elle est ignorée.")
                                        % {"task": plan.name, "constraint": plan.constraint})
        try:
            # Foreign keys are excluded: they are set from objects in hand, and checking them
            # would cost one query per task.
            task.full_clean(exclude=["project", "phase"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise self.error(plan.line, f"task {plan.label()}: {' '.join(error.messages)}") from None
        return task

    def decimal(self, days: float, plan: PlanTask, what: str) -> Decimal:
        try:
            value = Decimal(str(round(days, 2)))
        except InvalidOperation:
            raise self.error(plan.line, f"task {plan.label()}: the {what} is not a number") from None
        if value < 0 or value > _MAX_DAYS:
            raise self.error(plan.line, f"task {plan.label()}: the {what} ({days:g} days) must lie between 0 and {_MAX_DAYS} days")
        return value

    def bulk_create(self, model: type, objects: list) -> list:  # type: ignore[type-arg]
        if connection.features.can_return_rows_from_bulk_insert:
            return model._default_manager.bulk_create(objects, batch_size=_BATCH)
        for obj in objects:  # backends that cannot return the new ids
            obj.save()
        return objects

    # --- skills

    def create_skills(self) -> None:
        from jalon.projects.services import ensure_skills

        wanted = [(plan.uid, name, level) for plan in self.document.tasks if plan.uid in self.tasks
                  for name, level in plan.skills]
        if not wanted:
            return
        skills = ensure_skills(self.project.organisation, [name for _uid, name, _level in wanted])
        rows = {(uid, name): TaskSkill(task=self.tasks[uid], skill=skills[name], min_level=level) for uid, name, level in wanted}
        TaskSkill.objects.bulk_create(rows.values(), batch_size=_BATCH)

    # --- dependencies

    def create_dependencies(self) -> None:
        pairs: dict[tuple[str, str], PlanLink] = {}
        for link in self.document.links:
            for predecessor in self.link_ends(link.predecessor, ends=True):
                for successor in self.link_ends(link.successor, ends=False):
                    if predecessor != successor:
                        pairs.setdefault((predecessor, successor), link)
        summary_links = sum(1 for l in self.document.links if l.predecessor in self.leaves_under or l.successor in self.leaves_under)
        if summary_links:
            self.counts.warnings.append(_("%(count)s lien(s) entre phases reportés sur leurs tâches.") % {"count": summary_links})
        self.refuse_cycle(pairs)
        rounded = [link for link in pairs.values() if link.lag_days != _whole_days(link.lag_days)]
        if rounded:
            self.counts.warnings.append(_("%(count)s décalage(s) arrondi(s) au jour ouvré près.") % {"count": len(rounded)})
        created = self.bulk_create(Dependency, [
            Dependency(predecessor=self.tasks[p], successor=self.tasks[s], type=LinkType(link.type).value,
                       lag_days=_whole_days(link.lag_days))
            for (p, s), link in pairs.items()
        ])
        self.counts.dependencies = len(created)

    def link_ends(self, uid: str, *, ends: bool) -> list[str]:
        """A leaf task stands for itself; a summary for its leaves that end (or start) it."""
        if uid not in self.leaves_under:
            return [uid] if uid in self.tasks else []
        leaves = set(self.leaves_under[uid])
        inside = [(l.predecessor, l.successor) for l in self.document.links if l.predecessor in leaves and l.successor in leaves]
        blocked = {p for p, _s in inside} if ends else {s for _p, s in inside}
        return [leaf for leaf in self.leaves_under[uid] if leaf not in blocked]

    def refuse_cycle(self, pairs: Iterable[tuple[str, str]]) -> None:
        cycle = find_cycle(pairs)
        if cycle:
            names = " → ".join(self.tasks[uid].name for uid in cycle)
            raise self.error(None, f"the dependencies form a cycle once phase links are carried by their tasks: {names}")

    # --- people and assignments

    def create_assignments(self) -> None:
        used = {a.resource for a in self.document.assignments if a.task in self.tasks}
        people = self.people_for([r for r in self.document.resources if r.uid in used])
        seen: set[tuple[int, int]] = set()
        rows = []
        for assignment in self.document.assignments:
            task, person = self.tasks.get(assignment.task), people.get(assignment.resource)
            if task is None or person is None or (task.pk, person.pk) in seen:
                continue
            seen.add((task.pk, person.pk))
            rows.append(Assignment(task=task, person=person, pinned=True))
        skipped = sum(1 for a in self.document.assignments if a.task not in self.tasks)
        if skipped:
            self.counts.warnings.append(_("%(count)s affectation(s) sur des phases ignorée(s).") % {"count": skipped})
        self.counts.assignments = len(self.bulk_create(Assignment, rows))

    def people_for(self, resources: list) -> dict[str, Person]:  # type: ignore[type-arg]
        organisation: Organisation = self.project.organisation
        known = {p.full_name.casefold(): p for p in Person.objects.filter(organisation=organisation)}
        found: dict[str, Person] = {}
        for resource in resources:
            if resource.kind != "work":
                self.counts.warnings.append(_("Ressource « %(name)s » (matériel ou coût) ignorée.") % {"name": resource.name})
                continue
            person = known.get(resource.name.strip().casefold())
            if person is None:
                person = self.new_person(organisation, resource)
                known[person.full_name.casefold()] = person
            found[resource.uid] = person
        return found

    def new_person(self, organisation: Organisation, resource) -> Person:  # type: ignore[no-untyped-def]
        first, _sep, last = resource.name.strip().partition(" ")
        capacity = min(Decimal("1"), max(Decimal("0.1"), Decimal(str(round(resource.max_units or 1, 2)))))
        if resource.max_units and resource.max_units > 1:
            self.counts.warnings.append(_("« %(name)s » (%(units)s %%) devient un seul collaborateur à temps plein.")
                                        % {"name": resource.name, "units": round(resource.max_units * 100)})
        person = Person(organisation=organisation, first_name=first[:100], last_name=last[:100], capacity=capacity,
                        email=resource.email if "@" in resource.email else "")
        person.save()
        self.counts.people_created += 1
        return person

    # --- calendar

    def compare_calendar(self) -> None:
        calendar = self.document.calendar()
        if calendar is None:
            return
        organisation = self.project.organisation
        if set(calendar.weekdays) != set(organisation.weekdays):
            self.counts.warnings.append(_("Les jours ouvrés du fichier diffèrent de ceux de l'organisation : "
                                          "le planning suivra ceux de l'organisation."))
        closed = calendar.closed_dates()
        if closed:
            self.counts.warnings.append(_("%(count)s jour(s) chômé(s) du calendrier du fichier non repris : "
                                          "Jalon suit les jours fériés de l'organisation.") % {"count": len(closed)})
