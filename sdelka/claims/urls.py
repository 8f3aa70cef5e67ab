from django.urls import path

from sdelka.claims import views

app_name = "claims"
urlpatterns: list = [
    path("", views.claim_list, name="claim_list"),
    path("report/", views.claim_report, name="claim_report"),
    path("new/", views.claim_create, name="claim_create"),
    path("<int:pk>/", views.claim_detail, name="claim_detail"),
    path("<int:pk>/edit/", views.claim_edit, name="claim_edit"),
    path("<int:pk>/start/", views.claim_start, name="claim_start"),
]
