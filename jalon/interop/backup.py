"""Backup and restore of a whole organisation as one JSON file.

    {"format": "jalon-backup", "version": 1, "organisation": "Agence Durand",
     "models": [{"model": "accounts.organisation", "rows": [{...}]}, ...]}

What goes in: every row of every Jalon model that leads to the organisation through its
foreign keys (users, clients, projects, phases, tasks, people, specs, baselines, plan runs and
the many-to-many links between them), found from the models themselves, so that a model added
later is backed up without touching this file (API tokens and calendar-feed keys included).
Left out: background-job progress (transient), rows of Django's own tables (groups,
permissions, sessions) and the change history (django-simple-history tables): it records raw
ids, some of rows long deleted, which a restore cannot map; a restored organisation starts a
new history.

Ids: a row is referred to by its rank in its model's list (1 = first by primary key), never by
its database id, so a file does not depend on the database it came from. Rows are written in
primary-key order with sorted keys; a restore inserts them in that order, so backing up the
restored organisation gives the same bytes again (a test proves it).

Passwords: users' password *hashes* are included, so people log in after a restore with their
usual password. Treat a backup file like the database itself: it holds personal data and
hashes. Restoring needs a database without the same usernames (an empty one, or another
server), and refuses a file from a newer format version.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections import deque
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import IntegrityError, connection, models, transaction

from jalon.accounts.models import Organisation

FORMAT = "jalon-backup"
VERSION = 1
# Transient state of background work: a restored organisation starts with no job running.
EXCLUDED = {"jobs.jobprogress"}
_BATCH = 500

Progress = Callable[[str, int, int], None]  # (model label, index, model count)


class BackupError(ValueError):
    """The backup file cannot be restored; the message says why in one sentence."""


# --------------------------------------------------------------------------- the models


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey]:
    return [f for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)]  # type: ignore[misc]


def _path_to_organisation(model: type[models.Model], allow_null: bool) -> str | None:
    """The shortest lookup (`project__organisation`) from the model to Organisation."""
    queue: deque[tuple[type[models.Model], str]] = deque([(model, "")])
    seen = {model}
    while queue:
        current, path = queue.popleft()
        for field in _foreign_keys(current):
            if field.null and not allow_null:
                continue
            target = field.related_model
            lookup = f"{path}__{field.name}" if path else field.name
            if target is Organisation:
                return lookup
            if target not in seen and target._meta.app_config.name.startswith("jalon."):  # type: ignore[union-attr]
                seen.add(target)
                queue.append((target, lookup))
    return None


def backed_up_models() -> list[tuple[type[models.Model], str]]:
    """(model, lookup to the organisation) for every model in a backup, parents first."""
    found: dict[type[models.Model], str] = {Organisation: "pk"}
    for model in apps.get_models(include_auto_created=True):
        if (not model._meta.app_config.name.startswith("jalon.") or model._meta.label_lower in EXCLUDED
                or model is Organisation or _is_history(model)):
            continue
        path = _path_to_organisation(model, allow_null=False) or _path_to_organisation(model, allow_null=True)
        if path is not None:
            found[model] = path
    # A model holding a required link to rows outside the backup cannot be restored: leave it out.
    changed = True
    while changed:
        changed = False
        for model in list(found):
            if any(not f.null and f.related_model not in found and f.related_model is not model for f in _foreign_keys(model)):
                del found[model]
                changed = True
    return [(model, found[model]) for model in _parents_first(list(found))]


def _parents_first(models_: list[type[models.Model]]) -> list[type[models.Model]]:
    """Order so that required foreign keys point backwards; ties by label, for stable files."""
    pending = sorted(models_, key=lambda m: m._meta.label_lower)
    ordered: list[type[models.Model]] = []
    while pending:
        for model in pending:
            needs = {f.related_model for f in _foreign_keys(model) if not f.null} - {model}
            if needs <= set(ordered) | (needs - set(pending)):
                ordered.append(model)
                pending.remove(model)
                break
        else:  # a cycle of required keys: cannot happen with Jalon's models, keep going anyway
            ordered.append(pending.pop(0))
    return ordered


def _is_history(model: type[models.Model]) -> bool:
    """A django-simple-history audit table: it stores raw ids of rows, some long deleted."""
    names = {f.name for f in model._meta.concrete_fields}
    return {"history_id", "history_date"} <= names


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


# --------------------------------------------------------------------------- values


def _dump(field: models.Field, value: Any) -> Any:  # type: ignore[type-arg]
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, models.fields.files.FieldFile):
        return value.name
    return value


def _load(field: models.Field, raw: Any) -> Any:  # type: ignore[type-arg]
    if raw is None or isinstance(field, models.JSONField):
        return raw
    if isinstance(field, models.BinaryField):
        return base64.b64decode(raw)
    return field.to_python(raw)


# --------------------------------------------------------------------------- backup


def organisation_backup(*, organisation: Organisation, progress: Progress | None = None) -> bytes:
    """The organisation and everything that belongs to it, as JSON bytes (see module docstring)."""
    plan = backed_up_models()
    rank: dict[type[models.Model], dict[Any, int]] = {}
    rows_of: dict[type[models.Model], list[models.Model]] = {}
    for model, path in plan:
        rows = list(model._base_manager.filter(**{path: organisation.pk}).order_by("pk"))
        rows_of[model] = rows
        rank[model] = {row.pk: n for n, row in enumerate(rows, start=1)}
    sections = []
    for index, (model, _path) in enumerate(plan):
        if progress:
            progress(_label(model), index, len(plan))
        sections.append({"model": _label(model), "rows": [_row(row, rank) for row in rows_of[model]]})
    document = {"format": FORMAT, "version": VERSION, "organisation": organisation.name, "models": sections}
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8") + b"\n"


def _row(row: models.Model, rank: dict[type[models.Model], dict[Any, int]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in row._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.is_relation:
            target = getattr(row, field.attname)
            ranks = rank.get(field.related_model, {})  # type: ignore[arg-type]
            if target is not None and target not in ranks and not field.null:
                raise BackupError(f"{_label(type(row))} #{row.pk}: its {field.name} belongs to another organisation")
            values[field.name] = ranks.get(target) if target is not None else None
        else:
            values[field.name] = _dump(field, getattr(row, field.attname))
    return values


# --------------------------------------------------------------------------- restore


def _header(data: bytes | str) -> dict[str, Any]:
    try:
        document = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BackupError(f"the file is not valid JSON ({error}): is it a Jalon backup?") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"the file is not a Jalon backup (expected \"format\": \"{FORMAT}\")")
    version = document.get("version")
    if not isinstance(version, int) or version < 1:
        raise BackupError(f"the backup has no valid format version (got {version!r})")
    if version > VERSION:
        raise BackupError(f"the backup was written by a newer Jalon (format version {version}); this Jalon reads "
                          f"version {VERSION} at most: update Jalon, then restore it")
    if not isinstance(document.get("models"), list):
        raise BackupError("the backup has no \"models\" list")
    return document


def organisation_restore(*, data: bytes | str, progress: Progress | None = None) -> Organisation:
    """Recreate a backed-up organisation, all or nothing. Raises BackupError in one sentence."""
    document = _header(data)
    plan = backed_up_models()
    by_label = {_label(m): m for m, _path in plan}
    sections: dict[type[models.Model], list[dict[str, Any]]] = {}
    for section in document["models"]:
        model = by_label.get(section.get("model"))
        if model is None:
            raise BackupError(f"the backup holds rows of {section.get('model')!r}, a model this Jalon does not back up")
        sections[model] = section.get("rows") or []
    if len(sections.get(Organisation, [])) != 1:
        raise BackupError("the backup must hold exactly one organisation")
    _refuse_existing_users(sections)
    try:
        with transaction.atomic():
            return _insert_all(plan, sections, progress)
    except IntegrityError as error:
        raise BackupError(f"the backup conflicts with data already in this database ({error})") from None


def _refuse_existing_users(sections: dict[type[models.Model], list[dict[str, Any]]]) -> None:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    names = [row.get(user_model.USERNAME_FIELD) for row in sections.get(user_model, [])]
    taken = sorted(user_model._base_manager.filter(**{f"{user_model.USERNAME_FIELD}__in": names}).values_list(
        user_model.USERNAME_FIELD, flat=True))
    if taken:
        raise BackupError(f"these logins already exist in this database: {', '.join(taken)}; "
                          "restore into an empty database or delete them first")


def _insert_all(plan: list[tuple[type[models.Model], str]], sections: dict[type[models.Model], list[dict[str, Any]]],
                progress: Progress | None) -> Organisation:
    position = {model: n for n, (model, _path) in enumerate(plan)}
    new_pk: dict[type[models.Model], list[Any]] = {}
    later: list[tuple[models.Model, str, type[models.Model], int]] = []  # links to rows not inserted yet
    for index, (model, _path) in enumerate(plan):
        if progress:
            progress(_label(model), index, len(plan))
        objects, stamps = [], []
        for number, raw in enumerate(sections.get(model, []), start=1):
            obj, stamp = _object(model, raw, number, position, new_pk, later)
            objects.append(obj)
            stamps.append(stamp)
        created = _bulk_create(model, objects)
        new_pk[model] = [obj.pk for obj in created]
        _restore_stamps(model, created, stamps)
    _link_later(later, new_pk)
    return Organisation.objects.get(pk=new_pk[Organisation][0])


def _object(model: type[models.Model], raw: dict[str, Any], number: int, position: dict[type[models.Model], int],
            new_pk: dict[type[models.Model], list[Any]], later: list) -> tuple[models.Model, dict[str, Any]]:  # type: ignore[type-arg]
    fields = {f.name: f for f in model._meta.concrete_fields if not f.primary_key}
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        raise BackupError(f"{_label(model)} row {number}: unknown field(s) {', '.join(unknown)}")
    obj = model()
    stamps: dict[str, Any] = {}
    for name, value in raw.items():
        field = fields[name]
        if field.is_relation:
            target = field.related_model
            if value is None:
                setattr(obj, field.attname, None)
            elif target in new_pk:
                setattr(obj, field.attname, _target_pk(new_pk, target, value, model, number, name))  # type: ignore[arg-type]
            else:  # a row of this model or a later one: set once everything exists
                setattr(obj, field.attname, None)
                later.append((obj, field.attname, target, value))
            continue
        try:
            setattr(obj, field.attname, _load(field, value))
        except Exception as error:  # noqa: BLE001  (to_python raises ValidationError or ValueError)
            raise BackupError(f"{_label(model)} row {number}, field {name}: {error}") from None
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            stamps[field.attname] = getattr(obj, field.attname)
    return obj, stamps


def _target_pk(new_pk: dict[type[models.Model], list[Any]], target: type[models.Model], value: Any,
               model: type[models.Model], number: int, name: str) -> Any:
    pks = new_pk[target]
    if not isinstance(value, int) or not 1 <= value <= len(pks):
        raise BackupError(f"{_label(model)} row {number}: {name} refers to row {value!r} of {_label(target)}, which does not exist")
    return pks[value - 1]


def _bulk_create(model: type[models.Model], objects: list[models.Model]) -> list[models.Model]:
    if connection.features.can_return_rows_from_bulk_insert:
        return model._base_manager.bulk_create(objects, batch_size=_BATCH)
    for obj in objects:
        obj.save(force_insert=True)
    return objects


def _restore_stamps(model: type[models.Model], objects: list[models.Model], stamps: list[dict[str, Any]]) -> None:
    """Saving sets auto_now fields to now; put back the backed-up values (bulk_update does not
    touch them), so the restored rows keep their history."""
    names = sorted({name for stamp in stamps for name in stamp})
    if not names:
        return
    for obj, stamp in zip(objects, stamps):
        for name, value in stamp.items():
            setattr(obj, name, value)
    fields = [model._meta.get_field(f.name).name for f in model._meta.concrete_fields if f.attname in names]
    model._base_manager.bulk_update(objects, fields, batch_size=_BATCH)


def _link_later(later: list, new_pk: dict[type[models.Model], list[Any]]) -> None:  # type: ignore[type-arg]
    changed: dict[type[models.Model], dict[Any, tuple[models.Model, set[str]]]] = {}
    for obj, attname, target, value in later:
        model = type(obj)
        setattr(obj, attname, _target_pk(new_pk, target, value, model, 0, attname))
        entry = changed.setdefault(model, {}).setdefault(obj.pk, (obj, set()))
        entry[1].add(attname)
    for model, entries in changed.items():
        names = sorted({a for _obj, attnames in entries.values() for a in attnames})
        fields = [f.name for f in model._meta.concrete_fields if f.attname in names]
        model._base_manager.bulk_update([obj for obj, _a in entries.values()], fields, batch_size=_BATCH)
