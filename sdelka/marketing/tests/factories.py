"""Factories of the marketing app, and a posted sale written straight to the tables for the report tests."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import factory

from sdelka.marketing.choices import EventKind
from sdelka.marketing.models import (
    AdChannel,
    MarketingEvent,
    MarketingEventExpense,
    MarketingEventParticipant,
)


class AdChannelFactory(factory.django.DjangoModelFactory):
    """A channel made as the service makes it (so its tree path is right)."""

    class Meta:
        model = AdChannel

    name = factory.Sequence(lambda n: f"Channel {n}")
    parent = None
    source_type = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from sdelka.marketing.services import ad_channel_create

        return ad_channel_create(actor=None, data=kwargs)


class MarketingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketingEvent

    name = factory.Sequence(lambda n: f"Event {n}")
    kind = EventKind.EXHIBITION
    start_date = datetime.date(2026, 3, 10)
    end_date = factory.SelfAttribute("start_date")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketingEventParticipant

    event = factory.SubFactory(MarketingEventFactory)
    partner = factory.SubFactory("sdelka.partners.tests.factories.PartnerFactory")


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketingEventExpense

    event = factory.SubFactory(MarketingEventFactory)
    date = factory.SelfAttribute("event.start_date")
    description = "Stand"
    amount = Decimal("100.00")


def channel_of(source_type: str, **kwargs) -> AdChannel:
    return AdChannelFactory(name=f"By {source_type or 'nothing'}", source_type=source_type, **kwargs)


_numbers = itertools.count(1)


def sell(partner, day: datetime.date, revenue: str, cost: str = "0.00"):
    """One posted sale of ``partner`` on ``day`` with one line, and its sales fact (as posting writes it)."""
    from sdelka.accounts.tests.factories import UserFactory
    from sdelka.catalog.tests.factories import ProductFactory
    from sdelka.documents.choices import SaleStatus
    from sdelka.documents.models import Sale, SalesFact

    manager = partner.manager or UserFactory()
    sale = Sale.objects.create(
        number=f"MKT-{next(_numbers):06d}",
        year=day.year,
        date=day,
        partner=partner,
        manager=manager,
        status=SaleStatus.POSTED,
    )
    SalesFact.objects.create(
        date=day,
        sale=sale,
        partner=partner,
        product=ProductFactory(),
        manager=manager,
        quantity=Decimal("1"),
        revenue=Decimal(revenue),
        cost=Decimal(cost),
        gross_profit=Decimal(revenue) - Decimal(cost),
    )
    return sale
