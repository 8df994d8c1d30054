from __future__ import annotations

from pathlib import Path

from django import forms
from django.utils.translation import gettext_lazy as _

from jalon.interop.services import IMPORT_SUFFIXES, MAX_IMPORT_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("MS Project XML (.xml), tableur (.csv, .xlsx) ; .mpp et GanttProject (.gan) si MPXJ est installé."),
    )

    def clean_file(self):  # type: ignore[no-untyped-def]
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in IMPORT_SUFFIXES:
            raise forms.ValidationError(
                _("Type de fichier non reconnu : « %(suffix)s ». Formats acceptés : %(known)s."),
                params={"suffix": suffix or upload.name, "known": ", ".join(IMPORT_SUFFIXES)},
            )
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse %(mb)s Mo."), params={"mb": MAX_IMPORT_BYTES // 2**20})
        return upload
