"""Use cases that change projects: creation from a template, versioned (optimistic) saves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from jalon.accounts.models import Organisation, User
from jalon.people.models import Skill
from jalon.projects.models import Client, Dependency, Phase, Project, Task, TaskSkill
from jalon.projects.templates_data import SKILL_CATEGORIES, ProjectTemplate, template_for
from jalon.specs.models import Spec, SpecVersion

Versioned = TypeVar("Versioned", Project, Task)


class StaleEditError(ValidationError):
    """Someone else saved the record since it was loaded: the write is refused, nothing is lost."""


def save_versioned(
    instance: Versioned, *, expected_version: int, update_fields: Iterable[str] | None = None
) -> Versioned:
    """Save a Project or Task only if its stored version is still `expected_version`.

    The check and the bump are one UPDATE ... WHERE version = expected, so two people saving
    at the same moment cannot both win. Raises StaleEditError naming the record otherwise."""
    model: type[models.Model] = type(instance)
    with transaction.atomic():
        if instance.pk is None:
            instance.version = 1
            instance.save()
            return instance
        bumped = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not bumped:
            raise StaleEditError(
                _("« %(name)s » a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert. "
                  "Rechargez la page pour voir sa dernière version, puis refaites votre modification.")
                % {"name": instance},
                code="stale",
            )
        instance.version = expected_version + 1
        if update_fields is not None:
            instance.save(update_fields=[*update_fields, "version", "updated_at"])
        else:
            instance.save()
    return instance


def ensure_skills(organisation: Organisation, names: Iterable[str]) -> dict[str, Skill]:
    """The organisation's skills by name, creating the missing ones with their usual category."""
    wanted = list(dict.fromkeys(names))
    found = {s.name: s for s in Skill.objects.filter(organisation=organisation, name__in=wanted)}
    missing = [
        Skill(organisation=organisation, name=name, category=SKILL_CATEGORIES.get(name, ""))
        for name in wanted
        if name not in found
    ]
    for skill in Skill.objects.bulk_create(missing):
        found[skill.name] = skill
    if any(s.pk is None for s in found.values()):  # backends without RETURNING ids
        found = {s.name: s for s in Skill.objects.filter(organisation=organisation, name__in=wanted)}
    return found


def project_create(
    *,
    organisation: Organisation,
    name: str,
    project_type: str,
    start_date: dt.date,
    client: Client | None = None,
    manager: User | None = None,
    with_template: bool = True,
    **fields: Any,
) -> Project:
    """Create a project, validated, with its spec and, by default, the type's starting breakdown."""
    with transaction.atomic():
        project = Project(
            organisation=organisation,
            name=name,
            project_type=project_type,
            start_date=start_date,
            client=client,
            manager=manager,
            **fields,
        )
        project.full_clean()
        project.save()
        template = template_for(project_type)
        spec = Spec.objects.create(project=project)
        SpecVersion.objects.create(
            spec=spec,
            number=1,
            created_by=manager,
            sections=[{"key": s.key, "title": s.title, "body": ""} for s in template.spec_sections],
        )
        if with_template:
            project_apply_template(project=project, template=template)
    return project


def project_apply_template(*, project: Project, template: ProjectTemplate | None = None) -> dict[str, Task]:
    """Add the template's phases, tasks, required skills and dependencies to the project.

    Returns the created tasks by template key. Phases and tasks go after any existing ones."""
    template = template or template_for(project.project_type)
    skills = ensure_skills(project.organisation, template.skill_names)
    phase_offset = project.phases.count()
    task_order = project.tasks.count()
    tasks: dict[str, Task] = {}
    with transaction.atomic():
        for index, phase_template in enumerate(template.phases, start=1):
            phase = Phase.objects.create(project=project, name=phase_template.name, order=phase_offset + index)
            for item in phase_template.tasks:
                task_order += 1
                tasks[item.key] = Task.objects.create(
                    project=project,
                    phase=phase,
                    name=item.name,
                    order=task_order,
                    effort_days=item.effort_days,
                    is_milestone=item.milestone,
                )
        TaskSkill.objects.bulk_create(
            TaskSkill(task=tasks[item.key], skill=skills[name], min_level=level)
            for item in template.tasks
            for name, level in item.skills
        )
        # Template links are acyclic by construction (checked by the tests), so no cycle check here.
        Dependency.objects.bulk_create(
            Dependency(predecessor=tasks[before], successor=tasks[item.key], lag_days=item.lag)
            for item in template.tasks
            for before in item.after
        )
    return tasks

