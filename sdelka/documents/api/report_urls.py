from django.urls import path

from .reports import DealFinancialResultsView

urlpatterns = [
    path(
        "reports/deal-financial-results/",
        DealFinancialResultsView.as_view(),
        name="report-deal-financial-results",
    ),
]
