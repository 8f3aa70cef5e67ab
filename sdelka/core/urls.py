from django.urls import path

from sdelka.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("coming/<slug:section>/", views.coming, name="coming"),
    path("healthz/", views.healthz, name="healthz"),
]
