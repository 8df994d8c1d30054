"""What the portal pages show and do: the client sees their project without any money figure,
decides, files requests; the PM triages and reads the effect on the plan."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from jalon.portal import services
from jalon.portal.models import ChangeRequest
from jalon.projects.models import Deliverable
from jalon.specs import services as specs
from tests.factories import make_dependency, make_skill

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(world):  # type: ignore[no-untyped-def]
    spec = specs.spec_for_project(project=world.project_a, by=world.user("pm"))
    return specs.spec_version_submit(version=spec.versions.get())


def accepted_change(world) -> ChangeRequest:  # type: ignore[no-untyped-def]
    project = world.project_a
    milestone = project.tasks.get(name="Validation des maquettes")
    make_dependency(project.tasks.get(name="Maquettes"), milestone)
    change = services.change_request_file(project=project, by=world.user("client_a"), title="Page FAQ", description="FAQ")
    return services.change_request_accept(change_request=change, by=world.user("pm"),
                                          tasks=[services.NewTask(name="FAQ", effort_days=Decimal("3"), after=milestone)])


def test_the_client_sees_their_project_without_any_money_figure(world, as_role, submitted):
    Deliverable.objects.create(project=world.project_a, name="Maquettes HD", status="delivered")
    accepted_change(world)
    page = as_role(world, "client_a").get(reverse("portal_project", args=[world.project_a.pk])).content.decode()
    for shown in ("Refonte boulangerie", "Validation des maquettes", "Maquettes HD", "Version 1", "À valider", "Page FAQ",
                  "Aucun rapport publié"):
        assert shown in page
    for hidden in ("€", "24500", "24 500", "TJM", "480", "Boutique cave", "Budget"):
        assert hidden not in page


def test_the_client_home_lists_their_projects_only(world, as_role, submitted):
    page = as_role(world, "client_a").get(reverse("portal_home")).content.decode()
    assert "Refonte boulangerie" in page and "Boutique cave" not in page
    assert "1 version du cahier des charges" in page


def test_an_accepted_request_shows_the_client_the_new_end_but_not_the_cost(world, as_role):
    change = accepted_change(world)
    assert change.extra_cost > 0
    page = as_role(world, "client_a").get(reverse("portal_change_request", args=[world.project_a.pk, change.pk]))
    text = page.content.decode()
    assert "16 janvier 2030" in text and "11 janvier 2030" in text
    assert "€" not in text and str(change.extra_cost) not in text


def test_the_client_validates_a_version_from_the_portal(world, as_role, submitted):
    http = as_role(world, "client_a")
    url = reverse("portal_spec_decide", args=[world.project_a.pk, 1])
    response = http.post(url, {"decision": "accepted", "comment": "Bon pour accord"}, follow=True)
    text = response.content.decode()
    assert "Validé par client_a" in text and "Bon pour accord" in text
    assert "Votre décision sur cette version" not in text  # the form is gone: frozen
    submitted.refresh_from_db()
    assert submitted.is_frozen and submitted.validated_by == world.user("client_a")


def test_a_refusal_without_comment_is_shown_again_with_the_error(world, as_role, submitted):
    response = as_role(world, "client_a").post(reverse("portal_spec_decide", args=[world.project_a.pk, 1]),
                                               {"decision": "rejected", "comment": ""})
    assert response.status_code == 400
    assert "un commentaire est obligatoire pour refuser" in response.content.decode()


def test_the_pm_accepts_from_the_page_and_reads_the_effect(world, as_role):
    project = world.project_a
    milestone = project.tasks.get(name="Validation des maquettes")
    make_dependency(project.tasks.get(name="Maquettes"), milestone)
    change = services.change_request_file(project=project, by=world.user("client_a"), title="Page FAQ", description="FAQ")
    http = as_role(world, "pm")
    url = reverse("change_request_accept", args=[project.pk, change.pk])
    response = http.post(url, {
        "taches-TOTAL_FORMS": "2", "taches-INITIAL_FORMS": "0",
        "taches-0-name": "Rédaction FAQ", "taches-0-effort_days": "3", "taches-0-min_level": "2",
        "taches-0-after": str(milestone.pk), "taches-0-phase": str(project.phases.get().pk),
        "taches-1-name": "", "taches-1-effort_days": "", "taches-1-min_level": "2",
    }, follow=True)
    text = response.content.decode()
    assert response.redirect_chain[-1][1] == 303
    assert "Effet sur le planning" in text
    assert "16/01/2030" in text and "11/01/2030" in text and "3 jours ouvrés" in text
    assert "2100 €" in text or "2 100 €" in text or "2\xa0100 €" in text
    assert "Rédaction FAQ" in text


def test_an_impossible_plan_is_explained_on_the_form(world, as_role):
    change = services.change_request_file(project=world.project_a, by=world.user("client_a"), title="Enseigne", description="x")
    rare = make_skill(world.project_a.organisation, "Soudure")
    response = as_role(world, "pm").post(reverse("change_request_accept", args=[world.project_a.pk, change.pk]), {
        "taches-TOTAL_FORMS": "1", "taches-INITIAL_FORMS": "0",
        "taches-0-name": "Enseigne", "taches-0-effort_days": "1", "taches-0-min_level": "1", "taches-0-skills": [str(rare.pk)],
    })
    assert response.status_code == 400
    text = response.content.decode()
    assert "La demande n&#x27;a pas été acceptée" in text and "Soudure" in text
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeRequest.Status.NEW


def test_the_task_row_fragment_adds_a_row_and_counts_it(world, as_role):
    change = services.change_request_file(project=world.project_a, by=world.user("client_a"), title="FAQ", description="x")
    url = reverse("change_request_task_row", args=[world.project_a.pk, change.pk]) + "?rang=1"
    text = as_role(world, "pm").get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'name="taches-1-name"' in text
    assert 'name="taches-TOTAL_FORMS" value="2"' in text and 'hx-swap-oob="true"' in text
    assert "rang=2" in text


def test_the_inbox_filters_by_status_and_the_export_lists_the_figures(world, as_role):
    change = accepted_change(world)
    services.change_request_file(project=world.project_a, by=world.user("client_a"), title="Blog", description="x")
    http = as_role(world, "pm")
    text = http.get(reverse("change_request_inbox", args=[world.project_a.pk]) + "?statut=new").content.decode()
    assert "Blog" in text and "Page FAQ" not in text
    response = http.get(reverse("change_request_export", args=[world.project_a.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Objet" and rows[0][-1] == "Coût ajouté (€ HT)"
    faq = next(row for row in rows if row[0] == "Page FAQ")
    assert faq[1] == "Acceptée" and faq[5:10] == ["2030-01-11", "2030-01-16", "3", "3.00", str(change.extra_cost)]


def test_the_client_exchanges_page_shows_feedback_and_decisions(world, as_role, submitted):
    services.feedback_send(project=world.project_a, by=world.user("client_a"), message="Photos envoyées")
    services.spec_version_client_decide(version=submitted, by=world.user("client_a"), decision="accepted", comment="OK pour nous")
    text = as_role(world, "pm").get(reverse("portal_client_exchanges", args=[world.project_a.pk])).content.decode()
    assert "Photos envoyées" in text and "Cahier des charges v1" in text and "OK pour nous" in text


def _reports(world):  # type: ignore[no-untyped-def]
    """One published report and one draft of project A."""
    from jalon.tracking.models import StatusReport

    return [StatusReport.objects.create(project=world.project_a, period_start=dt.date(2030, 1, day - 4),
                                        period_end=dt.date(2030, 1, day), status=status)
            for status, day in (("published", 11), ("draft", 18))]


def test_the_client_sees_published_status_reports_only(world, as_role):
    _reports(world)
    text = as_role(world, "client_a").get(reverse("portal_project", args=[world.project_a.pk])).content.decode()
    assert "Rapport du 07/01/2030 au 11/01/2030" in text
    assert "au 18/01/2030" not in text and "Aucun rapport publié" not in text


def test_a_client_opens_a_published_report_from_the_portal_and_never_a_draft(world, as_role):
    published, draft = _reports(world)
    http = as_role(world, "client_a")
    portal = http.get(reverse("portal_project", args=[world.project_a.pk])).content.decode()
    link = reverse("tracking_report", args=[world.project_a.pk, published.pk])
    assert f'<a href="{link}">Rapport du 07/01/2030 au 11/01/2030</a>' in portal
    report = http.get(link)
    assert report.status_code == 200
    assert "Rapport du 07/01/2030 au 11/01/2030" in report.content.decode()
    assert http.get(reverse("tracking_report", args=[world.project_a.pk, draft.pk])).status_code == 404
    # Another client cannot open the published one either: the project is not theirs.
    assert as_role(world, "client_b").get(link).status_code == 404


def test_decisions_are_read_only_in_the_admin(world, client, submitted):
    from jalon.accounts.models import User

    record = services.spec_version_client_decide(version=submitted, by=world.user("client_a"), decision="accepted", comment="OK")
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    assert client.get(reverse("admin:portal_specvalidation_changelist")).status_code == 200
    change_url = reverse("admin:portal_specvalidation_change", args=[record.pk])
    page = client.get(change_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(change_url, {"comment": "Changé"}).status_code == 403
    assert client.get(reverse("admin:portal_specvalidation_add")).status_code == 403
    assert client.post(reverse("admin:portal_specvalidation_delete", args=[record.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:portal_changerequest_changelist")).status_code == 200
    record.refresh_from_db()
    assert record.comment == "OK"
