"""Use cases of the cahier des charges: write a draft, submit it, have it validated or
rejected, start a new version from the last one, compare two versions.

Life cycle of a version: draft → submitted → validated | rejected. Only a draft is edited: a
submitted version is what the client is reading, a validated one is the contract (frozen by the
model too), a rejected one is the record of what was refused. "Nouvelle version" copies the last
version (sections, requirements and their links to tasks) into a new draft.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jalon.accounts.models import User
from jalon.projects.models import Project
from jalon.projects.templates_data import template_for
from jalon.specs.models import Requirement, Spec, SpecVersion

Status = SpecVersion.Status
CODE_PREFIX = "EX"
STALE_MESSAGE = (
    "« %(name)s » a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert. "
    "Rechargez la page pour voir sa dernière version, puis refaites votre modification."
)
# Fields a requirement's fingerprint covers: what the edit form shows.
REQUIREMENT_FIELDS = ("code", "title", "description", "priority", "acceptance_criteria", "order")


class SpecWorkflowError(ValidationError):
    """An action that the version's status does not allow (submit twice, edit a submitted one)."""


class StaleSpecError(ValidationError):
    """The text changed since the form was loaded: refused, the user reloads."""


# --- fingerprints: optimistic locking without a version column -------------------------------


def fingerprint(value: Any) -> str:
    """A short digest of what a form displayed; compared with the stored row on save."""
    payload = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def requirement_fingerprint(requirement: Requirement) -> str:
    return fingerprint({name: getattr(requirement, name) for name in REQUIREMENT_FIELDS})


def _check_fresh(expected: str | None, current: str, name: object) -> None:
    if expected and expected != current:
        raise StaleSpecError(_(STALE_MESSAGE) % {"name": name}, code="stale")


# --- status guards ----------------------------------------------------------------------------


def ensure_editable(version: SpecVersion) -> None:
    """Refuse any change to a version that is not a draft, saying what to do instead."""
    if version.status == Status.DRAFT:
        return
    if version.status == Status.VALIDATED:
        raise version.frozen_error()
    if version.status == Status.SUBMITTED:
        message = _("La version %(number)s est soumise au client : attendez sa décision, "
                    "ou créez une nouvelle version pour la modifier.")
    else:
        message = _("La version %(number)s a été refusée : créez une nouvelle version pour la corriger.")
    raise SpecWorkflowError(message % {"number": version.number}, code="not_draft")


def _locked(version: SpecVersion) -> SpecVersion:
    """The stored row, locked until the transaction ends: two decisions cannot cross."""
    return SpecVersion.objects.select_for_update().get(pk=version.pk)


# --- the spec and its versions ----------------------------------------------------------------


def spec_for_project(*, project: Project, by: User | None = None) -> Spec:
    """The project's spec, created with a first draft from the type's template when missing
    (projects created outside `project_create`, e.g. by an import)."""
    with transaction.atomic():
        spec, _created = Spec.objects.get_or_create(project=project)
        if not spec.versions.exists():
            sections = [{"key": s.key, "title": s.title, "body": ""} for s in template_for(project.project_type).spec_sections]
            SpecVersion.objects.create(spec=spec, number=1, created_by=by, sections=sections)
    return spec


def spec_sections_save(*, version: SpecVersion, sections: list[dict[str, str]], expected: str | None) -> SpecVersion:
    """Store the section texts of a draft. `expected` is the fingerprint of the sections the
    form showed: if someone saved in between, nothing is overwritten."""
    with transaction.atomic():
        stored = _locked(version)
        ensure_editable(stored)
        _check_fresh(expected, fingerprint(stored.sections), _("le cahier des charges v%(n)s") % {"n": stored.number})
        stored.sections = sections
        stored.full_clean()
        stored.save(update_fields=["sections"])
    version.sections = stored.sections
    return version


def spec_version_submit(*, version: SpecVersion) -> SpecVersion:
    """Send a draft to the client: from now on it is read, not edited."""
    with transaction.atomic():
        stored = _locked(version)
        if stored.status != Status.DRAFT:
            raise SpecWorkflowError(
                _("Seul un brouillon peut être soumis : la version %(number)s est « %(status)s ».")
                % {"number": stored.number, "status": stored.get_status_display()},
                code="not_draft",
            )
        stored.status, stored.submitted_at = Status.SUBMITTED, timezone.now()
        stored.save(update_fields=["status", "submitted_at"])
    return stored


