"""The breakdown (découpage) as a tree: phases, sub-phases, tasks and milestones.

Reads: `breakdown_tree` loads the whole tree in a fixed number of queries.
Services: add, rename, move up/down, indent/outdent, delete, the links of a task (required
skills, dependencies, deliverables) and `breakdown_generate`, which builds a starting breakdown
from the project type's template and from the Must requirements of the spec's latest version.

Display order, which gives indent/outdent their meaning: a phase, then its sub-phases (each
with its own content), then its direct tasks; tasks outside any phase come last. So the phase
"above" a task is the last sub-phase of the task's container: indenting moves the task into it,
outdenting moves it up to the container's parent. A phase indents into its previous sibling.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Model, Prefetch, QuerySet
from django.utils.translation import gettext as _

from jalon.accounts.models import User
from jalon.projects.models import (
    Deliverable,
    Dependency,
    Phase,
    Project,
    Task,
    TaskSkill,
    dependency_cycle,
)
from jalon.projects.permissions import AnyUser
from jalon.projects.services import project_apply_template
from jalon.specs.models import Requirement, SpecVersion
from jalon.specs.selectors import latest_spec_version_for

Direction = Literal["up", "down"]


class BreakdownError(ValidationError):
    """A tree operation that cannot be done here (nothing above to indent into...)."""


# --- reading the tree -------------------------------------------------------------------------


@dataclass
class PhaseNode:
    phase: Phase
    depth: int
    children: list[PhaseNode] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Row:
    """One line of the tree as displayed: a phase or a task, at a depth."""

    kind: Literal["phase", "task"]
    item: Phase | Task
    depth: int


@dataclass
class BreakdownTree:
    roots: list[PhaseNode]
    loose_tasks: list[Task]  # tasks outside any phase
    version: SpecVersion | None  # the spec version whose requirements the tasks show

    # Cached: a page asks for the rows and the tasks several times; the tree is not changed
    # once read.
    @cached_property
    def rows(self) -> list[Row]:
        out: list[Row] = []

        def walk(node: PhaseNode) -> None:
            out.append(Row("phase", node.phase, node.depth))
            for child in node.children:
                walk(child)
            out.extend(Row("task", task, node.depth + 1) for task in node.tasks)

        for root in self.roots:
            walk(root)
        out.extend(Row("task", task, 0) for task in self.loose_tasks)
        return out

    @cached_property
    def tasks(self) -> list[Task]:
        return [row.item for row in self.rows if row.kind == "task"]  # type: ignore[misc]


def latest_spec_version(project: Project) -> SpecVersion | None:
    return SpecVersion.objects.filter(spec__project=project).order_by("-number").first()


def task_queryset(project: Project, version: SpecVersion | None) -> QuerySet[Task]:
    """Tasks with their links as model instances, for the editor of one task."""
    requirements = Requirement.objects.filter(version=version) if version else Requirement.objects.none()
    return (
        Task.objects.filter(project=project)
        .prefetch_related(
            Prefetch("skills", queryset=TaskSkill.objects.select_related("skill").order_by("skill__name")),
            Prefetch("predecessor_links", queryset=Dependency.objects.select_related("predecessor__project")),
            Prefetch("deliverables", queryset=Deliverable.objects.order_by("name")),
            Prefetch("requirements", queryset=requirements.order_by("order", "code")),
        )
        .order_by("order", "pk")
    )


# What a row of the tree shows besides the task's own fields: plain values read with
# values_list, because building thousands of model instances (task → link → predecessor →
# project) was most of the time of a 1,000-task page.


@dataclass(frozen=True)
class Need:
    skill: str
    min_level: int
    headcount: int


@dataclass(frozen=True)
class After:
    name: str
    project: str  # empty when the predecessor is in the same project
    type: str
    lag_days: int

    @property
    def short(self) -> str:
        """French link codes as in MS Project fr (FD, DD, FF, DF) with the lag; empty for a plain FS."""
        if self.type == Dependency.Type.FS and not self.lag_days:
            return ""
        code = {"FS": "FD", "SS": "DD", "FF": "FF", "SF": "DF"}[self.type]
        return f"{code}{self.lag_days:+d}" if self.lag_days else code


@dataclass(frozen=True)
class Covered:
    code: str
    title: str


ROW_FIELDS = ("id", "project_id", "phase_id", "name", "order", "effort_days", "duration_days", "is_milestone",
              "start_no_earlier_than", "deadline", "version")


def annotate_rows(tasks: list[Task], project: Project, version: SpecVersion | None) -> list[Task]:
    """Attach `needs`, `after`, `produces` and `covers` to each task, in four queries."""
    by_id = {task.pk: task for task in tasks}
    for task in tasks:
        task.needs, task.after, task.produces, task.covers = [], [], [], []  # type: ignore[attr-defined]
    for task_id, skill, level, headcount in (
        TaskSkill.objects.filter(task__project=project).order_by("skill__name")
        .values_list("task_id", "skill__name", "min_level", "headcount")
    ):
        if task_id in by_id:
            by_id[task_id].needs.append(Need(skill, level, headcount))  # type: ignore[attr-defined]
    for task_id, name, project_id, code, project_name, kind, lag in (
        Dependency.objects.filter(successor__project=project).order_by("pk")
        .values_list("successor_id", "predecessor__name", "predecessor__project_id", "predecessor__project__code",
                     "predecessor__project__name", "type", "lag_days")
    ):
        if task_id in by_id:
            other = "" if project_id == project.pk else (code or project_name)
            by_id[task_id].after.append(After(name, other, kind, lag))  # type: ignore[attr-defined]
    for task_id, name in Deliverable.objects.filter(project=project, task__isnull=False).order_by("name").values_list("task_id", "name"):
        if task_id in by_id:
            by_id[task_id].produces.append(name)  # type: ignore[attr-defined]
    if version is not None:
        links = Requirement.tasks.through.objects.filter(requirement__version=version, task__project=project)
        for task_id, code, title in links.order_by("requirement__order", "requirement__code").values_list(
            "task_id", "requirement__code", "requirement__title"
        ):
            if task_id in by_id:
                by_id[task_id].covers.append(Covered(code, title))  # type: ignore[attr-defined]
    return tasks


def breakdown_row(project: Project, task_pk: int) -> Task:
    """One task as a row of the tree (the HTMX answer that closes its editor)."""
    task = Task.objects.only(*ROW_FIELDS).get(project=project, pk=task_pk)
    return annotate_rows([task], project, latest_spec_version(project))[0]


def breakdown_tree(project: Project, *, reader: AnyUser | None = None) -> BreakdownTree:
    """The project's tree in a fixed number of queries, whatever the number of tasks. The
    requirements each task covers are those of the latest version, or with a `reader`, of the
    latest version they may read (a client never sees a draft's requirements)."""
    version = latest_spec_version(project) if reader is None else latest_spec_version_for(reader, project)
    phases = list(Phase.objects.filter(project=project).order_by("order", "pk"))
    nodes = {phase.pk: PhaseNode(phase, 0) for phase in phases}
    roots: list[PhaseNode] = []
    for phase in phases:
        parent = nodes.get(phase.parent_id) if phase.parent_id else None
        (parent.children if parent else roots).append(nodes[phase.pk])
    _set_depths(roots, 0)
    loose: list[Task] = []
    tasks = list(Task.objects.filter(project=project).only(*ROW_FIELDS).order_by("order", "pk"))
    for task in annotate_rows(tasks, project, version):
        node = nodes.get(task.phase_id) if task.phase_id else None
        (node.tasks if node else loose).append(task)
    return BreakdownTree(roots, loose, version)


def _set_depths(nodes: list[PhaseNode], depth: int) -> None:
    for node in nodes:
        node.depth = depth
        _set_depths(node.children, depth + 1)


# --- adding, renaming, deleting -----------------------------------------------------------------


def _next_order(queryset: object) -> int:
    return (queryset.aggregate(m=Max("order"))["m"] or 0) + 1  # type: ignore[attr-defined]


def _save_valid(item: Model) -> Model:
    item.full_clean()
    item.save()
    return item


def phase_add(*, project: Project, name: str, parent: Phase | None = None) -> Phase:
    """A new phase at the end of its parent (or of the project)."""
    with transaction.atomic():
        order = _next_order(Phase.objects.filter(project=project, parent=parent))
        return _save_valid(Phase(project=project, name=name.strip(), parent=parent, order=order))  # type: ignore[return-value]


def phase_rename(*, phase: Phase, name: str) -> Phase:
    phase.name = name.strip()
    with transaction.atomic():
        _save_valid(phase)
    return phase


def phase_save(*, phase: Phase) -> Phase:
    """Store a renamed (or re-parented) phase; the model refuses a phase inside itself."""
    with transaction.atomic():
        _save_valid(phase)
    return phase


def phase_delete(*, phase: Phase) -> None:
    """Delete a phase and keep its content: its tasks and sub-phases move up to its parent."""
    with transaction.atomic():
        Task.objects.filter(phase=phase).update(phase=phase.parent_id)
        Phase.objects.filter(parent=phase).update(parent=phase.parent_id)
        phase.delete()


def task_add(*, project: Project, name: str, phase: Phase | None = None, milestone: bool = False,
             effort_days: Decimal = Decimal("0")) -> Task:
    """A new task (or milestone) at the end of its phase."""
    with transaction.atomic():
        task = Task(project=project, phase=phase, name=name.strip(), is_milestone=milestone,
                    effort_days=Decimal("0") if milestone else effort_days,
                    order=_next_order(Task.objects.filter(project=project)))
        return _save_valid(task)  # type: ignore[return-value]


def task_delete(*, task: Task) -> None:
    with transaction.atomic():
        task.delete()


# --- moving -------------------------------------------------------------------------------------


def _swap(items: list[Phase] | list[Task], item: Phase | Task, direction: Direction) -> list[Phase | Task]:
    """Swap `item` with its neighbour in `items` (ordered) and renumber; returns changed rows."""
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    neighbour = index - 1 if direction == "up" else index + 1
    if not 0 <= neighbour < len(items):
        return []
    values = sorted(other.order for other in items)
    if len(set(values)) < len(values):  # equal orders (e.g. all 0) cannot be swapped: spread them
        values = [values[0] + i for i in range(len(values))]
    reordered = list(items)
    reordered[index], reordered[neighbour] = reordered[neighbour], reordered[index]
    changed = []
    for row, order in zip(reordered, values, strict=True):
        if row.order != order:
            row.order = order
            changed.append(row)
    return changed


def task_move(*, task: Task, direction: Direction) -> None:
    """Up or down among the tasks of the same phase."""
    with transaction.atomic():
        siblings = list(Task.objects.select_for_update().filter(project_id=task.project_id, phase_id=task.phase_id)
                        .order_by("order", "pk"))
        Task.objects.bulk_update(_swap(siblings, task, direction), ["order"])


def phase_move(*, phase: Phase, direction: Direction) -> None:
    """Up or down among the phases of the same parent."""
    with transaction.atomic():
        siblings = list(Phase.objects.select_for_update().filter(project_id=phase.project_id, parent_id=phase.parent_id)
                        .order_by("order", "pk"))
        Phase.objects.bulk_update(_swap(siblings, phase, direction), ["order"])


def task_indent(*, task: Task) -> Task:
    """Move the task into the phase shown just above it: the last sub-phase of its container."""
    above = Phase.objects.filter(project_id=task.project_id, parent_id=task.phase_id).order_by("-order", "-pk").first()
    if above is None:
        raise BreakdownError(
            _("Aucune phase au-dessus de « %(task)s » où la ranger : créez d'abord une phase.") % {"task": task.name},
            code="nothing_above",
        )
    with transaction.atomic():
        task.phase = above
        task.order = _next_order(Task.objects.filter(project_id=task.project_id))
        task.save(update_fields=["phase", "order", "updated_at"])
    return task


def task_outdent(*, task: Task) -> Task:
    """Move the task out of its phase, into the phase's parent (or out of every phase)."""
    if task.phase_id is None:
        raise BreakdownError(_("« %(task)s » n'est dans aucune phase.") % {"task": task.name}, code="top_level")
    with transaction.atomic():
        task.phase_id = Phase.objects.filter(pk=task.phase_id).values_list("parent_id", flat=True).get()
        task.order = _next_order(Task.objects.filter(project_id=task.project_id))
        task.save(update_fields=["phase", "order", "updated_at"])
    return task


def phase_indent(*, phase: Phase) -> Phase:
    """Make the phase a sub-phase of the phase above it (its previous sibling)."""
    siblings = list(Phase.objects.filter(project_id=phase.project_id, parent_id=phase.parent_id).order_by("order", "pk"))
    index = next(i for i, other in enumerate(siblings) if other.pk == phase.pk)
    previous = siblings[index - 1] if index > 0 else None
    if previous is None:
        raise BreakdownError(
            _("La phase « %(phase)s » est la première de son niveau : il n'y a pas de phase au-dessus où la ranger.")
            % {"phase": phase.name},
            code="nothing_above",
        )
    with transaction.atomic():
        phase.parent = previous
        phase.order = _next_order(Phase.objects.filter(parent=previous))
        _save_valid(phase)
    return phase


def phase_outdent(*, phase: Phase) -> Phase:
    """Make a sub-phase a sibling of its parent, placed just after it."""
    if phase.parent_id is None:
        raise BreakdownError(_("La phase « %(phase)s » est déjà au premier niveau.") % {"phase": phase.name},
                             code="top_level")
    with transaction.atomic():
        parent = Phase.objects.select_for_update().get(pk=phase.parent_id)
        Phase.objects.filter(project_id=phase.project_id, parent_id=parent.parent_id, order__gt=parent.order).update(
            order=F("order") + 1
        )
        phase.parent_id, phase.order = parent.parent_id, parent.order + 1
        phase.save(update_fields=["parent", "order"])
    return phase


# --- what a task needs and produces ------------------------------------------------------------


def task_skill_add(*, task_skill: TaskSkill) -> TaskSkill:
    with transaction.atomic():
        return _save_valid(task_skill)  # type: ignore[return-value]


def dependency_add(*, dependency: Dependency) -> Dependency:
    """Save a link; the model's validation refuses cycles, naming the tasks of the cycle."""
    with transaction.atomic():
        return _save_valid(dependency)  # type: ignore[return-value]


def deliverable_save(*, deliverable: Deliverable) -> Deliverable:
    """Create or update a deliverable; its task must be of its project."""
    with transaction.atomic():
        return _save_valid(deliverable)  # type: ignore[return-value]


def task_link_remove(*, item: TaskSkill | Dependency | Deliverable) -> None:
    """Remove a required skill, a dependency or a deliverable of a task."""
    with transaction.atomic():
        item.delete()


# --- generating a starting breakdown -----------------------------------------------------------

# Which phase a requirement belongs to, guessed from its words; the first phase whose name
# contains one of the phase words wins. Requirements that match no kind are functional: they
# go to the development phase. The PM moves any task afterwards (indent/outdent, reorder).
REQUIREMENT_KINDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("design", ("maquette", "charte", "graphique", "design", "logo", "visuel", "wireframe", "ergonomie", "ux"),
     ("design", "conception", "production")),
    ("seo", ("referencement", "seo", "mots-cles", "mots cles", "netlinking"),
     ("optimisation", "audit", "suivi")),
    ("hosting", ("hebergement", "serveur", "nom de domaine", "sauvegarde", "deploiement"),
     ("mise en ligne", "mise en place")),
    ("training", ("formation",), ("suivi", "mise en ligne")),
)
DEVELOPMENT_WORDS = ("developpement", "realisation", "production", "mise en place", "optimisation")
GENERATED_EFFORT = Decimal("1")  # a placeholder the PM adjusts; a zero would plan to nothing


