"""How an API request says who it is: a bearer token (scripts, other tools) or the browser
session (the documentation page), the latter with Django's CSRF check on unsafe methods."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from jalon.accounts.models import User
from jalon.api.services import token_authenticate

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer jln_…`, a token made on the « Jetons d'API » page or in the admin."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token.strip())
        if user is not None:
            request.user = user  # the same code then serves token and session requests
        return user


class SessionCsrfAuth(APIKeyCookie):
    """The logged-in browser session. Unlike ninja's SessionAuth, an anonymous request gets a
    401 (not a CSRF 403), and the CSRF check applies only to a session that is really used."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "Session du navigateur (page /api/docs), jeton CSRF exigé pour les écritures."

    def __init__(self) -> None:
        super().__init__(csrf=False)  # checked below, once we know the session is in use

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "Vérification CSRF refusée : envoyez l'en-tête X-CSRFToken de la page.")
        return request.user
