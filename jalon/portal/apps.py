from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The client portal, validations, change requests, and the change history of projects."""

    name = "jalon.portal"
    label = "portal"
    verbose_name = _("Portail client et historique")
