"""The marketing pages: they render for every role, writes need a marketer (403), a missing record is 404,
lists cost a fixed number of queries, and participants and expenses change in place (htmx)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from sdelka.marketing.choices import ParticipantStatus, SourceType
from sdelka.marketing.models import AdChannel, MarketingEvent
from sdelka.marketing.tests import report_data
from sdelka.marketing.tests.factories import (
    AdChannelFactory,
    ExpenseFactory,
    MarketingEventFactory,
    ParticipantFactory,
)
from sdelka.partners.tests.factories import PartnerFactory, PartnerGroupFactory

pytestmark = pytest.mark.django_db
PAST = datetime.date(2026, 1, 10)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def event(db):
    event = MarketingEventFactory(name="Stroyexpo", start_date=PAST, end_date=PAST)
    ExpenseFactory(event=event)
    ParticipantFactory(event=event, partner__name="Alpha")
    return event


READ_PAGES = [
    ("marketing:channel_list", {}),
    ("marketing:event_list", {}),
    ("marketing:event_calendar", {}),
    ("marketing:report_primary_interest", {}),
    ("marketing:report_event_effectiveness", {}),
]


@pytest.mark.parametrize("url_name,query", READ_PAGES)
@pytest.mark.parametrize("role", ["manager", "marketer"])
def test_the_pages_render_for_readers_and_keepers(request, page_client_for, event, url_name, query, role):
    client = page_client_for(request.getfixturevalue(role))

    response = client.get(reverse(url_name), query)

    assert response.status_code == 200


def test_the_index_leads_to_the_events(page_client_for, manager):
    response = page_client_for(manager).get(reverse("marketing:index"))

    assert response.url == reverse("marketing:event_list")


@pytest.mark.parametrize("tab", ["main", "participants", "expenses", "deals", "interactions", "history"])
def test_every_tab_of_an_event_renders(page_client_for, marketer, event, tab):
    response = page_client_for(marketer).get(reverse("marketing:event_detail", args=[event.pk]), {"tab": tab})

    assert response.status_code == 200
    assert "Stroyexpo" in response.content.decode()


def test_a_missing_event_is_404(page_client_for, manager):
    assert page_client_for(manager).get(reverse("marketing:event_detail", args=[999])).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        lambda e, c: reverse("marketing:event_create"),
        lambda e, c: reverse("marketing:event_edit", args=[e.pk]),
        lambda e, c: reverse("marketing:event_delete", args=[e.pk]),
        lambda e, c: reverse("marketing:channel_create"),
        lambda e, c: reverse("marketing:channel_edit", args=[c.pk]),
        lambda e, c: reverse("marketing:channel_delete", args=[c.pk]),
    ],
)
def test_a_manager_may_not_change_marketing_data(page_client_for, manager, event, url):
    channel = AdChannelFactory()

    assert page_client_for(manager).get(url(event, channel)).status_code == 403


def test_a_manager_may_not_add_participants(page_client_for, manager, event):
    response = page_client_for(manager).post(
        reverse("marketing:participant_add", args=[event.pk]), {"partners": [PartnerFactory().pk]}
    )

    assert response.status_code == 403
    assert event.participants.count() == 1


def test_the_event_list_costs_the_same_queries_for_many_events(
    page_client_for, marketer, django_assert_max_num_queries
):
    client = page_client_for(marketer)
    channel = AdChannelFactory()
    for _ in range(15):
        ParticipantFactory(event__channel=channel)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("marketing:event_list"))
    assert response.content.decode().count("/marketing/events/") >= 15


def test_the_channel_tree_costs_the_same_queries_for_many_channels(
    page_client_for, marketer, django_assert_max_num_queries
):
    client = page_client_for(marketer)
    top = AdChannelFactory(name="Top")
    for index in range(10):
        PartnerFactory(primary_interest_channel=AdChannelFactory(name=f"Sub {index}", parent=top))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("marketing:channel_list"))
    assert "Sub 9" in response.content.decode()


def test_a_channel_is_created_from_its_form(page_client_for, marketer):
    top = AdChannelFactory(name="Exhibitions")

    response = page_client_for(marketer).post(
        reverse("marketing:channel_create"), {"name": "Regional", "parent": top.pk, "source_type": "event"}
    )

    assert response.status_code == 302
    assert AdChannel.objects.get(name="Regional").parent == top


def test_deleting_a_channel_in_use_tells_why(page_client_for, marketer):
    channel = AdChannelFactory()
    PartnerFactory(primary_interest_channel=channel)

    response = page_client_for(marketer).post(
        reverse("marketing:channel_delete", args=[channel.pk]), follow=True
    )

    assert "is in use" in response.content.decode()
    assert AdChannel.objects.filter(pk=channel.pk).exists()


def test_an_event_form_with_the_end_before_the_start_shows_the_error(page_client_for, marketer):
    response = page_client_for(marketer).post(
        reverse("marketing:event_create"),
        {"name": "Expo", "kind": "exhibition", "start_date": "2026-03-10", "end_date": "2026-03-01"},
    )

    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    assert not MarketingEvent.objects.exists()


def test_an_event_is_created_from_its_form(page_client_for, marketer):
    response = page_client_for(marketer).post(
        reverse("marketing:event_create"),
        {
            "name": "Expo",
            "kind": "exhibition",
            "start_date": "2026-03-10",
            "end_date": "2026-03-12",
            "planned_budget": "1 500.00",
        },
    )

    event = MarketingEvent.objects.get()
    assert response.url == reverse("marketing:event_detail", args=[event.pk])
    assert str(event.planned_budget) == "1500.00"


def test_a_whole_partner_group_is_invited_at_once(page_client_for, marketer, event):
    group = PartnerGroupFactory()
    below = PartnerGroupFactory(parent=group)
    members = [PartnerFactory(group=group), PartnerFactory(group=below)]
    PartnerFactory()

    response = page_client_for(marketer).post(
        reverse("marketing:participant_add", args=[event.pk]),
        {"group": group.pk, "include_subgroups": "on"},
        **HTMX,
    )

    assert response.status_code == 200
    assert "2 participants added." in response.content.decode()
    assert set(members) <= {p.partner for p in event.participants.all()}


def test_adding_nobody_is_answered_with_the_reason(page_client_for, marketer, event):
    response = page_client_for(marketer).post(
        reverse("marketing:participant_add", args=[event.pk]), {}, **HTMX
    )

    assert response.status_code == 400
    assert "Choose partners, a partner group or a contact person." in response.content.decode()


def test_the_status_changes_in_place(page_client_for, marketer, event):
    participant = event.participants.get()

    response = page_client_for(marketer).post(
        reverse("marketing:participant_status", args=[event.pk, participant.pk]),
        {"status": ParticipantStatus.ATTENDED},
        **HTMX,
    )

    assert response.status_code == 200
    assert 'id="event-tabs"' in response.content.decode()
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ATTENDED


def test_a_status_going_back_is_refused_in_place(page_client_for, marketer, event):
    participant = event.participants.get()
    participant.status = ParticipantStatus.ATTENDED
    participant.save()

    response = page_client_for(marketer).post(
        reverse("marketing:participant_status", args=[event.pk, participant.pk]),
        {"status": ParticipantStatus.INVITED},
        **HTMX,
    )

    assert response.status_code == 400
    assert "cannot go back" in response.content.decode()


def test_a_participant_of_another_event_is_404(page_client_for, marketer, event):
    other = ParticipantFactory()

    response = page_client_for(marketer).post(
        reverse("marketing:participant_status", args=[event.pk, other.pk]), {"status": "registered"}
    )

    assert response.status_code == 404


def test_an_expense_is_added_and_a_bad_one_shows_the_error(page_client_for, marketer, event):
    client = page_client_for(marketer)
    url = reverse("marketing:expense_add", args=[event.pk])

    good = client.post(url, {"date": "2026-01-10", "description": "Print", "amount": "50"}, **HTMX)
    bad = client.post(url, {"date": "2026-01-10", "description": "Print", "amount": "0"}, **HTMX)

    assert good.status_code == 200
    assert bad.status_code == 400
    assert event.expenses.count() == 2


def test_the_calendar_shows_an_event_on_each_of_its_days(page_client_for, manager):
    MarketingEventFactory(
        name="Long fair", start_date=datetime.date(2026, 3, 30), end_date=datetime.date(2026, 4, 2)
    )

    march = (
        page_client_for(manager)
        .get(reverse("marketing:event_calendar"), {"month": "2026-03"})
        .content.decode()
    )
    april = (
        page_client_for(manager)
        .get(reverse("marketing:event_calendar"), {"month": "2026-04"})
        .content.decode()
    )
    may = (
        page_client_for(manager)
        .get(reverse("marketing:event_calendar"), {"month": "2026-05"})
        .content.decode()
    )

    # March 30–31 and April 1–2, and each grid shows the days of the neighbouring months too.
    assert march.count('class="calendar-event"') == 4
    assert april.count('class="calendar-event"') == 4
    assert "Long fair" not in may


def test_a_bad_month_falls_back_to_this_month(page_client_for, manager):
    assert (
        page_client_for(manager).get(reverse("marketing:event_calendar"), {"month": "2026-13"}).status_code
        == 200
    )


def test_the_event_list_filters_by_search_and_kind(page_client_for, manager):
    MarketingEventFactory(name="Webinar on valves", kind="webinar")
    MarketingEventFactory(name="Expo", kind="exhibition")

    page = page_client_for(manager).get(reverse("marketing:event_list"), {"q": "valves", "kind": "webinar"})

    content = page.content.decode()
    assert "Webinar on valves" in content and "Expo" not in content


def test_the_report_pages_show_the_figures_and_export_excel(page_client_for, manager, outsider):
    data = report_data.build(manager, outsider)
    client = page_client_for(manager)
    query = {"date_from": "2026-01-01", "date_to": "2026-06-30"}

    page = client.get(reverse("marketing:report_primary_interest"), query)
    excel = client.get(reverse("marketing:report_primary_interest"), {**query, "format": "xlsx"})
    events = client.get(reverse("marketing:report_event_effectiveness"), {**query, "format": "xlsx"})
    drill = client.get(
        reverse("marketing:report_primary_interest_partners"),
        {**query, "channel": data.exhibitions.pk, "source_type": "event", "source": data.expo.pk},
    )

    assert "1 200,00" in page.content.decode() or "1,200.00" in page.content.decode()
    assert excel["Content-Type"].startswith("application/vnd.openxmlformats")
    assert events.status_code == 200
    assert "P1" in drill.content.decode() and "P2" in drill.content.decode()


def test_a_drill_down_with_a_bad_key_is_404(page_client_for, manager):
    response = page_client_for(manager).get(
        reverse("marketing:report_primary_interest_partners"), {"channel": "999", "source_type": "x"}
    )

    assert response.status_code == 404


def test_channel_source_types_are_listed(page_client_for, manager):
    AdChannelFactory(name="Referral", source_type=SourceType.PARTNER)

    content = page_client_for(manager).get(reverse("marketing:channel_list")).content.decode()

    assert "Referral" in content and "Partner" in content


def test_the_participants_tab_names_only_the_users_partners(page_client_for, manager, outsider):
    event = MarketingEventFactory()
    ParticipantFactory(event=event, partner__name="Ours", partner__manager=manager)
    ParticipantFactory(event=event, partner__name="Theirs", partner__manager=outsider)

    content = (
        page_client_for(manager)
        .get(reverse("marketing:event_detail", args=[event.pk]), {"tab": "participants"})
        .content.decode()
    )

    assert "Ours" in content and "Theirs" not in content


def test_the_participants_tab_costs_the_same_queries_for_many(
    page_client_for, marketer, django_assert_max_num_queries
):
    event = MarketingEventFactory()
    for _ in range(12):
        ParticipantFactory(event=event)
    client = page_client_for(marketer)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("marketing:event_detail", args=[event.pk]), {"tab": "participants"})
    assert response.content.decode().count('name="status"') == 12


def test_the_main_tab_shows_the_events_effectiveness_so_far(page_client_for, manager, outsider):
    data = report_data.build(manager, outsider)

    content = (
        page_client_for(manager).get(reverse("marketing:event_detail", args=[data.expo.pk])).content.decode()
    )

    # From 2026-02-10 to today: the report's figures plus P1's sale of 2026-07-05 (500, no cost), so
    # gross profit 930 + 500 = 1430 and ROI (1430 − 500) / 500 = 186 %.
    assert "Effectiveness" in content
    assert "186%" in content


def test_partners_taking_part_are_not_offered_again(page_client_for, marketer, event):
    PartnerFactory(name="Beta")

    content = (
        page_client_for(marketer)
        .get(reverse("marketing:event_detail", args=[event.pk]), {"tab": "participants"})
        .content.decode()
    )

    options = content.split('name="partners"')[1].split("</select>")[0]
    assert "Beta" in options and "Alpha" not in options


def test_the_reports_draw_their_charts_from_the_same_figures(page_client_for, manager, outsider):
    import json
    import re

    data = report_data.build(manager, outsider)
    client = page_client_for(manager)
    query = {"date_from": "2026-01-01", "date_to": "2026-06-30"}

    def chart_of(response, chart_id):
        found = re.search(
            rf'<script id="{chart_id}-data" type="application/json">(.*?)</script>', response.content.decode()
        )
        return json.loads(found.group(1))

    interest = chart_of(
        client.get(reverse("marketing:report_primary_interest"), query), "chart-primary-interest"
    )
    assert data.exhibitions.name in interest["labels"]
    revenue = dict(zip(interest["labels"], interest["datasets"][0]["data"], strict=True))
    assert revenue[data.exhibitions.name] > 0

    events = chart_of(
        client.get(reverse("marketing:report_event_effectiveness"), query), "chart-event-effectiveness"
    )
    assert data.expo.name in events["labels"]
    assert [dataset["label"] for dataset in events["datasets"]] == ["Gross profit", "Expenses"]
