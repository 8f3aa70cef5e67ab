from django.urls import include, path

urlpatterns: list = [
    path("", include("sdelka.analytics.api.report_urls")),
    path("", include("sdelka.analytics.api.classification_urls")),
]