def _plain(text: str) -> str:
    """Lowercase without accents, so « Référencement » matches « referencement »."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _has_word(text: str, words: Sequence[str]) -> bool:
    return any(re.search(rf"\b{re.escape(word)}", text) for word in words)


def requirement_kind(requirement: Requirement) -> str:
    text = _plain(f"{requirement.title} {requirement.description}")
    return next((kind for kind, words, _phases in REQUIREMENT_KINDS if _has_word(text, words)), "functional")


def _phase_for(kind: str, phases: list[Phase]) -> Phase | None:
    wanted = next((p for k, _w, p in REQUIREMENT_KINDS if k == kind), DEVELOPMENT_WORDS)
    for words in (wanted, DEVELOPMENT_WORDS):
        for word in words:
            found = next((p for p in phases if word in _plain(p.name)), None)
            if found is not None:
                return found
    return None


@dataclass
class GenerateReport:
    template_applied: bool
    created: list[Task]
    already_covered: list[Requirement]


def breakdown_generate(*, project: Project, by: User | None = None) -> GenerateReport:
    """A starting breakdown: the type's template when the project is empty, then one task per
    Must requirement of the spec's latest version that no task covers yet, under the phase its
    words point to (development for functional ones), linked to it for traceability.

    Idempotent: a second run finds every Must requirement covered and adds nothing."""
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()  # one generation at a time
        applied = not project.phases.exists() and not project.tasks.exists()
        if applied:
            project_apply_template(project=project)
        version = latest_spec_version(project)
        musts = list(version.requirements.filter(priority=Requirement.Priority.MUST).prefetch_related(
            Prefetch("tasks", queryset=Task.objects.filter(project=project))).order_by("order", "code")) if version else []
        phases = list(project.phases.order_by("order", "pk"))
        created: list[Task] = []
        covered: list[Requirement] = []
        for requirement in musts:
            if requirement.tasks.all():
                covered.append(requirement)
                continue
            phase = _phase_for(requirement_kind(requirement), phases) or _development_phase(project, phases)
            created.append(_task_for(requirement, phase))
    return GenerateReport(applied, created, covered)


def _development_phase(project: Project, phases: list[Phase]) -> Phase:
    phase = phase_add(project=project, name=_("Développement"))
    phases.append(phase)
    return phase


def _task_for(requirement: Requirement, phase: Phase) -> Task:
    """The task of one requirement: placed at the end of the phase, with the phase's usual
    skill, and linked like the phase's other tasks to the work before and after the phase."""
    name = f"{requirement.code} — {requirement.title}"[:200]
    task = task_add(project=phase.project, name=name, phase=phase, effort_days=GENERATED_EFFORT)
    requirement.tasks.add(task)
    skill = _usual_skill(phase)
    if skill is not None:
        TaskSkill.objects.create(task=task, skill_id=skill[0], min_level=skill[1])
    _link_like_phase(task, phase)
    return task


