"""The breakdown editor (/projets/<pk>/decoupage/) and the traceability matrix.

Tree operations (add, move, indent, delete) answer an HTMX request with the tree fragment,
a plain POST with a redirect to the page. A task's editor opens inline in its row; its forms
(task fields, required skills, dependencies, deliverables) answer with the editor again, errors
included, such as the cycle a new dependency would close."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jalon.projects import breakdown
from jalon.projects.forms import DeliverableForm, DependencyForm, PhaseForm, TaskForm, TaskSkillForm
from jalon.projects.models import Deliverable, Dependency, Phase, Project, Task, TaskSkill
from jalon.projects.permissions import can_edit_project, get_project_for_user
from jalon.projects.selectors import projects_visible_to
from jalon.specs.selectors import latest_spec_version_for, traceability_rows


class PhaseEditForm(PhaseForm):
    """Name and parent; the order changes with the up/down buttons."""

    class Meta(PhaseForm.Meta):
        fields = ["name", "parent"]


class TaskAddForm(TaskForm):
    class Meta(TaskForm.Meta):
        fields = ["name", "phase", "effort_days", "is_milestone"]


class TaskEditForm(TaskForm):
    """What the inline editor changes; the order changes with the up/down buttons."""

    class Meta(TaskForm.Meta):
        fields = [
            "name", "phase", "effort_days", "duration_days", "is_milestone",
            "start_no_earlier_than", "deadline", "priority", "description",
        ]


def tree_ui(project: Project) -> dict[str, Any]:
    """What every row needs besides its task: the URL prefix and the button labels, computed
    once per page rather than once per row (a 1,000-task tree renders thousands of buttons)."""
    labels = {
        "edit": _("Modifier"), "rename": _("Renommer"), "up": _("Monter"), "down": _("Descendre"),
        "task_indent": _("Ranger dans la phase au-dessus"), "task_outdent": _("Sortir de la phase"),
        "phase_indent": _("En faire une sous-phase de la phase au-dessus"),
        "phase_outdent": _("Remonter d’un niveau"), "phase_delete": _("Supprimer la phase"),
        "delete": _("Supprimer"), "milestone": _("Jalon"), "snet": _("pas avant le"), "deadline": _("au plus tard le"),
    }
    moves = [("up", "↑", labels["up"]), ("down", "↓", labels["down"])]
    return {
        "base": reverse("breakdown", args=[project.pk]),
        "labels": labels,
        "task_moves": [*moves, ("outdent", "←", labels["task_outdent"]), ("indent", "→", labels["task_indent"]),
                       ("delete", "✕", labels["delete"])],
        "phase_moves": [*moves, ("outdent", "←", labels["phase_outdent"]), ("indent", "→", labels["phase_indent"]),
                        ("delete", "✕", labels["phase_delete"])],
    }


# --- the rows of the tree, written in Python ------------------------------------------------------
# A 1,000-task tree has some 40,000 values in its rows; placing them with template variables and
# one {% include %} per row took most of the request. The rows are therefore written here, with
# the same markup the templates had, every user text through `escape`. Shared pieces (the URL
# prefix, the labels, the button tooltips) are escaped once per page.


@dataclass
class RowKit:
    """What every row shares, escaped once per page."""

    base: str
    labels: dict[str, str]
    confirm: str  # "%(action)s « %(name)s » ?", translated and escaped: the delete button's question
    can_edit: bool
    numbers: dict[Decimal | None, str] = field(default_factory=dict)  # floatformat, memoised per value

    def number(self, value: Decimal | None) -> str:
        """`value|floatformat:"-2"` (French decimal comma), computed once per distinct value."""
        if value not in self.numbers:
            self.numbers[value] = escape(floatformat(value, "-2"))
        return self.numbers[value]


def row_kit(ui: dict[str, Any], can_edit: bool) -> RowKit:
    return RowKit(base=escape(ui["base"]), labels={key: escape(text) for key, text in ui["labels"].items()},
                  confirm=escape(_("%(action)s « %(name)s » ?")), can_edit=can_edit)


def _buttons(kit: RowKit, kind: str, pk: int, indent: str, outdent: str, delete: str, name: str) -> str:
    """↑ ↓ ← → ✕ of a row: `kind` is "taches" or "phases"; the labels are keys of kit.labels."""
    base, labels = f"{kit.base}{kind}/{pk}/", kit.labels
    confirm = kit.confirm % {"action": labels[delete], "name": escape(name)}
    return (
        f'\n    <button class="icon-button" hx-post="{base}up/" hx-target="#breakdown" title="{labels["up"]}" aria-label="{labels["up"]}">↑</button>'
        f'\n    <button class="icon-button" hx-post="{base}down/" hx-target="#breakdown" title="{labels["down"]}" aria-label="{labels["down"]}">↓</button>'
        f'\n    <button class="icon-button" hx-post="{base}outdent/" hx-target="#breakdown" title="{labels[outdent]}" aria-label="{labels[outdent]}">←</button>'
        f'\n    <button class="icon-button" hx-post="{base}indent/" hx-target="#breakdown" title="{labels[indent]}" aria-label="{labels[indent]}">→</button>'
        f'\n    <button class="icon-button danger" hx-post="{base}delete/" hx-target="#breakdown" title="{labels[delete]}" aria-label="{labels[delete]}" hx-confirm="{confirm}">✕</button>'
        "\n  "
    )


def phase_row_html(phase: Phase, depth: int, kit: RowKit) -> str:
    actions = ""
    if kit.can_edit:
        url, rename = f"{kit.base}phases/{phase.pk}/", kit.labels["rename"]
        actions = (f'\n    <a class="icon-button" href="{url}" title="{rename}" hx-get="{url}" hx-target="#phase-{phase.pk}" hx-swap="outerHTML">✎</a>'
                   + _buttons(kit, "phases", phase.pk, "phase_indent", "phase_outdent", "phase_delete", phase.name))
    return (f'<tr id="phase-{phase.pk}" class="phase-node depth-{depth}">\n'
            f'  <th scope="rowgroup" colspan="7" class="indent-{depth}">{escape(phase.name)}</th>\n'
            f'  <td class="row-actions">{actions}</td>\n</tr>\n')


_NONE = '<span class="muted">—</span>'


def _day(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"  # the "d/m/Y" date filter


def _constraints(task: Task, kit: RowKit) -> str:
    out = ""
    if task.start_no_earlier_than:
        out += f'<div>{kit.labels["snet"]} {_day(task.start_no_earlier_than)}</div>'
    if task.deadline:
        out += f'<div>{kit.labels["deadline"]} {_day(task.deadline)}</div>'
    return out or _NONE


def task_row_html(task: Task, depth: int, kit: RowKit) -> str:
    """One task of the tree; `task` carries `needs`, `after`, `produces`, `covers`
    (breakdown.annotate_rows)."""
    pk, name = task.pk, escape(task.name)
    mark = f'<span class="milestone-mark" title="{kit.labels["milestone"]}">◆</span>' if task.is_milestone else ""
    covers = "".join(f'<span class="tag" title="{escape(r.title)}">{escape(r.code)}</span>' for r in task.covers)  # type: ignore[attr-defined]
    needs = "".join(
        f'<span class="tag level">{escape(n.skill)} ≥ {n.min_level}{f" × {n.headcount}" if n.headcount > 1 else ""}</span>'
        for n in task.needs  # type: ignore[attr-defined]
    ) or _NONE
    after = "".join(
        f'<span class="tag">{f"{escape(a.project)} · " if a.project else ""}{escape(a.name)}'
        f'{f" <b>{escape(a.short)}</b>" if a.short else ""}</span>'
        for a in task.after  # type: ignore[attr-defined]
    ) or _NONE
    produces = "".join(f'<span class="tag">{escape(d)}</span>' for d in task.produces) or _NONE  # type: ignore[attr-defined]
    duration = kit.number(task.duration_days) or "—"
    actions = ""
    if kit.can_edit:
        url, edit = f"{kit.base}taches/{pk}/", kit.labels["edit"]
        actions = (f'<a class="icon-button" href="{url}" title="{edit}" hx-get="{url}?niveau={depth}" hx-target="#task-{pk}" '
                   f'hx-swap="outerHTML">✎ <span class="visually-hidden">{edit}</span></a>'
                   + _buttons(kit, "taches", pk, "task_indent", "task_outdent", "delete", task.name))
    milestone = ' class="milestone"' if task.is_milestone else ""
    return (
        f'<tr id="task-{pk}"{milestone}>\n'
        f'  <td class="indent-{depth}"><span class="node-name">{mark}<span>{name}</span></span>{covers}</td>\n'
        f'  <td class="num">{"—" if task.is_milestone else kit.number(task.effort_days)}</td>\n'
        f'  <td class="num">{duration}</td>\n'
        f"  <td>{needs}</td>\n"
        f'  <td class="small">{after}</td>\n'
        f'  <td class="small date">{_constraints(task, kit)}</td>\n'
        f'  <td class="small">{produces}</td>\n'
        f'  <td class="row-actions">{actions}</td>\n</tr>\n'
    )


def tree_rows_html(tree: breakdown.BreakdownTree, ui: dict[str, Any], can_edit: bool) -> SafeString:
    """Every row of the tree, in display order."""
    kit = row_kit(ui, can_edit)
    html = "".join(
        phase_row_html(row.item, row.depth, kit) if row.kind == "phase" else task_row_html(row.item, row.depth, kit)  # type: ignore[arg-type]
        for row in tree.rows
    )
    return mark_safe(html)  # noqa: S308 - built from escaped texts and numbers only


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def _tree_context(request: HttpRequest, project: Project, **extra: Any) -> dict[str, Any]:
    can_edit = can_edit_project(request.user, project)
    tree, ui = breakdown.breakdown_tree(project, reader=request.user), tree_ui(project)
    context: dict[str, Any] = {"project": project, "tree": tree, "can_edit": can_edit, "ui": ui,
                               "rows_html": tree_rows_html(tree, ui, can_edit)}
    if can_edit:
        context["phase_form"] = extra.pop("phase_form", None) or PhaseEditForm(project=project, auto_id="id_newphase_%s")
        context["task_form"] = extra.pop("task_form", None) or TaskAddForm(project=project, auto_id="id_newtask_%s")
    return {**context, **extra}


def _tree_response(request: HttpRequest, project: Project, *, error: str = "", **extra: Any) -> HttpResponse:
    """The tree fragment for HTMX, else back to the page (the error as a message)."""
    if _is_htmx(request):
        return render(request, "projects/breakdown_tree.html", _tree_context(request, project, error=error, **extra))
    if extra:  # a form with errors: show the whole page with it
        return render(request, "projects/breakdown.html", _tree_context(request, project, error=error, **extra))
    if error:
        messages.error(request, error)
    return _see_other(reverse("breakdown", args=[project.pk]))


@require_GET
@login_required
def breakdown_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request, pk)
    return render(request, "projects/breakdown.html", _tree_context(request, project))


@require_POST
@login_required
def breakdown_generate(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request, pk, write=True)
    report = breakdown.breakdown_generate(project=project, by=request.user)
    if report.template_applied:
        messages.success(request, _("Découpage de départ créé à partir du modèle « %(type)s ».")
                         % {"type": project.get_project_type_display()})
    if report.created:
        messages.success(request, ngettext(
            "%(n)d tâche créée pour une exigence indispensable (Must).",
            "%(n)d tâches créées pour les exigences indispensables (Must).", len(report.created)) % {"n": len(report.created)})
    elif not report.template_applied:
        messages.info(request, _("Rien à ajouter : chaque exigence indispensable (Must) a déjà sa tâche."))
    return _see_other(reverse("breakdown", args=[project.pk]))


@require_POST
@login_required
def phase_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request, pk, write=True)
    form = PhaseEditForm(request.POST, project=project, auto_id="id_newphase_%s")
    if not form.is_valid():
        return _tree_response(request, project, phase_form=form)
    breakdown.phase_add(project=project, name=form.cleaned_data["name"], parent=form.cleaned_data["parent"])
    return _tree_response(request, project)


@require_POST
@login_required
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request, pk, write=True)
    form = TaskAddForm(request.POST, project=project, auto_id="id_newtask_%s")
    if not form.is_valid():
        return _tree_response(request, project, task_form=form)
    data = form.cleaned_data
    breakdown.task_add(project=project, name=data["name"], phase=data["phase"], milestone=data["is_milestone"],
                       effort_days=data["effort_days"])
    return _tree_response(request, project)


@require_POST
@login_required
def phase_action(request: HttpRequest, pk: int, phase_pk: int, action: str) -> HttpResponse:
    """up, down, indent, outdent or delete a phase."""
    project = get_project_for_user(request, pk, write=True)
    phase = get_object_or_404(Phase, pk=phase_pk, project=project)
    if action not in _PHASE_ACTIONS:
        raise Http404
    return _apply_tree_action(request, project, lambda: _PHASE_ACTIONS[action](phase))


@require_POST
@login_required
def task_action(request: HttpRequest, pk: int, task_pk: int, action: str) -> HttpResponse:
    """up, down, indent, outdent or delete a task."""
    project = get_project_for_user(request, pk, write=True)
    task = get_object_or_404(Task, pk=task_pk, project=project)
    if action not in _TASK_ACTIONS:
        raise Http404
    return _apply_tree_action(request, project, lambda: _TASK_ACTIONS[action](task))


_PHASE_ACTIONS: dict[str, Callable[[Phase], object]] = {
    "up": lambda phase: breakdown.phase_move(phase=phase, direction="up"),
    "down": lambda phase: breakdown.phase_move(phase=phase, direction="down"),
    "indent": lambda phase: breakdown.phase_indent(phase=phase),
    "outdent": lambda phase: breakdown.phase_outdent(phase=phase),
    "delete": lambda phase: breakdown.phase_delete(phase=phase),
}
_TASK_ACTIONS: dict[str, Callable[[Task], object]] = {
    "up": lambda task: breakdown.task_move(task=task, direction="up"),
    "down": lambda task: breakdown.task_move(task=task, direction="down"),
    "indent": lambda task: breakdown.task_indent(task=task),
    "outdent": lambda task: breakdown.task_outdent(task=task),
    "delete": lambda task: breakdown.task_delete(task=task),
}


def _apply_tree_action(request: HttpRequest, project: Project, action: Callable[[], object]) -> HttpResponse:
    """Run one move/indent/delete; a refusal (ValidationError) is shown above the tree."""
    try:
        action()
    except ValidationError as error:
        return _tree_response(request, project, error=" ".join(error.messages))
    return _tree_response(request, project)


@require_http_methods(["GET", "POST"])
@login_required
def phase_edit(request: HttpRequest, pk: int, phase_pk: int) -> HttpResponse:
    """Rename a phase (or change its parent) inline."""
    project = get_project_for_user(request, pk, write=True)
    phase = get_object_or_404(Phase, pk=phase_pk, project=project)
    form = PhaseEditForm(request.POST or None, instance=phase, project=project, auto_id=f"id_phase{phase.pk}_%s")
    if request.method == "POST" and form.is_valid():
        breakdown.phase_save(phase=form.instance)
        return _tree_response(request, project)
    template = "projects/breakdown_phase_editor.html" if _is_htmx(request) else "projects/breakdown_phase.html"
    return render(request, template, {"project": project, "phase": phase, "form": form, "depth": 0,
                                      "ui": tree_ui(project)})


# --- the task editor ----------------------------------------------------------------------------


def _editor_task(project: Project, task_pk: int) -> Task:
    version = breakdown.latest_spec_version(project)
    return get_object_or_404(breakdown.task_queryset(project, version).select_related("phase"), pk=task_pk)


def _dependency_form(request: HttpRequest, project: Project, data: Any = None, **kwargs: Any) -> DependencyForm:
    """Links may cross projects, but only to tasks of projects the user sees (the API's rule
    too): the list must not show a manager the tasks of a project that is not theirs."""
    form = DependencyForm(data, organisation=project.organisation, **kwargs)
    visible = projects_visible_to(request.user)
    for name in ("predecessor", "successor"):
        form.fields[name].queryset = form.fields[name].queryset.filter(project__in=visible)
    return form


def _editor_context(request: HttpRequest, project: Project, task: Task, **forms: Any) -> dict[str, Any]:
    prefix = f"id_t{task.pk}"
    return {
        "project": project,
        "task": task,
        "can_edit": True,
        "form": forms.get("form") or TaskEditForm(instance=task, project=project, auto_id=f"{prefix}_%s"),
        "skill_form": forms.get("skill_form") or TaskSkillForm(task=task, auto_id=f"{prefix}_skill_%s"),
        "dependency_form": forms.get("dependency_form") or _dependency_form(
            request, project, initial={"successor": task.pk}, auto_id=f"{prefix}_dep_%s"),
        "deliverable_form": forms.get("deliverable_form") or DeliverableForm(
            project=project, initial={"task": task.pk}, auto_id=f"{prefix}_deliv_%s"),
        "successors": Dependency.objects.filter(predecessor=task, successor__project__in=projects_visible_to(request.user))
        .select_related("successor__project"),
        "saved": forms.get("saved", False),
        "depth": forms.get("depth", 1),
        "ui": tree_ui(project),
    }


def _editor_response(request: HttpRequest, project: Project, task_pk: int, **forms: Any) -> HttpResponse:
    task = _editor_task(project, task_pk)
    template = "projects/breakdown_task_editor.html" if _is_htmx(request) else "projects/breakdown_task.html"
    return render(request, template, _editor_context(request, project, task, **forms))


def _after_link_change(request: HttpRequest, project: Project, task_pk: int, **forms: Any) -> HttpResponse:
    if forms or _is_htmx(request):
        return _editor_response(request, project, task_pk, **forms)
    return _see_other(reverse("breakdown_task", args=[project.pk, task_pk]))


@require_http_methods(["GET", "POST"])
@login_required
def task_edit(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """GET: the inline editor (or the plain row with ?fermer). POST: save the task's fields."""
    project = get_project_for_user(request, pk, write=True)
    task = _editor_task(project, task_pk)
    if request.method == "GET" and "fermer" in request.GET:
        row = task_row_html(breakdown.breakdown_row(project, task.pk), _depth(request), row_kit(tree_ui(project), True))
        return HttpResponse(row)
    if request.method == "GET":
        return _editor_response(request, project, task.pk, depth=_depth(request))
    form = TaskEditForm(request.POST, instance=task, project=project, auto_id=f"id_t{task.pk}_%s")
    if form.is_valid():
        try:
            form.save()
        except ValidationError as error:  # stale: saved by someone else between check and write
            form.add_error(None, error)
    if form.errors:
        return _editor_response(request, project, task.pk, form=form)
    if not _is_htmx(request):
        return _see_other(reverse("breakdown", args=[project.pk]) + f"#task-{task.pk}")
    return _editor_response(request, project, task.pk, saved=True)


