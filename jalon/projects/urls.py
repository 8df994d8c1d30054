from django.urls import path

from jalon.projects import views

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("projets/<int:pk>/", views.project_detail, name="project_detail"),
]
