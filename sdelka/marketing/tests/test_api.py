"""The marketing API: channels, events, participants, expenses, primary interest on partners and deals,
and the report endpoints."""

from __future__ import annotations

import datetime

import pytest

from sdelka.deals.tests.factories import DealFactory, DealKindFactory
from sdelka.marketing.choices import SourceType
from sdelka.marketing.models import AdChannel, MarketingEvent, MarketingEventParticipant
from sdelka.marketing.tests import report_data
from sdelka.marketing.tests.factories import (
    AdChannelFactory,
    MarketingEventFactory,
    ParticipantFactory,
    channel_of,
)
from sdelka.partners.models import Partner
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_channels_crud(api_client_for, marketer):
    client = api_client_for(marketer)
    top = client.post(f"{API}/ad-channels/", {"name": "Internet"}, format="json").json()
    child = client.post(
        f"{API}/ad-channels/", {"name": "Site", "parent": top["id"], "source_type": "event"}, format="json"
    )
    assert child.status_code == 201
    assert child.json()["depth"] == 1

    moved = client.patch(f"{API}/ad-channels/{child.json()['id']}/", {"parent": None}, format="json")
    assert moved.json()["path"] == f"/{child.json()['id']}/"
    assert client.delete(f"{API}/ad-channels/{top['id']}/").status_code == 204
    assert list(AdChannel.objects.values_list("name", flat=True)) == ["Site"]


def test_a_channel_in_use_is_not_deleted_over_the_api(api_client_for, marketer):
    channel = AdChannelFactory()
    PartnerFactory(primary_interest_channel=channel)

    response = api_client_for(marketer).delete(f"{API}/ad-channels/{channel.pk}/")

    assert response.status_code == 400
    assert "in use" in str(response.json())


def test_a_manager_reads_channels_but_cannot_write(api_client_for, manager):
    AdChannelFactory()
    client = api_client_for(manager)

    assert client.get(f"{API}/ad-channels/").status_code == 200
    assert client.post(f"{API}/ad-channels/", {"name": "X"}, format="json").status_code == 403


def test_events_crud_and_validation(api_client_for, marketer):
    client = api_client_for(marketer)
    body = {"name": "Expo", "kind": "exhibition", "start_date": "2026-03-10", "end_date": "2026-03-12"}

    created = client.post(f"{API}/marketing-events/", body, format="json")
    bad = client.post(f"{API}/marketing-events/", {**body, "end_date": "2026-03-01"}, format="json")

    assert created.status_code == 201
    assert created.json()["responsible"] == marketer.pk
    assert bad.status_code == 400 and "end_date" in bad.json()
    event_id = created.json()["id"]
    assert (
        client.patch(
            f"{API}/marketing-events/{event_id}/", {"planned_budget": "900.00"}, format="json"
        ).json()["planned_budget"]
        == "900.00"
    )
    assert client.get(f"{API}/marketing-events/{event_id}/history/").status_code == 200
    assert client.delete(f"{API}/marketing-events/{event_id}/").status_code == 204
    assert not MarketingEvent.objects.exists()


def test_participants_are_added_once_and_move_forward(api_client_for, marketer):
    client = api_client_for(marketer)
    event = MarketingEventFactory(start_date=datetime.date(2026, 1, 10))
    partner = PartnerFactory()

    added = client.post(
        f"{API}/marketing-event-participants/", {"event": event.pk, "partner": partner.pk}, format="json"
    )
    again = client.post(
        f"{API}/marketing-event-participants/", {"event": event.pk, "partner": partner.pk}, format="json"
    )
    assert added.status_code == 201 and again.status_code == 400
    url = f"{API}/marketing-event-participants/{added.json()['id']}/"
    assert client.patch(url, {"status": "attended"}, format="json").json()["status"] == "attended"
    back = client.patch(url, {"status": "invited"}, format="json")
    assert back.status_code == 400 and "cannot go back" in str(back.json())
    moved = client.patch(url, {"partner": PartnerFactory().pk}, format="json")
    assert moved.status_code == 400


def test_a_manager_sees_only_participants_of_their_partners(api_client_for, manager, outsider):
    mine = ParticipantFactory(partner__manager=manager)
    ParticipantFactory(event=mine.event, partner__manager=outsider)

    response = api_client_for(manager).get(f"{API}/marketing-event-participants/", {"event": mine.event.pk})

    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    foreign = MarketingEventParticipant.objects.exclude(pk=mine.pk).get()
    assert api_client_for(manager).get(f"{API}/marketing-event-participants/{foreign.pk}/").status_code == 404


def test_expenses_over_the_api(api_client_for, marketer):
    client = api_client_for(marketer)
    event = MarketingEventFactory()

    created = client.post(
        f"{API}/marketing-event-expenses/",
        {"event": event.pk, "date": "2026-03-10", "description": "Stand", "amount": "250.00"},
        format="json",
    )
    zero = client.post(
        f"{API}/marketing-event-expenses/",
        {"event": event.pk, "date": "2026-03-10", "description": "Free", "amount": "0"},
        format="json",
    )

    assert created.status_code == 201 and zero.status_code == 400
    url = f"{API}/marketing-event-expenses/{created.json()['id']}/"
    assert client.patch(url, {"amount": "300.00"}, format="json").json()["amount"] == "300.00"
    assert client.patch(url, {"event": MarketingEventFactory().pk}, format="json").status_code == 400


# --- primary interest on partners and deals ---------------------------------------------------------------------


