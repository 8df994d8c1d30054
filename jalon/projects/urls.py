from django.urls import path

from jalon.projects import views

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("projets/nouveau/", views.project_new, name="project_create"),
    path("projets/<int:pk>/", views.project_detail, name="project_detail"),
    path("projets/<int:pk>/modifier/", views.project_edit, name="project_edit"),
]
