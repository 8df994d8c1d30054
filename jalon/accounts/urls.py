from django.contrib.auth import views as auth_views
from django.urls import path

from jalon.accounts import views

urlpatterns = [
    path("connexion/", views.JalonLoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
]