def _decide(*, version: SpecVersion, by: User, comment: str, status: str) -> SpecVersion:
    with transaction.atomic():
        stored = _locked(version)
        if stored.status != Status.SUBMITTED:
            raise SpecWorkflowError(
                _("La version %(number)s n'est pas soumise au client (statut : « %(status)s ») : "
                  "il n'y a rien à valider ou refuser.")
                % {"number": stored.number, "status": stored.get_status_display()},
                code="not_submitted",
            )
        # validated_by/at record who decided and when, for a refusal too.
        stored.status, stored.validated_by, stored.validated_at = status, by, timezone.now()
        stored.validation_comment = comment.strip()
        stored.full_clean()
        stored.save()
    return stored


def spec_version_validate(*, version: SpecVersion, by: User, comment: str = "") -> SpecVersion:
    """The client (or the PM on their behalf) accepts a submitted version: it is frozen."""
    return _decide(version=version, by=by, comment=comment, status=Status.VALIDATED)


def spec_version_reject(*, version: SpecVersion, by: User, comment: str) -> SpecVersion:
    """The client refuses a submitted version; the comment says what must change."""
    if not comment.strip():
        raise ValidationError(_("Dites ce qui doit changer : un commentaire est obligatoire pour refuser."))
    return _decide(version=version, by=by, comment=comment, status=Status.REJECTED)


def spec_version_new(*, spec: Spec, by: User | None) -> SpecVersion:
    """A new draft copied from the last version: sections, requirements and their tasks."""
    with transaction.atomic():
        # Lock the spec so that two clicks cannot create the same version number twice.
        Spec.objects.select_for_update().filter(pk=spec.pk).first()
        last = spec.versions.order_by("-number").first()
        if last is None:
            raise SpecWorkflowError(_("Ce cahier des charges n'a encore aucune version."), code="empty")
        if last.status == Status.DRAFT:
            raise SpecWorkflowError(
                _("La version %(number)s est encore un brouillon : modifiez-la directement.") % {"number": last.number},
                code="draft_exists",
            )
        new = SpecVersion.objects.create(
            spec=spec, number=last.number + 1, created_by=by, sections=[dict(s) for s in last.sections]
        )
        _copy_requirements(source=last, target=new)
    return new


def _copy_requirements(*, source: SpecVersion, target: SpecVersion) -> None:
    originals = list(source.requirements.prefetch_related("tasks").order_by("order", "code"))
    copies = Requirement.objects.bulk_create(
        Requirement(version=target, **{name: getattr(r, name) for name in REQUIREMENT_FIELDS}) for r in originals
    )
    if any(c.pk is None for c in copies):  # backends without RETURNING ids
        by_code = {r.code: r for r in target.requirements.all()}
        copies = [by_code[r.code] for r in originals]
    links = Requirement.tasks.through
    links.objects.bulk_create(
        links(requirement_id=copy.pk, task_id=task.pk)
        for original, copy in zip(originals, copies, strict=True)
        for task in original.tasks.all()
    )


# --- requirements -----------------------------------------------------------------------------


def requirement_next_code(version: SpecVersion, prefix: str = CODE_PREFIX) -> str:
    """The next code: EX-01, EX-02… (EX-100 after EX-99). Codes of every version of the spec
    count, so a requirement removed in v2 never lends its code to a different one in v3."""
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    codes = Requirement.objects.filter(version__spec_id=version.spec_id).values_list("code", flat=True)
    numbers = [int(m.group(1)) for code in codes if (m := pattern.match(code))]
    return f"{prefix}-{max(numbers, default=0) + 1:02d}"


