"""API authentication: hashed, revocable tokens; the browser session with CSRF on writes; the
« Jetons d'API » page and the admin; the documentation page working offline."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from jalon.api.models import ApiToken
from jalon.api.services import token_create, token_revoke

pytestmark = pytest.mark.django_db


def _me(key: str) -> int:
    return Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code


def test_a_token_is_stored_only_as_its_hash(pm):
    token, key = token_create(user=pm, name="Tableur")
    stored = ApiToken.objects.values_list("prefix", "key_hash").get(pk=token.pk)
    assert stored == (key[:10], hashlib.sha256(key.encode()).hexdigest())
    assert key not in stored


def test_a_token_acts_as_its_user_until_revoked(pm):
    token, key = token_create(user=pm, name="Tableur")
    response = Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert (response.status_code, response.json()["username"]) == (200, "pm")
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    token_revoke(token=token)
    assert _me(key) == 401


def test_wrong_tokens_and_inactive_users_are_refused(pm):
    _token, key = token_create(user=pm, name="Tableur")
    assert _me(key[:-1] + ("A" if key[-1] != "A" else "B")) == 401
    assert _me("not-a-jalon-token") == 401
    pm.is_active = False
    pm.save(update_fields=["is_active"])
    assert _me(key) == 401


def test_a_token_without_a_name_is_refused(pm):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Donnez un nom"):
        token_create(user=pm, name="  ")


# --- session, for the documentation page -------------------------------------------------------


def test_the_session_reads_without_csrf_but_writes_only_with_it(world, pm):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(pm)
    assert browser.get("/api/projects").status_code == 200
    url = f"/api/projects/{world.project_a.pk}/phases"
    refused = browser.post(url, json.dumps({"name": "Recette"}), content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    page = browser.get(reverse("api_tokens"))  # any page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(url, json.dumps({"name": "Recette"}), content_type="application/json",
                            HTTP_X_CSRFTOKEN=token)
    assert (page.status_code, accepted.status_code) == (200, 201)


def test_a_token_request_needs_no_csrf_token(world, pm):
    _token, key = token_create(user=pm, name="Script")
    response = Client(enforce_csrf_checks=True).post(
        f"/api/projects/{world.project_a.pk}/phases", json.dumps({"name": "Recette"}),
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 201


# --- the « Jetons d'API » page -----------------------------------------------------------------


def test_the_tokens_page_creates_a_token_and_shows_its_secret_once(client, pm):
    client.force_login(pm)
    created = client.post(reverse("api_tokens"), {"name": "Export tableur"})
    key = re.search(r'<code class="new-token">([^<]+)</code>', created.content.decode()).group(1)
    assert _me(key) == 200
    assert "no-cache" in created["Cache-Control"] or "no-store" in created["Cache-Control"]
    again = client.get(reverse("api_tokens")).content.decode()
    assert "Export tableur" in again and key not in again


def test_a_user_revokes_their_own_token_but_cannot_see_anyone_elses(client, world, pm):
    own, key = token_create(user=pm, name="Mine")
    other, other_key = token_create(user=world.user("admin"), name="Theirs")
    client.force_login(pm)
    assert client.post(reverse("api_token_revoke", args=[other.pk])).status_code == 404
    assert client.post(reverse("api_token_revoke", args=[own.pk])).status_code == 303
    assert (_me(key), _me(other_key)) == (401, 200)
    assert "Theirs" not in client.get(reverse("api_tokens")).content.decode()


def test_the_tokens_page_needs_a_login(client):
    assert client.get(reverse("api_tokens")).status_code == 302


def test_an_admin_issues_a_token_for_a_user_in_the_admin(client, pm):
    from jalon.accounts.models import User
    from tests.factories import make_user

    client.force_login(make_user(role=User.Role.ADMIN, is_superuser=True))  # as test_models_admin.py
    response = client.post(reverse("admin:api_apitoken_add"), {"user": pm.pk, "name": "Intégration CRM"}, follow=True)
    shown = re.search(r"(jln_[\w-]+)", response.content.decode()).group(1)
    assert ApiToken.objects.get(name="Intégration CRM").user == pm
    assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {shown}").json()["username"] == "pm"


# --- documentation ---------------------------------------------------------------------------


def test_the_docs_page_loads_swagger_from_local_static_files(client):
    html = client.get("/api/docs").content.decode()
    scripts = re.findall(r'src="/static/([^"]+)"', html)
    assert "ninja/swagger-ui-bundle.js" in scripts
    assert all(finders.find(path) for path in scripts)
    assert "cdn" not in html.lower()


def test_the_schema_is_openapi_3_with_bearer_authentication(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert "/api/projects/{project_id}/plan" in schema["paths"]
