from django.urls import path

from jalon.projects import views_breakdown as views

urlpatterns = [
    path("projets/<int:pk>/decoupage/", views.breakdown_page, name="breakdown"),
    path("projets/<int:pk>/decoupage/generer/", views.breakdown_generate, name="breakdown_generate"),
    path("projets/<int:pk>/decoupage/phases/", views.phase_create, name="breakdown_phase_create"),
    path("projets/<int:pk>/decoupage/phases/<int:phase_pk>/", views.phase_edit, name="breakdown_phase"),
    path("projets/<int:pk>/decoupage/phases/<int:phase_pk>/<str:action>/", views.phase_action, name="breakdown_phase_action"),
    path("projets/<int:pk>/decoupage/taches/", views.task_create, name="breakdown_task_create"),
    path("projets/<int:pk>/decoupage/taches/<int:task_pk>/", views.task_edit, name="breakdown_task"),
    path("projets/<int:pk>/decoupage/taches/<int:task_pk>/competences/", views.task_skill_create, name="breakdown_task_skill_create"),
    path("projets/<int:pk>/decoupage/taches/<int:task_pk>/dependances/", views.dependency_create, name="breakdown_dependency_create"),
    path("projets/<int:pk>/decoupage/taches/<int:task_pk>/livrables/", views.deliverable_create, name="breakdown_deliverable_create"),
    path("projets/<int:pk>/decoupage/taches/<int:task_pk>/<str:kind>/<int:item_pk>/supprimer/", views.task_link_delete, name="breakdown_task_link_delete"),
    path("projets/<int:pk>/decoupage/taches/<int:task_pk>/<str:action>/", views.task_action, name="breakdown_task_action"),
    path("projets/<int:pk>/tracabilite/", views.traceability, name="traceability"),
]