def requirement_save(*, requirement: Requirement, expected: str | None = None, tasks: Iterable[Any] | None = None) -> Requirement:
    """Create or update a requirement of a draft; `expected` is the fingerprint the edit form
    showed, `tasks` (when given) replaces its traceability links."""
    with transaction.atomic():
        version = _locked(requirement.version)
        ensure_editable(version)
        if requirement.pk is not None:
            stored = Requirement.objects.select_for_update().get(pk=requirement.pk)
            _check_fresh(expected, requirement_fingerprint(stored), stored.code)
        elif not requirement.order:
            requirement.order = (version.requirements.aggregate(m=Max("order"))["m"] or 0) + 1
        requirement.full_clean()
        requirement.save()
        if tasks is not None:
            requirement.tasks.set(list(tasks))
    return requirement


def requirement_delete(*, requirement: Requirement) -> None:
    with transaction.atomic():
        ensure_editable(_locked(requirement.version))
        requirement.delete()


# --- comparing two versions -------------------------------------------------------------------


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "context", "added", "removed", "hunk"
    text: str


@dataclass(frozen=True)
class SectionDiff:
    key: str
    title: str
    change: str  # "added", "removed", "changed", "same"
    lines: tuple[DiffLine, ...] = ()


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class RequirementChange:
    code: str
    title: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class SpecDiff:
    old: SpecVersion
    new: SpecVersion
    sections: tuple[SectionDiff, ...]
    added: tuple[Requirement, ...] = ()
    removed: tuple[Requirement, ...] = ()
    changed: tuple[RequirementChange, ...] = field(default=())

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed or any(s.change != "same" for s in self.sections))


def _diff_line(line: str) -> DiffLine:
    if line.startswith("@@"):
        return DiffLine("hunk", line)
    return DiffLine({"+": "added", "-": "removed"}.get(line[:1], "context"), line[1:])


def _text_diff(before: str, after: str) -> tuple[DiffLine, ...]:
    """A unified diff of two texts, line by line, without the two file header lines."""
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=2))
    return tuple(_diff_line(line) for line in lines[2:])


def _section_diffs(old: Sequence[dict[str, str]], new: Sequence[dict[str, str]]) -> tuple[SectionDiff, ...]:
    before = {s["key"]: s for s in old}
    after = {s["key"]: s for s in new}
    diffs: list[SectionDiff] = []
    for section in new:
        previous = before.get(section["key"])
        if previous is None:
            diffs.append(SectionDiff(section["key"], section["title"], "added", _text_diff("", section["body"])))
        elif previous["body"] == section["body"] and previous["title"] == section["title"]:
            diffs.append(SectionDiff(section["key"], section["title"], "same"))
        else:
            diffs.append(SectionDiff(section["key"], section["title"], "changed", _text_diff(previous["body"], section["body"])))
    diffs.extend(SectionDiff(s["key"], s["title"], "removed", _text_diff(s["body"], "")) for s in old if s["key"] not in after)
    return tuple(diffs)


def _requirement_changes(old: Requirement, new: Requirement) -> tuple[FieldChange, ...]:
    changes = []
    for name in ("title", "description", "priority", "acceptance_criteria"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            if name == "priority":
                before, after = old.get_priority_display(), new.get_priority_display()
            changes.append(FieldChange(str(Requirement._meta.get_field(name).verbose_name), before, after))
    return tuple(changes)


def spec_version_diff(a: SpecVersion, b: SpecVersion) -> SpecDiff:
    """What changed from the older of the two versions to the newer: sections as unified
    diffs, requirements matched by code (added, removed, changed with each field)."""
    old, new = (a, b) if a.number <= b.number else (b, a)
    if old.spec_id != new.spec_id:
        raise ValidationError(_("Les deux versions n'appartiennent pas au même cahier des charges."))
    before = {r.code: r for r in old.requirements.all()}
    after = {r.code: r for r in new.requirements.all()}
    changed = []
    for code, requirement in after.items():
        if code in before and (fields := _requirement_changes(before[code], requirement)):
            changed.append(RequirementChange(code, requirement.title, fields))
    return SpecDiff(
        old=old,
        new=new,
        sections=_section_diffs(old.sections, new.sections),
        added=tuple(r for code, r in after.items() if code not in before),
        removed=tuple(r for code, r in before.items() if code not in after),
        changed=tuple(changed),
    )
