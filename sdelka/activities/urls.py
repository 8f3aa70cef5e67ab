from django.urls import path

from sdelka.activities import notification_views, reminder_views, rule_views, views_tasks

app_name = "activities"
urlpatterns: list = [
    path("reminders/", reminder_views.reminder_list, name="reminder_list"),
    path("reminders/new/", reminder_views.reminder_create, name="reminder_create"),
    path("reminders/<int:pk>/", reminder_views.reminder_edit, name="reminder_edit"),
    path("reminders/<int:pk>/delete/", reminder_views.reminder_delete, name="reminder_delete"),
    path("notifications/", notification_views.notification_list, name="notification_list"),
    path("notifications/count/", notification_views.notification_count, name="notification_count"),
    path("notifications/open/", notification_views.notification_open, name="notification_open"),
    path("notifications/read-all/", notification_views.notification_read_all, name="notification_read_all"),
    path("rules/", rule_views.mailing_rule_list, name="mailing_rule_list"),
    path("rules/new/", rule_views.mailing_rule_create, name="mailing_rule_create"),
    path("rules/<int:pk>/", rule_views.mailing_rule_detail, name="mailing_rule_detail"),
    path("rules/<int:pk>/edit/", rule_views.mailing_rule_edit, name="mailing_rule_edit"),
    path("rules/<int:pk>/toggle/", rule_views.mailing_rule_toggle, name="mailing_rule_toggle"),
    path("rules/<int:pk>/delete/", rule_views.mailing_rule_delete, name="mailing_rule_delete"),
    path("tasks/", views_tasks.task_list, name="task_list"),
    path("tasks/team/", views_tasks.team_task_list, name="team_task_list"),
    path("tasks/new/", views_tasks.task_create, name="task_create"),
    path("tasks/<int:pk>/", views_tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views_tasks.task_edit, name="task_edit"),
    path("tasks/<int:pk>/<str:action>/", views_tasks.task_action, name="task_action"),
]
