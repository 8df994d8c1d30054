from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse

from jalon.projects.permissions import Role, role_of


class JalonLoginView(auth_views.LoginView):
    """Django's login; a visitor already logged in goes straight on, and the interface
    switches to the language saved on the account, if one is.

    Each role lands on its own home: a client on their portal, the agency on the portfolio.
    A safe `next=` wins, except the bare home page: a client who typed the site's address
    is sent there by the login redirect and wants their portal, not the staff portfolio."""

    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        language = getattr(form.get_user(), "language", "")
        if language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response

    def get_success_url(self) -> str:
        wanted = self.get_redirect_url()
        home = resolve_url(settings.LOGIN_REDIRECT_URL)
        return wanted if wanted and wanted != home else self.get_default_redirect_url()

    def get_default_redirect_url(self) -> str:
        if role_of(self.request.user) == Role.CLIENT:
            return reverse("portal_home")
        return super().get_default_redirect_url()
