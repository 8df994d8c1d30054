from django.urls import path

from jalon.jobs import views

urlpatterns = [
    path("projets/<int:project_pk>/verifier-planning/", views.plan_check_start, name="plan_check_start"),
    path("taches-de-fond/<int:pk>/", views.job_progress, name="job_progress"),
]
