"""The demo's marketing step on a small hand-made setup: channels of every source type, events with
participants and expenses, and a primary interest consistent with the events."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import transaction

from sdelka.core.demo.marketing import CHANNELS, EVENTS, create_demo_marketing
from sdelka.deals.models import Deal
from sdelka.deals.tests.factories import DealFactory
from sdelka.marketing.choices import SourceType
from sdelka.marketing.models import AdChannel, MarketingEvent
from sdelka.marketing.tests.factories import sell
from sdelka.partners.models import Partner
from sdelka.partners.tests.factories import ContactPersonFactory, IndividualFactory, PartnerFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 1)


@pytest.fixture
def setup(manager, teammate, marketer, admin_user):
    IndividualFactory()
    for index in range(40):
        owner = manager if index % 3 else teammate
        client = PartnerFactory(name=f"Client {index:02d}", manager=owner)
        ContactPersonFactory(partner=client)
        start = TODAY - datetime.timedelta(days=720 - index * 18)
        DealFactory(partner=client, manager=owner, start_date=start)
        DealFactory(partner=client, manager=owner, start_date=start + datetime.timedelta(days=40))
        if index % 4 == 0:
            sell(client, start + datetime.timedelta(days=20), "1000.00", "700.00")


def test_the_demo_makes_channels_events_and_a_consistent_primary_interest(setup):
    counts = create_demo_marketing(rng=random.Random(7), today=TODAY)

    assert AdChannel.objects.count() == len(CHANNELS) == counts.channels
    assert {c.source_type for c in AdChannel.objects.all()} >= set(SourceType.values)
    assert AdChannel.objects.filter(parent__isnull=False).exists()
    assert MarketingEvent.objects.count() == len(EVENTS)
    for event in MarketingEvent.objects.all():
        assert event.expenses.exists()
        assert event.start_date <= TODAY
    assert counts.participants > 0
    clients = Partner.objects.filter(is_client=True)
    with_interest = clients.filter(primary_interest_channel__isnull=False)
    assert with_interest.count() >= 0.7 * clients.count()
    by_event = with_interest.filter(primary_interest_source_event__isnull=False)
    assert by_event.exists()
    for partner in by_event:
        event = partner.primary_interest_source_event
        assert event.participants.filter(partner=partner).exists()
        for deal in Deal.objects.filter(partner=partner):
            expected = event if deal.start_date >= event.start_date else None
            assert deal.primary_interest_source_event == expected
        assert partner.created_at.date() >= event.start_date
    for partner in with_interest:
        first = Deal.objects.filter(partner=partner).order_by("start_date").first()
        assert partner.created_at.date() <= first.start_date


def _interest_snapshot() -> list[tuple]:
    return sorted(
        Partner.objects.values_list(
            "name", "primary_interest_channel__name", "primary_interest_source_event__name"
        )
    )


def test_the_demo_is_the_same_for_the_same_seed(setup):
    with transaction.atomic():
        create_demo_marketing(rng=random.Random(7), today=TODAY)
        first = _interest_snapshot()
        transaction.set_rollback(True)

    create_demo_marketing(rng=random.Random(7), today=TODAY)

    assert _interest_snapshot() == first
    assert len({row[1] for row in first}) > 3
