from django.urls import path

from jalon.api import views
from jalon.api.api import api

urlpatterns = [
    path("jetons/", views.token_list, name="api_tokens"),
    path("jetons/<int:pk>/revoquer/", views.token_revoke_view, name="api_token_revoke"),
    path("", api.urls),
]
