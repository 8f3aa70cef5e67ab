from django.urls import path

from sdelka.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.product_list, name="product_list"),
    path("move/", views.product_move_to_group, name="product_move_to_group"),
    path("new/", views.product_create, name="product_create"),
    path("<int:pk>/", views.product_detail, name="product_detail"),
    path("<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("<int:pk>/delete/", views.product_delete, name="product_delete"),
    path("groups/new/", views.product_group_create, name="product_group_create"),
    path("groups/<int:pk>/rename/", views.product_group_rename, name="product_group_rename"),
    path("groups/<int:pk>/move/", views.product_group_move, name="product_group_move"),
    path("groups/<int:pk>/delete/", views.product_group_delete, name="product_group_delete"),
]
