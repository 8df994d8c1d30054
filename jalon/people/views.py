"""The team pages (/equipe/): people, a person's skills and absences, the skills matrix, and
who can do a task and when. Admins and managers edit, members read, clients never see them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jalon.people import services
from jalon.people.forms import AbsenceForm, PersonForm, PersonSkillForm, SkillForm
from jalon.people.models import Absence, Person, PersonSkill, Skill
from jalon.people.permissions import can_edit_team, can_see_rates, require_team_access
from jalon.people.selectors import person_absences, skills_matrix, task_candidates, team_people
from jalon.projects.models import Task
from jalon.projects.selectors import projects_visible_to

PERSON_FIELDS = tuple(PersonForm.Meta.fields)
ABSENCE_FIELDS = tuple(AbsenceForm.Meta.fields)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _see_other(url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(url, status=303)


def _person(request: HttpRequest, pk: int) -> Person:
    return get_object_or_404(Person, pk=pk, organisation_id=request.user.organisation_id)


def _team_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    organisation = request.user.organisation
    context: dict[str, Any] = {
        "people": team_people(organisation),
        "can_edit": can_edit_team(request.user),
        "show_rates": can_see_rates(request.user),
    }
    if context["can_edit"]:
        context["person_form"] = extra.pop("person_form", None) or PersonForm(organisation=organisation)
    return {**context, **extra}


@require_GET
@login_required
def team(request: HttpRequest) -> HttpResponse:
    require_team_access(request)
    return render(request, "people/team.html", _team_context(request))


@require_POST
@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    require_team_access(request, write=True)
    form = PersonForm(request.POST, organisation=request.user.organisation)
    if not form.is_valid():
        return render(request, "people/team.html", _team_context(request, person_form=form))
    person = services.person_save(person=form.instance)
    return _see_other(reverse("person_detail", args=[person.pk]))


def _person_context(request: HttpRequest, person: Person, **forms: Any) -> dict[str, Any]:
    organisation = request.user.organisation
    can_edit = can_edit_team(request.user)
    context: dict[str, Any] = {
        "person": person,
        "held_skills": person.skills.select_related("skill").order_by("skill__name"),
        "absences": person_absences(person),
        "can_edit": can_edit,
        "show_rates": can_see_rates(request.user),
    }
    if can_edit:
        context.update({
            "person_form": forms.get("person_form") or PersonForm(instance=person, organisation=organisation),
            "person_fingerprint": services.row_fingerprint(person, PERSON_FIELDS),
            "skill_form": forms.get("skill_form") or PersonSkillForm(organisation=organisation, initial={"person": person.pk}),
            "absence_form": forms.get("absence_form") or AbsenceForm(organisation=organisation, initial={"person": person.pk},
                                                                     auto_id="id_absence_%s"),
        })
    return context


@require_GET
@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_team_access(request)
    person = _person(request, pk)
    return render(request, "people/person_detail.html", _person_context(request, person))


@require_POST
@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_team_access(request, write=True)
    person = _person(request, pk)
    form = PersonForm(request.POST, instance=person, organisation=request.user.organisation)
    if form.is_valid():
        try:
            services.person_save(person=form.instance, fields=PERSON_FIELDS, expected=request.POST.get("fingerprint"))
            return _see_other(reverse("person_detail", args=[person.pk]))
        except ValidationError as error:
            form.add_error(None, error)
    person.refresh_from_db()
    return render(request, "people/person_detail.html", _person_context(request, person, person_form=form))


@require_POST
@login_required
def person_skill_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the person a skill at a level (or change the level)."""
    require_team_access(request, write=True)
    person = _person(request, pk)
    data = request.POST.copy()
    data["person"] = str(person.pk)
    form = PersonSkillForm(data, organisation=request.user.organisation)
    existing = PersonSkill.objects.filter(person=person, skill_id=data.get("skill")).first()
    if existing is not None:  # changing a level is not a duplicate
        form = PersonSkillForm(data, instance=existing, organisation=request.user.organisation)
    if not form.is_valid():
        return render(request, "people/person_detail.html", _person_context(request, person, skill_form=form))
    services.person_skill_set(person=person, skill=form.cleaned_data["skill"], level=form.cleaned_data["level"])
    return _see_other(reverse("person_detail", args=[person.pk]) + "#competences")


@require_POST
@login_required
def person_skill_remove(request: HttpRequest, pk: int, skill_pk: int) -> HttpResponse:
    require_team_access(request, write=True)
    person = _person(request, pk)
    skill = get_object_or_404(Skill, pk=skill_pk, organisation_id=person.organisation_id)
    services.person_skill_set(person=person, skill=skill, level=None)
    return _see_other(reverse("person_detail", args=[person.pk]) + "#competences")


