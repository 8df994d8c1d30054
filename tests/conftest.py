"""Named users, one per role, and the projects they see (healthchecks' alice/bob/charlie, with
Jalon's roles). Access tests run every role in ROLE_ORDER against each view.

Agence Durand (the organisation):
  project_a  "Refonte boulangerie" for client A, managed by pm, member staffed on it
  project_b  "Boutique cave" for client B, managed by another manager (pm does not see it)
Agence Rivale (another organisation): outsider, a manager there, with a project of their own.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest

# Names of the users in the order of every access-matrix row; None stands for anonymous.
ROLE_ORDER = ("anonymous", "admin", "pm", "member", "client_a", "client_b", "outsider")


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist registers this marker; declare it too so `-p no:xdist` runs pass --strict-markers.
    config.addinivalue_line("markers", "xdist_group(name): run these tests in one xdist worker")


@dataclass
class World:
    users: dict[str, object]  # role name -> User (or None for anonymous)
    project_a: object
    project_b: object
    outsider_project: object

    def user(self, role: str) -> object:
        return self.users[role]


def build_world() -> World:
    """Create the shared cast. Imported lazily: factories need Django set up."""
    from jalon.accounts.models import User
    from tests.factories import (
        make_assignment,
        make_client,
        make_member,
        make_org,
        make_person,
        make_phase,
        make_project,
        make_task,
        make_user,
    )

    Role = User.Role
    org = make_org("Agence Durand")
    client_a = make_client(org, "Boulangerie Martin")
    client_b = make_client(org, "Cave Dupont")
    users: dict[str, object] = {
        "anonymous": None,
        "admin": make_user(Role.ADMIN, org, username="admin", first_name="Alice", last_name="Admin"),
        "pm": make_user(Role.MANAGER, org, username="pm", first_name="Paul", last_name="Martin"),
        "member": make_user(Role.MEMBER, org, username="member", first_name="Mona", last_name="Graphiste"),
        "client_a": make_user(Role.CLIENT, org, client=client_a, username="client_a"),
        "client_b": make_user(Role.CLIENT, org, client=client_b, username="client_b"),
    }
    other_pm = make_user(Role.MANAGER, org, username="other_pm")
    rival = make_org("Agence Rivale")
    users["outsider"] = make_user(Role.MANAGER, rival, username="outsider")

    project_a = make_project(
        org, client=client_a, manager=users["pm"], name="Refonte boulangerie", code="BOUL",
        project_type="site_vitrine", status="in_progress", deadline=dt.date(2030, 3, 29),
        budget_amount=Decimal("24500"), sold_days=Decimal("35"),
    )
    member_person = make_person(org, "Mona", user=users["member"], last_name="Graphiste",
                                job_title="Graphiste", daily_rate=Decimal("480"))
    make_member(project_a, member_person)
    design = make_phase(project_a, "Design UI", order=1)
    mockups = make_task(project_a, "Maquettes", effort_days=5, phase=design, order=1)
    make_assignment(mockups, member_person)
    make_task(project_a, "Validation des maquettes", effort_days=0, is_milestone=True, phase=design,
              order=2, deadline=dt.date(2030, 2, 14))

    project_b = make_project(org, client=client_b, manager=other_pm, name="Boutique cave", code="CAVE",
                             project_type="site_ecommerce", budget_amount=Decimal("48000"))
    outsider_project = make_project(rival, manager=users["outsider"], name="Projet rival", code="RIV")
    return World(users, project_a, project_b, outsider_project)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    """PBKDF2's deliberate slowness (~0.3 s a user) would dominate the suite; tests need none."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def live_world(transactional_db: None) -> World:
    """The same cast for tests whose data must be committed (browser, real worker)."""
    return build_world()


@pytest.fixture
def pm(world: World) -> object:
    return world.user("pm")


@pytest.fixture
def project_a(world: World) -> object:
    return world.project_a


@pytest.fixture
def as_role(client):  # type: ignore[no-untyped-def]
    """`as_role(world, "pm")` logs the test client in as that role (anonymous: logged out)."""
    def login(world: World, role: str):  # type: ignore[no-untyped-def]
        client.logout()
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        return client
    return login


@pytest.fixture
def status_row(as_role):  # type: ignore[no-untyped-def]
    """The status code each role gets for one request, in ROLE_ORDER."""
    def row(world: World, method: str, url: str, data: dict[str, str] | None = None) -> list[int]:
        codes = []
        for role in ROLE_ORDER:
            http = as_role(world, role)
            response = http.post(url, data or {}) if method == "POST" else http.get(url)
            codes.append(response.status_code)
        return codes
    return row


@pytest.fixture
def browser_env() -> Iterator[None]:
    """Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls
    from such a thread unless told it is safe (it is: the live server has its own thread)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def run_worker_batch() -> Callable[[], None]:
    """`jalon worker --batch` in this process, so it sees the test database. The worker
    installs its own Ctrl-C handlers; they must not outlive it."""
    from django.core.management import call_command

    def run() -> None:
        saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        try:
            call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0",
                         verbosity=0)
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)
    return run


# Every role of the issue-5 access matrices, in this order: the PM of another project of the
# same organisation (other_pm, manager of project_b) and a member staffed on no project of
# client A (member_off) come on top of ROLE_ORDER's cast.
EVERY_ROLE_ORDER = ("anonymous", "admin", "pm", "other_pm", "member", "member_off", "client_a", "client_b", "outsider")


@pytest.fixture
def every_role_world(world: World) -> World:
    from jalon.accounts.models import User
    from tests.factories import make_member, make_person, make_user

    world.users["other_pm"] = User.objects.get(username="other_pm")
    member_off = make_user(User.Role.MEMBER, world.project_a.organisation, username="member_off")
    make_member(world.project_b, make_person(world.project_a.organisation, "Marc", user=member_off))
    world.users["member_off"] = member_off
    return world


@pytest.fixture
def every_role_row(as_role):  # type: ignore[no-untyped-def]
    """The status code each role of EVERY_ROLE_ORDER gets for one request."""
    def row(world: World, method: str, url: str, data: dict[str, object] | None = None, **headers: str) -> list[int]:
        codes = []
        for role in EVERY_ROLE_ORDER:
            http = as_role(world, role)
            response = http.post(url, data or {}, headers=headers) if method == "POST" else http.get(url, headers=headers)
            codes.append(response.status_code)
        return codes
    return row
