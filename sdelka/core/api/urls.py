from django.urls import path

from sdelka.core.api.company import CompanyHistoryView, CompanyView

urlpatterns: list = [
    path("company/", CompanyView.as_view(), name="company"),
    path("company/history/", CompanyHistoryView.as_view(), name="company-history"),
]
