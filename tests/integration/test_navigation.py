"""The top bar and the project tab bar: each role is offered the pages it may open, the current
page is marked, and a tab whose app is not installed is left out instead of breaking the page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import override_settings
from django.urls import include, path, reverse
from django.views.i18n import set_language

pytestmark = pytest.mark.django_db

# A site without the apps still being written (portal, tracking, import/export): the tabs that
# point to them must disappear, the page must still render. Used through ROOT_URLCONF below.
urlpatterns = [
    path("", include("jalon.accounts.urls")),
    path("", include("jalon.projects.urls")),
    path("", include("jalon.jobs.urls")),
    path("", include("jalon.specs.urls")),
    path("", include("jalon.projects.urls_breakdown")),
    path("", include("jalon.people.urls")),
    path("", include("jalon.planning.urls")),
    path("", include("jalon.meetings.urls")),
    path("langue/", set_language, name="set_language"),
]


def nav_links(html: str, css_class: str) -> list[str]:
    """The link texts of the <nav class="css_class"> block, in order."""
    block = re.search(rf'<nav class="{css_class}"[^>]*>(.*?)</nav>', html, re.S)
    assert block, f"no <nav class=\"{css_class}\"> in the page"
    return [re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(r"<a [^>]*>(.*?)</a>", block.group(1), re.S)]


def page(as_role, world, role: str, url: str) -> str:  # type: ignore[no-untyped-def]
    response = as_role(world, role).get(url)
    assert response.status_code == 200, (role, url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize(("role", "links"), [
    ("admin", ["Portefeuille", "Rapport de portefeuille", "Équipe", "Réunions", "Plan de charge", "Mon calendrier"]),
    ("pm", ["Portefeuille", "Rapport de portefeuille", "Équipe", "Réunions", "Plan de charge", "Mon calendrier"]),
    # The member has a collaborator record (the pm has none): only such logins have a timesheet.
    ("member", ["Portefeuille", "Équipe", "Réunions", "Plan de charge", "Mon calendrier", "Mes temps"]),
    ("client_a", ["Portefeuille", "Espace client"]),
])
def test_the_top_bar_offers_each_role_its_pages(world, as_role, role, links):
    html = page(as_role, world, role, reverse("portfolio"))
    assert nav_links(html, "topnav") == links
    http = as_role(world, role)
    opened = {text: http.get(href, follow=True).status_code for text, href in nav_hrefs(html, "topnav").items()}
    assert opened == dict.fromkeys(links, 200)


@pytest.mark.parametrize(("role", "links"), [
    ("admin", ["Jetons d'API", "Administration"]),  # the admin fixture user is Django staff
    ("pm", ["Jetons d'API"]),
    ("member", ["Jetons d'API"]),
    ("client_a", ["Jetons d'API"]),
])
def test_the_user_menu_leads_to_the_api_tokens_and_logs_out(world, as_role, role, links):
    html = page(as_role, world, role, reverse("portfolio"))
    assert nav_links(html, "user-menu-links") == links
    menu = html.split('<details class="user-menu who">')[1].split("</details>")[0]
    assert f'action="{reverse("logout")}"' in menu and "Se déconnecter" in menu
    assert as_role(world, role).get(reverse("api_tokens")).status_code == 200


def test_mes_temps_opens_the_timesheet_of_the_current_week(world, as_role):
    html = page(as_role, world, "member", reverse("portfolio"))
    response = as_role(world, "member").get(nav_hrefs(html, "topnav")["Mes temps"], follow=True)
    assert response.status_code == 200 and response.resolver_match.url_name == "timesheet"
    assert 'aria-current="page">Mes temps</a>' in response.content.decode()


def test_knowing_whether_one_has_a_timesheet_costs_no_query(world, as_role, django_assert_num_queries):
    from tests.factories import make_person

    http = as_role(world, "pm")
    with django_assert_num_queries(3) as before:  # session, user, API tokens
        assert "Mes temps" not in http.get(reverse("api_tokens")).content.decode()
    make_person(world.project_a.organisation, "Paul", user=world.user("pm"))
    with django_assert_num_queries(len(before.captured_queries)):
        assert "Mes temps" in http.get(reverse("api_tokens")).content.decode()


def test_the_top_bar_marks_the_current_page(world, as_role):
    html = page(as_role, world, "pm", reverse("workload"))
    assert f'<a href="{reverse("workload")}" aria-current="page">Plan de charge</a>' in html


STAFF_TABS = ["Aperçu", "Cahier des charges", "Découpage", "Traçabilité", "Planification", "Gantt", "Jalons", "Réunions"]


def test_the_pm_gets_every_tab_of_the_project_workspace(world, as_role):
    tabs = nav_links(page(as_role, world, "pm", reverse("project_detail", args=[world.project_a.pk])), "project-tabs")
    assert tabs[:len(STAFF_TABS)] == STAFF_TABS
    assert {"Demandes", "Historique", "Import / export"} <= set(tabs)


def test_a_member_gets_no_history_which_is_the_managers(world, as_role):
    tabs = nav_links(page(as_role, world, "member", reverse("project_detail", args=[world.project_a.pk])), "project-tabs")
    assert tabs[:len(STAFF_TABS)] == STAFF_TABS and "Historique" not in tabs


def test_a_client_never_gets_the_planning_or_the_breakdown_tabs(world, as_role):
    html = page(as_role, world, "client_a", reverse("gantt", args=[world.project_a.pk]))
    tabs = nav_links(html, "project-tabs")
    assert tabs[:6] == ["Aperçu", "Cahier des charges", "Traçabilité", "Gantt", "Jalons", "Réunions"]
    assert not {"Découpage", "Planification", "Historique", "Import / export", "Suivi", "Budget"} & set(tabs)
    # Their change requests live in the client portal.
    assert f'href="{reverse("portal_project", args=[world.project_a.pk])}"' in html


@pytest.mark.parametrize(("url_name", "tab"), [
    ("project_detail", "Aperçu"),
    ("project_edit", "Aperçu"),
    ("spec_detail", "Cahier des charges"),
    ("breakdown", "Découpage"),
    ("traceability", "Traçabilité"),
    ("planning", "Planification"),
    ("gantt", "Gantt"),
    ("milestones", "Jalons"),
    ("project_meetings", "Réunions"),
    ("tracking_time", "Suivi"),
    ("tracking_replan", "Suivi"),
    ("tracking_risks", "Suivi"),
    ("tracking_quotes", "Suivi"),
    ("tracking_budget", "Budget"),
    ("tracking_reports", "Rapports"),
    ("change_request_inbox", "Demandes"),
    ("project_history", "Historique"),
    ("project_files", "Import / export"),
])
def test_every_project_page_shows_the_shared_tab_bar_with_its_tab_marked(world, as_role, url_name, tab):
    html = page(as_role, world, "pm", reverse(url_name, args=[world.project_a.pk]))
    assert html.count('<nav class="project-tabs"') == 1
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>(.*?)</a>', html.split('<nav class="project-tabs"')[1].split("</nav>")[0])
    assert current == [tab]


def test_the_task_pages_of_the_breakdown_sit_under_its_tab(world, as_role):
    task = world.project_a.tasks.get(name="Maquettes")
    for url in (reverse("breakdown_task", args=[world.project_a.pk, task.pk]), reverse("task_candidates", args=[task.pk])):
        html = page(as_role, world, "pm", url)
        assert re.search(r'aria-current="page">Découpage</a>', html), url


@override_settings(ROOT_URLCONF=__name__)
def test_tabs_of_apps_that_are_not_installed_are_left_out(world, as_role):
    tabs = nav_links(page(as_role, world, "pm", reverse("project_detail", args=[world.project_a.pk])), "project-tabs")
    assert tabs == STAFF_TABS


def test_project_names_are_escaped_in_the_tab_bar(world, as_role):
    world.project_a.name = "<script>alert(1)</script>"
    world.project_a.save()
    html = page(as_role, world, "pm", reverse("gantt", args=[world.project_a.pk]))
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def nav_hrefs(html: str, css_class: str) -> dict[str, str]:
    """Link text -> href of the <nav class="css_class"> block."""
    block = re.search(rf'<nav class="{css_class}"[^>]*>(.*?)</nav>', html, re.S)
    assert block, f"no <nav class=\"{css_class}\"> in the page"
    return {re.sub(r"<[^>]+>", "", text).strip(): href
            for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', block.group(1), re.S)}


@pytest.mark.parametrize("role", ["admin", "pm", "member", "client_a"])
def test_every_tab_a_role_is_offered_opens_for_that_role(world, as_role, role):
    tabs = nav_hrefs(page(as_role, world, role, reverse("project_detail", args=[world.project_a.pk])), "project-tabs")
    http = as_role(world, role)
    refused = {name: http.get(url).status_code for name, url in tabs.items()}
    assert {name: code for name, code in refused.items() if code != 200} == {}


@pytest.mark.parametrize(("role", "tabs"), [
    ("pm", STAFF_TABS + ["Suivi", "Budget", "Rapports", "Demandes", "Historique", "Import / export"]),
    ("member", STAFF_TABS + ["Suivi", "Budget", "Rapports", "Demandes", "Import / export"]),
    ("client_a", ["Aperçu", "Cahier des charges", "Traçabilité", "Gantt", "Jalons", "Réunions", "Rapports", "Demandes"]),
])
def test_each_role_gets_the_whole_row_of_tabs_it_may_open(world, as_role, role, tabs):
    assert nav_links(page(as_role, world, role, reverse("project_detail", args=[world.project_a.pk])), "project-tabs") == tabs


def test_a_client_reading_a_published_report_is_under_the_reports_tab(world, as_role):
    from jalon.tracking.models import StatusReport

    report = StatusReport.objects.create(project=world.project_a, period_start=dt.date(2030, 1, 7),
                                         period_end=dt.date(2030, 1, 11), status="published")
    html = page(as_role, world, "client_a", reverse("tracking_report", args=[world.project_a.pk, report.pk]))
    tab_bar = html.split('<nav class="project-tabs"')[1].split("</nav>")[0]
    assert re.findall(r'aria-current="page"[^>]*>(.*?)</a>', tab_bar) == ["Rapports"]
    assert '<nav class="track-tabs"' not in html  # the agency's tracking pages are not offered


def test_the_tracking_pages_share_one_sub_navigation_under_suivi(world, as_role):
    html = page(as_role, world, "pm", reverse("tracking_risks", args=[world.project_a.pk]))
    assert nav_links(html, "track-tabs") == ["Temps passés", "Re-planification", "Risques", "Devis"]
    assert nav_links(page(as_role, world, "member", reverse("tracking_time", args=[world.project_a.pk])), "track-tabs") == [
        "Temps passés", "Re-planification", "Risques"]  # quotes are the leads' business
