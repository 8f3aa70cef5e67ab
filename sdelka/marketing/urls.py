from django.urls import path

from sdelka.marketing.views import channels, clients, events, mailings, reports, weblead

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
    path("mailings/", mailings.mailing_list, name="mailing_list"),
    path("mailings/new/", mailings.mailing_create, name="mailing_create"),
    path("mailings/<int:pk>/", mailings.mailing_detail, name="mailing_detail"),
    path("mailings/<int:pk>/edit/", mailings.mailing_edit, name="mailing_edit"),
    path("mailings/<int:pk>/delete/", mailings.mailing_delete, name="mailing_delete"),
    path("mailings/<int:pk>/preview/", mailings.mailing_preview, name="mailing_preview"),
    path("mailings/<int:pk>/recipients/", mailings.mailing_recipients, name="mailing_recipients"),
    path("mailings/<int:pk>/progress/", mailings.mailing_progress, name="mailing_progress"),
    path("mailings/<int:pk>/test/", mailings.mailing_test, name="mailing_test"),
    path("mailings/<int:pk>/send/", mailings.mailing_send, name="mailing_send"),
    path("mailings/<int:pk>/cancel/", mailings.mailing_cancel, name="mailing_cancel"),
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
    path("lead-forms/", weblead.lead_form_list, name="lead_form_list"),
    path("lead-forms/new/", weblead.lead_form_create, name="lead_form_create"),
    path("lead-forms/requests/", weblead.lead_submission_list, name="lead_submission_list"),
    path("lead-forms/mappings/new/", weblead.utm_mapping_create, name="utm_mapping_create"),
    path("lead-forms/mappings/<int:pk>/edit/", weblead.utm_mapping_edit, name="utm_mapping_edit"),
    path("lead-forms/mappings/<int:pk>/delete/", weblead.utm_mapping_delete, name="utm_mapping_delete"),
    path("lead-forms/<int:pk>/", weblead.lead_form_detail, name="lead_form_detail"),
    path("lead-forms/<int:pk>/edit/", weblead.lead_form_edit, name="lead_form_edit"),
    path("lead-forms/<int:pk>/delete/", weblead.lead_form_delete, name="lead_form_delete"),
    path("lead-forms/<int:pk>/new-link/", weblead.lead_form_new_link, name="lead_form_new_link"),
]
