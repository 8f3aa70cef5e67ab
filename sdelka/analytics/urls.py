from django.urls import include, path

app_name = "analytics"
urlpatterns: list = [
    path("", include("sdelka.analytics.report_urls")),
    path("classification/", include("sdelka.analytics.classification_urls")),
]