@require_POST
@login_required
def absence_create(request: HttpRequest, pk: int) -> HttpResponse:
    require_team_access(request, write=True)
    person = _person(request, pk)
    data = request.POST.copy()
    data["person"] = str(person.pk)
    form = AbsenceForm(data, organisation=request.user.organisation, auto_id="id_absence_%s")
    if not form.is_valid():
        return render(request, "people/person_detail.html", _person_context(request, person, absence_form=form))
    services.absence_save(absence=form.instance)
    return _see_other(reverse("person_detail", args=[person.pk]) + "#absences")


def _absence(request: HttpRequest, pk: int) -> Absence:
    return get_object_or_404(Absence.objects.select_related("person"), pk=pk,
                             person__organisation_id=request.user.organisation_id)


@require_http_methods(["GET", "POST"])
@login_required
def absence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_team_access(request, write=True)
    absence = _absence(request, pk)
    form = AbsenceForm(request.POST or None, instance=absence, organisation=request.user.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_save(absence=form.instance, fields=ABSENCE_FIELDS, expected=request.POST.get("fingerprint"))
            return _see_other(reverse("person_detail", args=[absence.person_id]) + "#absences")
        except ValidationError as error:
            form.add_error(None, error)
    fingerprint = request.POST.get("fingerprint") or services.row_fingerprint(absence, ABSENCE_FIELDS)
    return render(request, "people/absence_edit.html", {"absence": absence, "form": form, "fingerprint": fingerprint})


@require_POST
@login_required
def absence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_team_access(request, write=True)
    absence = _absence(request, pk)
    services.absence_delete(absence=absence)
    return _see_other(reverse("person_detail", args=[absence.person_id]) + "#absences")


# --- skills matrix ------------------------------------------------------------------------------


def _matrix_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    skills, rows = skills_matrix(request.user.organisation)
    context: dict[str, Any] = {"skills": skills, "rows": rows, "can_edit": can_edit_team(request.user), "levels": range(1, 6)}
    if context["can_edit"]:
        context["skill_form"] = extra.pop("skill_form", None) or SkillForm(organisation=request.user.organisation)
    return {**context, **extra}


@require_GET
@login_required
def skills_matrix_page(request: HttpRequest) -> HttpResponse:
    require_team_access(request)
    return render(request, "people/skills_matrix.html", _matrix_context(request))


@require_POST
@login_required
def skill_create(request: HttpRequest) -> HttpResponse:
    require_team_access(request, write=True)
    form = SkillForm(request.POST, organisation=request.user.organisation)
    if not form.is_valid():
        return render(request, "people/skills_matrix.html", _matrix_context(request, skill_form=form))
    services.skill_create(skill=form.instance)
    return _see_other(reverse("skills_matrix"))


def _level(value: str | None) -> int | None:
    """'' or '0' removes the skill; 1–5 sets the level; anything else is refused."""
    if value in (None, "", "0"):
        return None
    if value.isdigit() and 1 <= int(value) <= 5:
        return int(value)
    raise ValidationError(_("Le niveau va de 1 à 5 (0 ou vide pour retirer la compétence)."))


@require_http_methods(["GET", "POST"])
@login_required
def matrix_cell(request: HttpRequest, person_pk: int, skill_pk: int) -> HttpResponse:
    """One cell of the matrix: GET its editor (HTMX), POST a level; answers with the cell."""
    require_team_access(request, write=True)
    person = _person(request, person_pk)
    skill = get_object_or_404(Skill, pk=skill_pk, organisation_id=person.organisation_id)
    held = PersonSkill.objects.filter(person=person, skill=skill).values_list("level", flat=True).first()
    context: dict[str, Any] = {"person": person, "skill": skill, "level": held, "levels": range(1, 6), "can_edit": True}
    if request.method == "GET":
        return render(request, "people/matrix_cell_editor.html", context)
    try:
        held_skill = services.person_skill_set(person=person, skill=skill, level=_level(request.POST.get("level")))
        context["level"] = held_skill.level if held_skill else None
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
        return render(request, "people/matrix_cell_editor.html", context)
    if not _is_htmx(request):
        return _see_other(reverse("skills_matrix"))
    return render(request, "people/matrix_cell.html", context)


# --- who can do a task, and when ------------------------------------------------------------------


@require_GET
@login_required
def task_candidates_page(request: HttpRequest, task_pk: int) -> HttpResponse:
    """People with the task's required skills and their next free working days."""
    require_team_access(request)
    task = get_object_or_404(Task.objects.select_related("project__organisation", "phase"), pk=task_pk)
    if not projects_visible_to(request.user).filter(pk=task.project_id).exists():
        raise Http404
    return render(request, "people/task_candidates.html", {
        "task": task, "project": task.project, "needs": task.skills.select_related("skill"),
        "candidates": task_candidates(task),
    })
