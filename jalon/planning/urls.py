from django.urls import path

from jalon.planning import views

urlpatterns = [
    path("projets/<int:pk>/planning/", views.planning, name="planning"),
    path("projets/<int:pk>/planning/planifier/", views.plan, name="planning_plan"),
    path("projets/<int:pk>/planning/optimiser/", views.optimize_start, name="planning_optimize"),
    path("projets/<int:pk>/planning/optimisation/", views.optimize_status, name="planning_optimize_status"),
    path("projets/<int:pk>/planning/reference/", views.baseline_create, name="planning_baseline"),
    path("projets/<int:pk>/planning/taches/<int:task_pk>/imposer/", views.task_pin, name="planning_task_pin"),
    path("projets/<int:pk>/gantt/", views.gantt, name="gantt"),
    path("projets/<int:pk>/gantt.<str:fmt>", views.gantt_export, name="gantt_export"),
    path("projets/<int:pk>/jalons/", views.milestones, name="milestones"),
    path("plan-de-charge/", views.workload, name="workload"),
]
