"""A small hand-made data set for the report tests; the expected figures are worked out in the tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from sdelka.deals.choices import DealStatus
from sdelka.deals.tests.factories import DealFactory
from sdelka.marketing.choices import ParticipantStatus, SourceType
from sdelka.marketing.tests.factories import (
    AdChannelFactory,
    ExpenseFactory,
    MarketingEventFactory,
    ParticipantFactory,
    sell,
)
from sdelka.partners.models import Partner
from sdelka.partners.tests.factories import PartnerFactory

D = datetime.date
PERIOD = {"date_from": D(2026, 1, 1), "date_to": D(2026, 6, 30)}


def created_on(partner: Partner, day: datetime.date) -> Partner:
    moment = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 12, 0))
    Partner.objects.filter(pk=partner.pk).update(created_at=moment)
    partner.refresh_from_db()
    return partner


@dataclass
class Data:
    exhibitions: object
    referral: object
    expo: object
    spring: object
    referrer: object
    p1: object
    p2: object
    p3: object


def build(manager, outsider) -> Data:
    exhibitions = AdChannelFactory(name="Exhibitions", source_type=SourceType.EVENT)
    referral = AdChannelFactory(name="Referral", source_type=SourceType.PARTNER)
    expo = MarketingEventFactory(name="Stroyexpo", start_date=D(2026, 2, 10), end_date=D(2026, 2, 12))
    spring = MarketingEventFactory(name="Spring promo", start_date=D(2026, 5, 1), end_date=D(2026, 5, 31))
    MarketingEventFactory(name="Old fair", start_date=D(2025, 11, 1), end_date=D(2025, 11, 2))
    ExpenseFactory(event=expo, amount=Decimal("300.00"))
    ExpenseFactory(event=expo, amount=Decimal("200.00"))

    def partner(name, day, **interest):
        return created_on(PartnerFactory(name=name, manager=manager, **interest), day)

    by_expo = {"primary_interest_channel": exhibitions, "primary_interest_source_event": expo}
    referrer = partner("Referrer", D(2025, 6, 1))
    p1 = partner("P1", D(2026, 2, 15), **by_expo)
    p2 = partner("P2", D(2026, 3, 1), **by_expo)
    p3 = partner(
        "P3", D(2026, 3, 5), primary_interest_channel=referral, primary_interest_source_partner=referrer
    )
    p4 = partner("P4", D(2025, 12, 20))
    p5 = partner("P5", D(2026, 4, 1))
    p6 = partner("P6", D(2025, 10, 1))
    p7 = created_on(PartnerFactory(name="P7", manager=outsider, **by_expo), D(2026, 3, 1))

    sell(p1, D(2026, 3, 1), "1000.00", "600.00")
    sell(p1, D(2026, 7, 5), "500.00")  # after the period
    sell(p2, D(2026, 4, 1), "200.00", "50.00")
    sell(p4, D(2026, 3, 1), "999.00", "499.00")
    sell(p5, D(2026, 5, 1), "100.00", "100.00")
    sell(p6, D(2026, 2, 1), "70.00")  # before the event
    sell(p6, D(2026, 2, 10), "50.00", "20.00")  # on the event's first day
    sell(p7, D(2026, 3, 2), "700.00")  # another team's

    def deal(client, day, status=DealStatus.IN_PROGRESS, **interest):
        return DealFactory(partner=client, manager=client.manager, start_date=day, status=status, **interest)

    deal(p1, D(2026, 2, 20), DealStatus.WON, **by_expo)
    deal(p2, D(2026, 3, 10), **by_expo)
    deal(p4, D(2026, 3, 2), DealStatus.WON)
    deal(p3, D(2026, 5, 1), primary_interest_channel=referral, primary_interest_source_partner=referrer)
    deal(p1, D(2025, 12, 1), DealStatus.WON, **by_expo)  # before the period
    deal(p6, D(2026, 1, 15))  # before the event
    deal(p7, D(2026, 3, 3), DealStatus.WON, **by_expo)  # another team's

    ParticipantFactory(event=expo, partner=p1, status=ParticipantStatus.ATTENDED)
    ParticipantFactory(event=expo, partner=p4, status=ParticipantStatus.REGISTERED)
    ParticipantFactory(event=expo, partner=p6)
    ParticipantFactory(event=expo, partner=p7)
    return Data(exhibitions, referral, expo, spring, referrer, p1, p2, p3)
