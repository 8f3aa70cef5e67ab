from django.urls import path

from sdelka.deals import views

app_name = "deals"
urlpatterns = [
    path("", views.deal_list, name="deal_list"),
    path("new/", views.deal_create, name="deal_create"),
    path("<int:pk>/", views.deal_detail, name="deal_detail"),
    path("<int:pk>/edit/", views.deal_edit, name="deal_edit"),
    path("<int:pk>/move/", views.deal_move, name="deal_move"),
    path("<int:pk>/won/", views.deal_won, name="deal_won"),
    path("<int:pk>/lost/", views.deal_lost, name="deal_lost"),
    path("<int:pk>/close/", views.deal_close, name="deal_close"),
    path("<int:pk>/reopen/", views.deal_reopen, name="deal_reopen"),
    path("<int:pk>/products/", views.deal_products, name="deal_products"),
    path("<int:pk>/primary-demand/", views.deal_primary_demand, name="deal_primary_demand"),
]
