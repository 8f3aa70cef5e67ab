from django.urls import path

from sdelka.interactions import template_views, views

app_name = "interactions"
urlpatterns = [
    path("", views.interaction_list, name="interaction_list"),
    path("to-review/", views.to_review, name="to_review"),
    path("new/", views.interaction_create, name="interaction_create"),
    path("<int:pk>/", views.interaction_detail, name="interaction_detail"),
    path("<int:pk>/edit/", views.interaction_edit, name="interaction_edit"),
    path("<int:pk>/delete/", views.interaction_delete, name="interaction_delete"),
    path("<int:pk>/reviewed/", views.interaction_reviewed, name="interaction_reviewed"),
    path("<int:pk>/send/", views.interaction_send, name="interaction_send"),
    path("email/partner/<int:pk>/", views.email_from_partner, name="email_from_partner"),
    path("email/deal/<int:pk>/", views.email_from_deal, name="email_from_deal"),
    path("templates/", template_views.email_template_list, name="email_template_list"),
    path("templates/new/", template_views.email_template_create, name="email_template_create"),
    path("templates/preview/", template_views.email_template_preview, name="email_template_preview"),
    path("templates/<int:pk>/", template_views.email_template_edit, name="email_template_edit"),
    path("templates/<int:pk>/delete/", template_views.email_template_delete, name="email_template_delete"),
    path("unsubscribed/", template_views.opt_out_list, name="opt_out_list"),
]
