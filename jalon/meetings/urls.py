from django.urls import path

from jalon.meetings import views

urlpatterns = [
    path("reunions/", views.meeting_list, name="meeting_list"),
    path("reunions/planifier/", views.meeting_plan, name="meeting_plan"),
    path("reunions/reserver/", views.meeting_book, name="meeting_book"),
    path("reunions/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("reunions/<int:pk>/invitation.ics", views.meeting_ics, name="meeting_ics"),
    path("reunions/<int:pk>/compte-rendu/", views.meeting_minutes, name="meeting_minutes"),
    path("reunions/<int:pk>/decisions/", views.decision_create, name="decision_create"),
    path("reunions/<int:pk>/actions/", views.action_create, name="action_create"),
    path("reunions/<int:pk>/annuler/", views.meeting_cancel, name="meeting_cancel"),
    path("reunions/actions/<int:pk>/tache/", views.action_to_task, name="action_to_task"),
    path("reunions/actions/<int:pk>/fait/", views.action_done, name="action_done"),
    path("projets/<int:pk>/reunions/", views.project_meetings, name="project_meetings"),
    path("projets/<int:pk>/calendrier.ics", views.project_calendar, name="project_calendar"),
    path("calendrier/", views.my_calendar, name="my_calendar"),
    path("calendrier/lien/", views.my_calendar_token, name="my_calendar_token"),
    path("calendrier/jours/", views.my_calendar_days_off, name="my_calendar_days_off"),
    path("calendrier/<str:token>.ics", views.person_feed, name="person_feed"),
]
