from django.urls import path

from sdelka.analytics import classification_views as views

urlpatterns = [
    path("", views.classification_report_page, name="classification"),
    path("export/", views.classification_export, name="classification_export"),
    path("dynamics/", views.classification_dynamics_page, name="classification_dynamics"),
    path("settings/", views.classification_settings_page, name="classification_settings"),
    path("settings/classify-all/", views.classification_classify_all, name="classification_classify_all"),
    path("settings/progress/", views.classification_job_progress, name="classification_job_progress"),
]
