from django.urls import path

from jalon.tracking import views

urlpatterns = [
    path("temps/", views.timesheet_current, name="timesheet_current"),
    path("temps/<int:year>/S<int:week>/", views.timesheet, name="timesheet"),
    path("temps/verrouillage/", views.timesheet_locks, name="timesheet_locks"),
    path("temps/verrouillage/<int:pk>/deverrouiller/", views.timesheet_unlock, name="timesheet_unlock"),
    path("projets/<int:pk>/temps/", views.project_time, name="tracking_time"),
    path("projets/<int:pk>/budget/", views.budget, name="tracking_budget"),
    path("projets/<int:pk>/replanifier/", views.replan, name="tracking_replan"),
    path("projets/<int:pk>/risques/", views.risks, name="tracking_risks"),
    path("projets/<int:pk>/risques/<int:risk_pk>/", views.risk_edit, name="tracking_risk"),
    path("projets/<int:pk>/devis/", views.quotes, name="tracking_quotes"),
    path("projets/<int:pk>/devis/<int:quote_pk>/", views.quote_detail, name="tracking_quote"),
    path("projets/<int:pk>/devis/<int:quote_pk>/lignes/", views.quote_lines, name="tracking_quote_lines"),
    path("projets/<int:pk>/devis/<int:quote_pk>/statut/", views.quote_status, name="tracking_quote_status"),
    path("projets/<int:pk>/devis/<int:quote_pk>/devis.pdf", views.quote_pdf, name="tracking_quote_pdf"),
    path("projets/<int:pk>/rapports/", views.reports, name="tracking_reports"),
    path("projets/<int:pk>/rapports/<int:report_pk>/", views.report_detail, name="tracking_report"),
    path("projets/<int:pk>/rapports/<int:report_pk>/actualiser/", views.report_refresh, name="tracking_report_refresh"),
    path("projets/<int:pk>/rapports/<int:report_pk>/publier/", views.report_publish, name="tracking_report_publish"),
    path("projets/<int:pk>/rapports/<int:report_pk>/rapport.<str:fmt>", views.report_export, name="tracking_report_export"),
    path("rapports/portefeuille/", views.portfolio_report, name="tracking_portfolio"),
    path("rapports/portefeuille/<int:job_pk>/", views.portfolio_job, name="tracking_portfolio_job"),
    path("rapports/portefeuille/<int:job_pk>/portefeuille.xlsx", views.portfolio_xlsx, name="tracking_portfolio_xlsx"),
]
