"""Schemathesis against the served OpenAPI schema: for every operation, generated requests
(valid and invalid ones) sent to the Django WSGI app with an admin's token, on the seeded test
database. No answer may be a server error, and each must match the schema (status code,
content type, body). Bounded: ten examples per operation, derandomized, no shrinking: about
30 s for the 29 operations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jalon.api.services import token_create
from jalon.projects.models import Phase as WbsPhase
from jalon.projects.models import Task
from jalon.specs.models import Spec, SpecVersion
from tests.factories import make_dependency, make_task

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("schemathesis")]

EXAMPLES_PER_OPERATION = 10
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """A bare WSGIHandler closes the database connection at the end of each request, which on
    PostgreSQL ends the test's transaction; Django's test client does the same as this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(world, keep_connection) -> dict[str, Any]:
    """The world, a spec version, a link and a token: path ids point at real records, so the
    generated bodies reach the validation of real objects rather than stopping at a 404."""
    project = world.project_a
    version = SpecVersion.objects.create(spec=Spec.objects.create(project=project), number=1, sections=[])
    link = make_dependency(make_task(project, "Brief"), Task.objects.get(name="Maquettes"))
    known = {
        "project_id": project.pk,
        "task_id": Task.objects.get(name="Maquettes").pk,
        "phase_id": WbsPhase.objects.get(project=project).pk,
        "dependency_id": link.pk,
        "person_id": world.user("member").person.pk,
        "client_id": project.client_id,
        "number": version.number,
    }
    return {"token": token_create(user=world.user("admin"), name="schemathesis")[1], "known": known}


# Loaded at collection (pytest-django has set Django up by then); serving the schema needs no
# database. schemathesis' lazy `from_fixture` relies on pytest internals that pytest 9 removed.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
schema.config.generation.update(max_examples=EXAMPLES_PER_OPERATION, deterministic=True, no_shrink=True)
# Fuzzing (valid and invalid data, bounded by max_examples) and the schema's own examples. The
# exhaustive "coverage" phase alone takes longer than the whole budget of this test on 2 cores.
schema.config.phases.update(phases=["examples", "fuzzing"])


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_no_operation_answers_a_server_error_or_outside_its_schema(case, seeded):  # type: ignore[no-untyped-def]
    # Valid cases aim at real records; invalid ones keep their broken path (a 422, not a 404).
    if case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE:
        for name in (case.path_parameters or {}).keys() & seeded["known"].keys():
            case.path_parameters[name] = seeded["known"][name]
    case.call_and_validate(headers={"Authorization": f"Bearer {seeded['token']}"}, checks=CHECKS)