def _depth(request: HttpRequest) -> int:
    """The row's indentation, carried by the editor so that closing it restores the row."""
    value = request.GET.get("niveau", "")
    return min(int(value), 8) if value.isdigit() else 1


def _owned_task(request: HttpRequest, pk: int, task_pk: int) -> tuple[Project, Task]:
    project = get_project_for_user(request, pk, write=True)
    return project, get_object_or_404(Task.objects.select_related("project__organisation"), pk=task_pk, project=project)


@require_POST
@login_required
def task_skill_create(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    project, task = _owned_task(request, pk, task_pk)
    form = TaskSkillForm(request.POST, task=task, auto_id=f"id_t{task.pk}_skill_%s")
    if not form.is_valid():
        return _after_link_change(request, project, task.pk, skill_form=form)
    breakdown.task_skill_add(task_skill=form.instance)
    return _after_link_change(request, project, task.pk)


@require_POST
@login_required
def dependency_create(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """Add a predecessor to the task; a cycle is refused with the tasks of the cycle named."""
    project, task = _owned_task(request, pk, task_pk)
    data = request.POST.copy()
    data["successor"] = str(task.pk)
    form = _dependency_form(request, project, data, auto_id=f"id_t{task.pk}_dep_%s")
    if not form.is_valid():
        return _after_link_change(request, project, task.pk, dependency_form=form)
    breakdown.dependency_add(dependency=form.instance)
    return _after_link_change(request, project, task.pk)


@require_POST
@login_required
def deliverable_create(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    project, task = _owned_task(request, pk, task_pk)
    data = request.POST.copy()
    data["task"] = str(task.pk)
    form = DeliverableForm(data, project=project, auto_id=f"id_t{task.pk}_deliv_%s")
    if not form.is_valid():
        return _after_link_change(request, project, task.pk, deliverable_form=form)
    breakdown.deliverable_save(deliverable=form.save(commit=False))
    form.save_m2m()
    return _after_link_change(request, project, task.pk)


LINK_KINDS = {
    "competence": (TaskSkill, "task"),
    "dependance": (Dependency, "successor"),
    "livrable": (Deliverable, "task"),
}


@require_POST
@login_required
def task_link_delete(request: HttpRequest, pk: int, task_pk: int, kind: str, item_pk: int) -> HttpResponse:
    """Remove a required skill, a predecessor link or a deliverable of the task."""
    project, task = _owned_task(request, pk, task_pk)
    if kind not in LINK_KINDS:
        raise Http404
    model, task_field = LINK_KINDS[kind]
    item = get_object_or_404(model, pk=item_pk, **{task_field: task})
    breakdown.task_link_remove(item=item)
    return _after_link_change(request, project, task.pk)


# --- traceability ---------------------------------------------------------------------------------


@require_GET
@login_required
def traceability(request: HttpRequest, pk: int) -> HttpResponse:
    """Requirement ↔ tasks ↔ deliverables of the spec's latest version; uncovered ones flagged."""
    project = get_project_for_user(request, pk)
    version = latest_spec_version_for(request.user, project)  # a client: the latest one put before them
    rows = traceability_rows(project, version) if version else []
    uncovered = [row for row in rows if row.expected_to_be_covered and not row.covered]
    return render(request, "projects/traceability.html", {
        "project": project, "version": version, "rows": rows, "uncovered": uncovered,
        "can_edit": can_edit_project(request.user, project),
    })
