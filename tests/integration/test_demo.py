"""The demo agency: counts, logins, dates relative to today, idempotent reloads."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Q
from django.utils import timezone

from jalon.accounts.models import Organisation, User
from jalon.engine.graph import find_cycle
from jalon.people.models import Absence, Person
from jalon.projects.demo import DEMO_PASSWORD, DemoConflictError, demo_load
from jalon.projects.models import Dependency, Project, Task
from jalon.specs.models import SpecVersion
from tests.factories import make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings: object) -> None:
    # Hashing five passwords with the production hasher would dominate these tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


def test_the_demo_has_the_announced_shape() -> None:
    summary = demo_load()
    assert summary.created
    assert {k: summary.counts[k] for k in ("clients", "projects", "people", "users")} == {
        "clients": 2, "projects": 3, "people": 8, "users": 5}
    assert sorted(Project.objects.values_list("project_type", flat=True)) == [
        "application_mobile", "seo", "site_ecommerce"]
    assert [login.username for login in summary.logins] == ["admin", "chef", "dev", "client", "client2"]
    assert any("jalon-demo" in line for line in summary.lines())


def test_demo_passwords_are_hashed_and_work() -> None:
    demo_load()
    for user in User.objects.all():
        assert user.password != DEMO_PASSWORD and user.password.startswith("md5$")
        assert user.check_password(DEMO_PASSWORD)
        user.full_clean()  # roles and clients are consistent


def test_demo_roles_fit_the_logins() -> None:
    demo_load()
    users = {u.username: u for u in User.objects.select_related("client")}
    assert users["admin"].role == "admin" and users["admin"].is_staff
    assert set(Project.objects.values_list("manager__username", flat=True)) == {"chef"}
    dev_projects = Project.objects.filter(members__person__user=users["dev"])
    assert dev_projects.count() == 2
    assert users["client"].client.name == "Maison Durand"
    assert users["client2"].client != users["client"].client
    assert users["client"].client.projects.filter(project_type="site_ecommerce").exists()


def test_demo_people_have_skills_rates_and_one_part_timer() -> None:
    demo_load()
    people = Person.objects.all()
    assert all(400 <= p.daily_rate <= 750 for p in people)
    assert all(p.skills.exists() for p in people)
    assert [float(p.capacity) for p in people if p.capacity < 1] == [0.8]
    jobs = set(people.values_list("job_title", flat=True))
    assert {"Cheffe de projet", "Graphiste", "UX designer", "Développeur mobile", "Intégratrice"} <= jobs


def test_demo_dates_are_relative_to_today_and_start_on_working_days() -> None:
    demo_load()
    today = timezone.localdate()
    starts = sorted(Project.objects.values_list("start_date", flat=True))
    assert all(start.weekday() < 5 for start in starts)
    assert starts[0] < today < starts[-1] <= today + dt.timedelta(days=14)
    assert Absence.objects.filter(start__gt=today).exists()


def test_demo_breakdowns_have_milestones_lags_and_a_portfolio_link_and_no_cycle() -> None:
    demo_load()
    assert Task.objects.filter(is_milestone=True, name="Validation des maquettes").count() == 2
    assert Task.objects.filter(is_milestone=True, name="Mise en ligne").count() == 2
    links = Dependency.objects.all()
    assert links.filter(type="SS").exists() and links.filter(lag_days__gt=0).exists()
    assert links.filter(lag_days__lt=0).exists()
    assert links.exclude(predecessor__project=F("successor__project")).count() == 1
    assert find_cycle(links.values_list("predecessor_id", "successor_id")) is None
    for task in Task.objects.all():
        task.full_clean()
    assert not Task.objects.filter(Q(is_milestone=False), ~Q(skills__isnull=False)).exists()


def test_each_demo_spec_has_a_validated_v1_and_a_draft_v2_with_traced_requirements() -> None:
    demo_load()
    for project in Project.objects.all():
        v1, v2 = project.spec.versions.order_by("number")
        assert (v1.status, v2.status) == (SpecVersion.Status.VALIDATED, SpecVersion.Status.DRAFT)
        assert v1.validated_by.role == "client" and v1.validated_at.tzinfo is not None
        assert 4 <= v1.requirements.count() <= 8 and v2.requirements.count() == v1.requirements.count() + 1
        assert v1.requirements.filter(tasks__project=project).exists()
        assert {r.priority for r in v1.requirements.all()} >= {"must", "should"}


def test_reloading_the_demo_gives_the_same_data() -> None:
    first = demo_load()
    second = demo_load(reset=True)
    assert second.created and second.counts == first.counts
    assert Organisation.objects.count() == 1


def test_loading_without_reset_leaves_an_existing_demo_untouched() -> None:
    first = demo_load()
    Project.objects.filter(code="DUR-SEO").update(name="Renommé par l'utilisateur")
    again = demo_load(reset=False)
    assert not again.created and again.counts == first.counts
    assert Project.objects.filter(name="Renommé par l'utilisateur").exists()


def test_the_demo_refuses_to_take_over_a_real_account() -> None:
    make_user(role="manager", org=make_org("Mon agence"), username="chef")
    with pytest.raises(DemoConflictError, match="chef"):
        demo_load()
    with pytest.raises(CommandError, match="chef"):
        call_command("demo", stdout=StringIO())


def test_the_command_loads_only_an_empty_database_with_if_empty() -> None:
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "mot de passe de tous les comptes : jalon-demo" in out.getvalue()
    Project.objects.filter(code="DUR-SEO").delete()
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "pas chargée" in out.getvalue() and Project.objects.count() == 2
    call_command("demo", stdout=StringIO())
    assert Project.objects.count() == 3
