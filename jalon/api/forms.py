from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"), max_length=100,
        help_text=_("À quoi il sert, pour le reconnaître et le révoquer plus tard."),
    )