def test_a_partner_is_created_with_a_typed_source(api_client_for, manager):
    channel = channel_of(SourceType.EVENT)
    event = MarketingEventFactory()

    response = api_client_for(manager).post(
        f"{API}/partners/",
        {
            "name": "Lead",
            "primary_interest_channel": channel.pk,
            "primary_interest_source": {"source_type": "event", "id": event.pk},
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["primary_interest_source"] == {"source_type": "event", "id": event.pk}
    assert Partner.objects.get(name="Lead").primary_interest_source == event


@pytest.mark.parametrize(
    "source,message",
    [
        ({"source_type": "user", "id": 1}, "takes a source of the type"),
        ({"source_type": "event", "id": 999999}, "Not found"),
        ({"source_type": "planet", "id": 1}, "is not a valid choice"),
        ("event:1", "Expected"),
    ],
)
def test_a_bad_source_is_refused_and_nothing_stored(api_client_for, manager, source, message):
    channel = channel_of(SourceType.EVENT)
    MarketingEventFactory()
    body = {"name": "Lead", "primary_interest_channel": channel.pk, "primary_interest_source": source}
    if source == {"source_type": "user", "id": 1}:
        body["primary_interest_source"] = {"source_type": "user", "id": manager.pk}

    response = api_client_for(manager).post(f"{API}/partners/", body, format="json")

    assert response.status_code == 400
    assert message in str(response.json())
    assert not Partner.objects.filter(name="Lead").exists()


def test_a_source_can_be_cleared_with_null(api_client_for, manager):
    channel = channel_of(SourceType.USER)
    partner = PartnerFactory(
        manager=manager, primary_interest_channel=channel, primary_interest_source_user=manager
    )

    response = api_client_for(manager).patch(
        f"{API}/partners/{partner.pk}/", {"primary_interest_source": None}, format="json"
    )

    assert response.json()["primary_interest_source"] is None
    assert response.json()["primary_interest_channel"] == channel.pk


def test_the_partner_list_filters_by_channel(api_client_for, manager):
    channel = AdChannelFactory()
    mine = PartnerFactory(manager=manager, primary_interest_channel=AdChannelFactory(parent=channel))
    PartnerFactory(manager=manager)

    response = api_client_for(manager).get(f"{API}/partners/", {"primary_interest_channel": channel.pk})

    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_the_partner_list_costs_no_query_per_source(api_client_for, manager, django_assert_max_num_queries):
    channel = channel_of(SourceType.USER)
    for _ in range(10):
        PartnerFactory(
            manager=manager, primary_interest_channel=channel, primary_interest_source_user=manager
        )
    client = api_client_for(manager)
    client.get(f"{API}/partners/")  # warm the token and content type caches
    with django_assert_max_num_queries(8):
        response = client.get(f"{API}/partners/")
    assert len(response.json()["results"]) == 10


def test_a_deal_created_over_the_api_takes_the_clients_interest(api_client_for, manager):
    channel = channel_of(SourceType.EVENT)
    event = MarketingEventFactory()
    client = PartnerFactory(
        manager=manager, primary_interest_channel=channel, primary_interest_source_event=event
    )

    response = api_client_for(manager).post(
        f"{API}/deals/", {"name": "Supply", "partner": client.pk, "kind": DealKindFactory().pk}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["primary_interest_channel"] == channel.pk
    assert response.json()["primary_interest_source"] == {"source_type": "event", "id": event.pk}


def test_the_deal_list_filters_by_event(api_client_for, manager):
    event = MarketingEventFactory()
    from_event = DealFactory(manager=manager, primary_interest_source_event=event)
    DealFactory(manager=manager)

    response = api_client_for(manager).get(f"{API}/deals/", {"primary_interest_event": event.pk})

    assert [row["id"] for row in response.json()["results"]] == [from_event.pk]


# --- reports -----------------------------------------------------------------------------------------------------


def test_the_report_endpoints_answer_the_figures(api_client_for, manager, outsider):
    report_data.build(manager, outsider)
    client = api_client_for(manager)
    period = {"date_from": "2026-01-01", "date_to": "2026-06-30"}

    interest = client.get(f"{API}/marketing/reports/primary-interest/", period).json()
    events = client.get(f"{API}/marketing/reports/event-effectiveness/", period).json()

    assert interest["total"]["new_partners"] == 4
    assert interest["rows"][0]["channel_name"] == "Exhibitions"
    assert interest["rows"][0]["conversion"] == "0.5000"
    expo = events["rows"][0]
    assert (expo["name"], expo["revenue"], expo["roi"]) == ("Stroyexpo", "2049.00", "0.8600")


def test_a_reversed_period_is_refused(api_client_for, manager):
    response = api_client_for(manager).get(
        f"{API}/marketing/reports/primary-interest/", {"date_from": "2026-06-30", "date_to": "2026-01-01"}
    )

    assert response.status_code == 400


def test_an_events_target_segments_are_set_and_read_through_the_api(api_client_for, marketer):
    from sdelka.partners.models import Segment

    segment = Segment.objects.create(name="Key clients", kind="manual")
    client = api_client_for(marketer)
    created = client.post(
        "/api/v1/marketing-events/",
        {
            "name": "Expo",
            "kind": "exhibition",
            "start_date": "2026-05-01",
            "end_date": "2026-05-03",
            "segments": [segment.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert client.get(f"/api/v1/marketing-events/{created.json()['id']}/").json()["segments"] == [segment.pk]
    bad = client.post(
        "/api/v1/marketing-events/",
        {
            "name": "Expo 2",
            "kind": "exhibition",
            "start_date": "2026-05-01",
            "end_date": "2026-05-03",
            "segments": [999999],
        },
        format="json",
    )
    assert bad.status_code == 400
