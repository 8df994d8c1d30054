from django.urls import path

from jalon.people import views

urlpatterns = [
    path("equipe/", views.team, name="team"),
    path("equipe/collaborateurs/", views.person_create, name="person_create"),
    path("equipe/collaborateurs/<int:pk>/", views.person_detail, name="person_detail"),
    path("equipe/collaborateurs/<int:pk>/modifier/", views.person_edit, name="person_edit"),
    path("equipe/collaborateurs/<int:pk>/competences/", views.person_skill_save, name="person_skill_save"),
    path("equipe/collaborateurs/<int:pk>/competences/<int:skill_pk>/retirer/", views.person_skill_remove, name="person_skill_remove"),
    path("equipe/collaborateurs/<int:pk>/absences/", views.absence_create, name="absence_create"),
    path("equipe/absences/<int:pk>/", views.absence_edit, name="absence_edit"),
    path("equipe/absences/<int:pk>/supprimer/", views.absence_delete, name="absence_delete"),
    path("equipe/competences/", views.skills_matrix_page, name="skills_matrix"),
    path("equipe/competences/ajouter/", views.skill_create, name="skill_create"),
    path("equipe/competences/<int:person_pk>/<int:skill_pk>/", views.matrix_cell, name="matrix_cell"),
    path("equipe/taches/<int:task_pk>/", views.task_candidates_page, name="task_candidates"),
]
