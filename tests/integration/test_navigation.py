"""The top bar and the project tab bar: each role is offered the pages it may open, the current
page is marked, and a tab whose app is not installed is left out instead of breaking the page."""

from __future__ import annotations

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
    ("admin", ["Portefeuille", "Équipe", "Réunions", "Plan de charge", "Mon calendrier", "Administration"]),
    ("pm", ["Portefeuille", "Équipe", "Réunions", "Plan de charge", "Mon calendrier"]),
    ("member", ["Portefeuille", "Équipe", "Réunions", "Plan de charge", "Mon calendrier"]),
    ("client_a", ["Portefeuille", "Espace client"]),
])
def test_the_top_bar_offers_each_role_its_pages(world, as_role, role, links):
    assert nav_links(page(as_role, world, role, reverse("portfolio")), "topnav") == links


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
