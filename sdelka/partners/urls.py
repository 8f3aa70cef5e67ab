from django.urls import path

from sdelka.partners import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_list, name="partner_list"),
    path("move/", views.partner_move_to_group, name="partner_move_to_group"),
    path("new/", views.partner_create, name="partner_create"),
    path("<int:pk>/", views.partner_detail, name="partner_detail"),
    path("<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("<int:pk>/delete/", views.partner_delete, name="partner_delete"),
    path("<int:pk>/counterparties/new/", views.counterparty_create, name="counterparty_create"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("counterparties/<int:pk>/", views.counterparty_edit, name="counterparty_edit"),
    path("counterparties/<int:pk>/delete/", views.counterparty_delete, name="counterparty_delete"),
    path("contacts/<int:pk>/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("groups/new/", views.partner_group_create, name="partner_group_create"),
    path("groups/<int:pk>/rename/", views.partner_group_rename, name="partner_group_rename"),
    path("groups/<int:pk>/move/", views.partner_group_move, name="partner_group_move"),
    path("groups/<int:pk>/delete/", views.partner_group_delete, name="partner_group_delete"),
    path("individuals/", views.individual_list, name="individual_list"),
    path("individuals/new/", views.individual_create, name="individual_create"),
    path("individuals/<int:pk>/", views.individual_detail, name="individual_detail"),
    path("individuals/<int:pk>/edit/", views.individual_edit, name="individual_edit"),
    path("individuals/<int:pk>/delete/", views.individual_delete, name="individual_delete"),
]
