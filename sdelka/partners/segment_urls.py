"""Pages of partner segments, under /partners/segments/ (namespace ``segments``)."""

from django.urls import path

from sdelka.partners.segments import views

app_name = "segments"
urlpatterns = [
    path("", views.segment_list, name="segment_list"),
    path("new/", views.segment_create, name="segment_create"),
    path("rule-row/", views.rule_row, name="rule_row"),
    path("<int:pk>/", views.segment_detail, name="segment_detail"),
    path("<int:pk>/edit/", views.segment_edit, name="segment_edit"),
    path("<int:pk>/delete/", views.segment_delete, name="segment_delete"),
    path("<int:pk>/evaluate/", views.segment_evaluate, name="segment_evaluate"),
    path("<int:pk>/members/add/", views.segment_members_add, name="segment_members_add"),
    path("<int:pk>/members/remove/", views.segment_members_remove, name="segment_members_remove"),
]
