"""The « Jetons d'API » page: a user creates, sees and revokes their own API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from jalon.api.forms import TokenCreateForm
from jalon.api.models import ApiToken
from jalon.api.services import token_create, token_revoke


@never_cache  # the page may carry a new secret: no cache keeps it
@require_http_methods(["GET", "POST"])
@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The list, and the creation form. A new token's secret is shown on this response only."""
    form = TokenCreateForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenCreateForm()
    return render(request, "api/tokens.html", {
        "form": form,
        "new_key": new_key,
        "tokens": ApiToken.objects.filter(user=request.user),
    })


@require_POST
@login_required
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's token is not found, rather than forbidden: its existence is not revealed.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token_revoke(token=token)
    messages.success(request, _("Le jeton « %(name)s » est révoqué : il ne donne plus accès à l'API.") % {"name": token.name})
    return HttpResponseRedirect(reverse("api_tokens"), status=303)
