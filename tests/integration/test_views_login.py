"""Where the login leads: each role to its own home, a safe `next=` wherever it points."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client, username: str, next_url: str | None = None):  # type: ignore[no-untyped-def]
    url = reverse("login") + (f"?next={next_url}" if next_url is not None else "")
    return client.post(url, {"username": username, "password": PASSWORD})


@pytest.mark.parametrize(("role", "home"), [
    ("admin", "portfolio"), ("pm", "portfolio"), ("member", "portfolio"), ("client_a", "portal_home"),
])
def test_each_role_lands_on_its_own_home(world, client, role, home):
    response = log_in(client, role)
    assert response.status_code == 302 and response.url == reverse(home)
    assert client.get(response.url).status_code == 200


def test_a_client_sent_to_the_login_from_the_bare_address_lands_on_their_portal(world, client):
    assert log_in(client, "client_a", reverse("portfolio")).url == reverse("portal_home")


@pytest.mark.parametrize(("role", "url_name"), [("client_a", "portal_project"), ("pm", "gantt")])
def test_a_safe_next_is_honoured(world, client, role, url_name):
    wanted = reverse(url_name, args=[world.project_a.pk])
    assert log_in(client, role, wanted).url == wanted


@pytest.mark.parametrize("role", ["pm", "client_a"])
def test_a_next_to_another_site_is_ignored(world, client, role):
    response = log_in(client, role, "https://evil.example/")
    assert response.url == reverse("portal_home" if role == "client_a" else "portfolio")


def test_a_client_already_logged_in_who_opens_the_login_goes_to_their_portal(world, client):
    client.force_login(world.user("client_a"))
    assert client.get(reverse("login")).url == reverse("portal_home")


def test_a_wrong_password_stays_on_the_login_page(world, client):
    response = client.post(reverse("login"), {"username": "client_a", "password": "wrong"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
