from django.urls import path

from sdelka.core import views, views_company

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("coming/<slug:section>/", views.coming, name="coming"),
    path("healthz/", views.healthz, name="healthz"),
    path("company/", views_company.company_edit, name="company_edit"),
]
