"""The REST API: one NinjaAPI with its OpenAPI 3 schema at /api/openapi.json and its Swagger
page at /api/docs (served from django-ninja's own static files, so it works offline)."""

from __future__ import annotations

from ninja import NinjaAPI

from jalon import __version__
from jalon.api.auth import ApiTokenAuth, SessionCsrfAuth
from jalon.api.errors import install_error_handlers
from jalon.api.routers import breakdown, planning, projects, specs, team

DESCRIPTION = """
API de Jalon : projets, découpage, équipe, cahier des charges, planification.

**Authentification** : `Authorization: Bearer <jeton>`, un jeton créé sur la page
« Jetons d'API » (/api/jetons/) ou dans l'administration ; ou la session du navigateur sur cette
page, avec le jeton CSRF pour les écritures.

**Droits** : les mêmes que dans l'application. Un enregistrement que vous ne pouvez pas voir
répond 404 ; une action que votre rôle ne permet pas, 403. Les listes se paginent avec
`limit` et `offset`. Une modification porte la `version` lue : si quelqu'un a enregistré
entre-temps, la réponse est 409 et rien n'est modifié. Les erreurs de saisie répondent 422 en
nommant le champ.
"""

api = NinjaAPI(
    title="Jalon",
    version=__version__,
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[ApiTokenAuth(), SessionCsrfAuth()],
)
install_error_handlers(api)
for module in (projects, breakdown, team, specs, planning):
    api.add_router("/", module.router)
