from django.urls import path

from jalon.specs import views

urlpatterns = [
    path("projets/<int:pk>/cahier-des-charges/", views.spec_detail, name="spec_detail"),
    path("projets/<int:pk>/cahier-des-charges/v<int:number>/", views.spec_detail, name="spec_version"),
    path("projets/<int:pk>/cahier-des-charges/v<int:number>/sections/", views.spec_sections_save, name="spec_sections_save"),
    path("projets/<int:pk>/cahier-des-charges/v<int:number>/exigences/", views.requirement_create, name="requirement_create"),
    path("projets/<int:pk>/cahier-des-charges/v<int:number>/soumettre/", views.spec_version_submit, name="spec_version_submit"),
    path("projets/<int:pk>/cahier-des-charges/v<int:number>/decision/", views.spec_version_decide, name="spec_version_decide"),
    path("projets/<int:pk>/cahier-des-charges/v<int:number>/export/<str:fmt>/", views.spec_export, name="spec_export"),
    path("projets/<int:pk>/cahier-des-charges/nouvelle-version/", views.spec_version_new, name="spec_version_new"),
    path("projets/<int:pk>/cahier-des-charges/comparer/", views.spec_diff, name="spec_diff"),
    path("projets/<int:pk>/exigences/<int:req_pk>/", views.requirement_edit, name="requirement_edit"),
    path("projets/<int:pk>/exigences/<int:req_pk>/supprimer/", views.requirement_delete, name="requirement_delete"),
]
