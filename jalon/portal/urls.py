from django.urls import path

from jalon.portal import views

urlpatterns = [
    # The client portal.
    path("client/", views.portal_home, name="portal_home"),
    path("client/projets/<int:pk>/", views.portal_project, name="portal_project"),
    path("client/projets/<int:pk>/cahier-des-charges/v<int:number>/", views.portal_spec_version, name="portal_spec_version"),
    path("client/projets/<int:pk>/cahier-des-charges/v<int:number>/decision/", views.portal_spec_decide, name="portal_spec_decide"),
    path("client/projets/<int:pk>/livrables/<int:deliverable_pk>/decision/", views.portal_deliverable_decide, name="portal_deliverable_decide"),
    path("client/projets/<int:pk>/retours/", views.portal_feedback, name="portal_feedback"),
    path("client/projets/<int:pk>/demandes/nouvelle/", views.portal_change_request_new, name="portal_change_request_new"),
    path("client/projets/<int:pk>/demandes/<int:change_pk>/", views.portal_change_request, name="portal_change_request"),
    # The agency's side.
    path("projets/<int:pk>/demandes-de-changement/", views.change_request_inbox, name="change_request_inbox"),
    path("projets/<int:pk>/demandes-de-changement.csv", views.change_request_export, name="change_request_export"),
    path("projets/<int:pk>/demandes-de-changement/<int:change_pk>/", views.change_request_detail, name="change_request_detail"),
    path("projets/<int:pk>/demandes-de-changement/<int:change_pk>/accepter/", views.change_request_accept, name="change_request_accept"),
    path("projets/<int:pk>/demandes-de-changement/<int:change_pk>/refuser/", views.change_request_reject, name="change_request_reject"),
    path("projets/<int:pk>/demandes-de-changement/<int:change_pk>/ligne-tache/", views.change_request_task_row, name="change_request_task_row"),
    path("projets/<int:pk>/echanges-client/", views.client_exchanges, name="portal_client_exchanges"),
    path("projets/<int:pk>/livrables/<int:deliverable_pk>/livrer/", views.deliverable_deliver, name="portal_deliverable_deliver"),
    path("projets/<int:pk>/historique/", views.project_history, name="project_history"),
]
