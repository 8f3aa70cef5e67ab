from django.urls import path

from sdelka.analytics.api.dashboard_views import DashboardView, FunnelView, ManagerPerformanceView

urlpatterns: list = [
    path("analytics/funnel/", FunnelView.as_view(), name="analytics-funnel"),
    path("analytics/managers/", ManagerPerformanceView.as_view(), name="analytics-managers"),
    path("analytics/dashboard/", DashboardView.as_view(), name="analytics-dashboard"),
]
