"""Hand-made sales for the classification tests: posted sales with their facts, written straight to the
tables (as the bulk loader does) and the monthly aggregates refreshed as posting refreshes them."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from sdelka.accounts.tests.factories import UserFactory
from sdelka.analytics.services.aggregates import sales_aggregates_refresh
from sdelka.catalog.tests.factories import ProductFactory
from sdelka.documents.choices import SaleStatus
from sdelka.documents.models import Sale, SalesFact

_numbers = itertools.count(1)


def sell(partner, day: date, *lines, manager=None, refresh: bool = True) -> Sale:
    """One posted sale of ``partner`` on ``day``; each line is (product, revenue) or (product, revenue, cost).

    A product of None gets a new one. Amounts are strings or Decimals; negative ones make a return.
    """
    manager = manager or partner.manager or UserFactory()
    sale = Sale.objects.create(
        number=f"T-{next(_numbers):06d}",
        year=day.year,
        date=day,
        partner=partner,
        manager=manager,
        status=SaleStatus.POSTED,
    )
    facts = []
    for line in lines or ((None, "100.00"),):
        product, revenue, cost = (*line, "0.00") if len(line) == 2 else line
        product = product or ProductFactory()
        revenue, cost = Decimal(revenue), Decimal(cost)
        facts.append(
            SalesFact(
                date=day,
                sale=sale,
                partner=partner,
                product=product,
                manager=manager,
                quantity=Decimal("1") if revenue >= 0 else Decimal("-1"),
                revenue=revenue,
                cost=cost,
                gross_profit=revenue - cost,
            )
        )
    SalesFact.objects.bulk_create(facts)
    if refresh:
        sales_aggregates_refresh(
            months=[day], partner_ids=[partner.pk], product_ids=[fact.product_id for fact in facts]
        )
    return sale
