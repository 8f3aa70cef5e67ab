from django.urls import path

from sdelka.documents import report_views

app_name = "reports"
urlpatterns = [
    path("deal-financial-results/", report_views.deal_financial_results, name="deal_financial_results"),
    path(
        "deal-financial-results/export/",
        report_views.deal_financial_results_export,
        name="deal_financial_results_export",
    ),
]
