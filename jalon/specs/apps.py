from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpecsConfig(AppConfig):
    name = "jalon.specs"
    label = "specs"
    verbose_name = _("Cahiers des charges")
