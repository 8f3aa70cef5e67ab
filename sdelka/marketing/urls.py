from django.urls import path

from sdelka.marketing.views import channels, clients, events, reports

app_name = "marketing"
urlpatterns = [
    path("", channels.index, name="index"),
    path("channels/", channels.channel_list, name="channel_list"),
    path("channels/new/", channels.channel_create, name="channel_create"),
    path("channels/<int:pk>/edit/", channels.channel_edit, name="channel_edit"),
    path("channels/<int:pk>/delete/", channels.channel_delete, name="channel_delete"),
    path("events/", events.event_list, name="event_list"),
    path("events/calendar/", events.event_calendar, name="event_calendar"),
    path("events/new/", events.event_create, name="event_create"),
    path("events/<int:pk>/", events.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", events.event_delete, name="event_delete"),
    path("events/<int:pk>/participants/", events.participant_add, name="participant_add"),
    path(
        "events/<int:pk>/participants/<int:participant_pk>/status/",
        events.participant_status,
        name="participant_status",
    ),
    path(
        "events/<int:pk>/participants/<int:participant_pk>/remove/",
        events.participant_remove,
        name="participant_remove",
    ),
    path("events/<int:pk>/expenses/", events.expense_add, name="expense_add"),
    path("events/<int:pk>/expenses/<int:expense_pk>/delete/", events.expense_delete, name="expense_delete"),
    path("new-clients/", clients.new_client, name="new_client"),
    path(
        "primary-interest/source-options/",
        clients.primary_interest_source_options,
        name="primary_interest_source_options",
    ),
    path("reports/primary-interest/", reports.primary_interest_report, name="report_primary_interest"),
    path(
        "reports/primary-interest/partners/",
        reports.primary_interest_partners,
        name="report_primary_interest_partners",
    ),
    path(
        "reports/event-effectiveness/", reports.event_effectiveness_report, name="report_event_effectiveness"
    ),
]
