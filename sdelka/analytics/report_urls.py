from django.urls import path

from sdelka.analytics import dashboard_views

urlpatterns: list = [
    path("", dashboard_views.index, name="index"),
    path("funnel/", dashboard_views.funnel, name="funnel"),
    path("funnel/export/", dashboard_views.funnel_export, name="funnel_export"),
    path("managers/", dashboard_views.managers, name="managers"),
    path("managers/export/", dashboard_views.managers_export, name="managers_export"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/export/", dashboard_views.dashboard_export, name="dashboard_export"),
]
