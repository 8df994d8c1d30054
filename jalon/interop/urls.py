from django.urls import path

from jalon.interop import views

urlpatterns = [
    path("projets/<int:pk>/fichiers/", views.project_files, name="project_files"),
    path("projets/<int:pk>/fichiers/export.<str:fmt>", views.project_export, name="project_export"),
]
