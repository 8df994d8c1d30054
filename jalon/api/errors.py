"""Domain errors as API answers: a model's ValidationError becomes a 422 listing each field's
message (the same sentences the forms show), a stale edit a 409 — never a server error."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from jalon.projects.services import StaleEditError

# Model field -> the name the API uses for it (foreign keys are sent as ids).
API_FIELD_NAMES = {
    "client": "client_id",
    "manager": "manager_id",
    "phase": "phase_id",
    "parent": "parent_id",
    "predecessor": "predecessor_id",
    "successor": "successor_id",
}


def field_errors(error: ValidationError) -> list[dict[str, Any]]:
    """[{"loc": ["body", field], "msg", "type"}], ninja's own shape for invalid input."""
    if not hasattr(error, "error_dict"):
        return [{"loc": ["body"], "msg": message, "type": error.code or "invalid"} for message in error.messages]
    rows = []
    for name, errors in error.error_dict.items():
        loc = ["body"] if name == NON_FIELD_ERRORS else ["body", API_FIELD_NAMES.get(name, name)]
        for item in errors:
            rows.extend({"loc": loc, "msg": message, "type": item.code or "invalid"} for message in item.messages)
    return rows


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
        if isinstance(error, StaleEditError):
            return api.create_response(request, {"detail": " ".join(error.messages)}, status=409)
        return api.create_response(request, {"detail": field_errors(error)}, status=422)

    @api.exception_handler(IntegrityError)
    def conflict(request: HttpRequest, error: IntegrityError) -> HttpResponse:
        # Validation checks the constraints first; this is the race where two requests pass
        # the check together and the database keeps the first.
        return api.create_response(
            request, {"detail": "Conflit avec une donnée enregistrée au même moment : rechargez et recommencez."},
            status=409,
        )
