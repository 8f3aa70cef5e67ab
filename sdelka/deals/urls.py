from django.urls import path

from sdelka.deals import card, views

app_name = "deals"
urlpatterns = [
    path("", views.deal_list, name="deal_list"),
    path("new/", views.deal_create, name="deal_create"),
    path("form-options/", views.deal_form_options, name="deal_form_options"),
    path("<int:pk>/", card.deal_detail, name="deal_detail"),
    path("<int:pk>/edit/", views.deal_edit, name="deal_edit"),
    path("<int:pk>/move/", views.deal_move, name="deal_move"),
    path("<int:pk>/won/", views.deal_won, name="deal_won"),
    path("<int:pk>/lost/", views.deal_lost, name="deal_lost"),
    path("<int:pk>/close/", views.deal_close, name="deal_close"),
    path("<int:pk>/reopen/", views.deal_reopen, name="deal_reopen"),
    path("<int:pk>/products/", card.deal_products, name="deal_products"),
    path("<int:pk>/primary-demand/", views.deal_primary_demand, name="deal_primary_demand"),
    path("<int:pk>/participants/", card.deal_participant_add, name="deal_participant_add"),
    path(
        "<int:pk>/participants/<int:participant_pk>/remove/",
        card.deal_participant_remove,
        name="deal_participant_remove",
    ),
    path("<int:pk>/expenses/", card.deal_expense_add, name="deal_expense_add"),
    path("<int:pk>/expenses/<int:expense_pk>/delete/", card.deal_expense_delete, name="deal_expense_delete"),
]
