from django.urls import path

from sdelka.analytics.api.classification import ClassificationSettingsView, ClassificationView

urlpatterns = [
    path("analytics/classification/", ClassificationView.as_view(), name="analytics-classification"),
    path("analytics/settings/", ClassificationSettingsView.as_view(), name="analytics-settings"),
]
