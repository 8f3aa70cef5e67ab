from django.urls import path

from sdelka.deals import kinds_views as views

app_name = "deal_kinds"
urlpatterns = [
    path("", views.kind_list, name="kind_list"),
    path("new/", views.kind_create, name="kind_create"),
    path("<int:pk>/", views.kind_detail, name="kind_detail"),
    path("<int:pk>/edit/", views.kind_edit, name="kind_edit"),
    path("<int:pk>/delete/", views.kind_delete, name="kind_delete"),
    path("<int:pk>/stages/", views.stage_add, name="stage_add"),
    path("<int:pk>/stages/<int:stage_pk>/", views.stage_edit, name="stage_edit"),
    path("<int:pk>/stages/<int:stage_pk>/delete/", views.stage_delete, name="stage_delete"),
    path("lost-reasons/new/", views.reason_create, name="reason_create"),
    path("lost-reasons/<int:pk>/", views.reason_edit, name="reason_edit"),
    path("lost-reasons/<int:pk>/delete/", views.reason_delete, name="reason_delete"),
]