def _usual_skill(phase: Phase) -> tuple[int, int] | None:
    pairs = TaskSkill.objects.filter(task__phase=phase).values_list("skill_id", "min_level")
    counted = Counter(pairs).most_common(1)
    return counted[0][0] if counted else None


def _link_like_phase(task: Task, phase: Phase) -> None:
    inside = set(Task.objects.filter(phase=phase).exclude(pk=task.pk).values_list("pk", flat=True))
    links = Dependency.objects.filter(predecessor_id__in=inside) | Dependency.objects.filter(successor_id__in=inside)
    entering = {d.predecessor_id: d for d in links if d.successor_id in inside and d.predecessor_id not in inside}
    leaving = {d.successor_id: d for d in links if d.predecessor_id in inside and d.successor_id not in inside}
    new = [Dependency(predecessor_id=p, successor=task, type=d.type, lag_days=d.lag_days) for p, d in entering.items()]
    new += [Dependency(predecessor=task, successor_id=s, type=d.type, lag_days=d.lag_days) for s, d in leaving.items()]
    organisation_id = phase.project.organisation_id
    # Copying links in and out of the phase could close a loop in a hand-edited graph: keep
    # only the incoming links then, and none if even those would.
    for candidate in (new, new[: len(entering)], []):
        edges = [(d.predecessor_id, d.successor_id) for d in candidate]
        if not edges or dependency_cycle(organisation_id=organisation_id, new_edges=edges) is None:
            Dependency.objects.bulk_create(candidate)
            return
