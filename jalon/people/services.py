"""Use cases of the team: collaborators, their skills (with levels) and their absences.

People, skills and absences carry no version column: an edit form sends the fingerprint of
what it showed, and a save is refused (with a reload message) if the row changed meanwhile."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from jalon.people.models import Absence, Person, PersonSkill, Skill


class StaleTeamEditError(ValidationError):
    """The record changed since the form was loaded."""


def row_fingerprint(instance: Model, fields: Iterable[str]) -> str:
    """Digest of the stored values an edit form displays."""
    values = {name: getattr(instance, f"{name}_id" if instance._meta.get_field(name).is_relation else name)
              for name in fields}
    payload = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _check_fresh(instance: Model, fields: Iterable[str], expected: str | None) -> None:
    if instance.pk is None or not expected:
        return
    stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if row_fingerprint(stored, fields) != expected:
        raise StaleTeamEditError(
            _("« %(name)s » a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert. "
              "Rechargez la page pour voir sa dernière version, puis refaites votre modification.")
            % {"name": stored},
            code="stale",
        )


def _save(instance: Model, *, fields: Iterable[str] = (), expected: str | None = None) -> Model:
    with transaction.atomic():
        _check_fresh(instance, fields, expected)
        instance.full_clean()
        instance.save()
    return instance


def person_save(*, person: Person, fields: Iterable[str] = (), expected: str | None = None) -> Person:
    """Create or update a collaborator."""
    return _save(person, fields=fields, expected=expected)  # type: ignore[return-value]


def skill_create(*, skill: Skill) -> Skill:
    return _save(skill)  # type: ignore[return-value]


def person_skill_set(*, person: Person, skill: Skill, level: int | None) -> PersonSkill | None:
    """Give the person the skill at `level` (1–5), or take it away when `level` is None."""
    if skill.organisation_id != person.organisation_id:
        raise ValidationError(_("La compétence « %(skill)s » appartient à une autre organisation.") % {"skill": skill})
    with transaction.atomic():
        if level is None:
            PersonSkill.objects.filter(person=person, skill=skill).delete()
            return None
        held = PersonSkill.objects.select_for_update().filter(person=person, skill=skill).first() \
            or PersonSkill(person=person, skill=skill)
        held.level = level
        held.full_clean()
        held.save()
    return held


def absence_save(*, absence: Absence, fields: Iterable[str] = (), expected: str | None = None) -> Absence:
    """Create or update an absence."""
    return _save(absence, fields=fields, expected=expected)  # type: ignore[return-value]


def absence_delete(*, absence: Absence) -> None:
    with transaction.atomic():
        absence.delete()
