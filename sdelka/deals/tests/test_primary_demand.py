"""The primary demand is copied once from the goods of interest and frozen afterwards."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sdelka.catalog.tests.factories import ProductFactory
from sdelka.deals.services import deal_record_primary_demand, deal_set_products
from sdelka.deals.tests.factories import DealFactory, DealKindFactory

pytestmark = pytest.mark.django_db


def with_products(deal, *lines):
    return deal_set_products(
        actor=None,
        deal=deal,
        version=deal.version,
        lines=[{"product": ProductFactory(), "quantity": Decimal(q), "price": Decimal(p)} for q, p in lines],
    )


def test_it_copies_the_goods_of_interest_once():
    deal = with_products(DealFactory(kind=DealKindFactory(record_primary_demand=True)), ("2", "100.00"))

    deal = deal_record_primary_demand(actor=None, deal=deal, version=deal.version)

    (line,) = deal.primary_demand.all()
    assert (line.quantity, line.price, line.amount) == (
        Decimal("2.000"),
        Decimal("100.00"),
        Decimal("200.00"),
    )


def test_a_second_recording_is_refused_and_later_goods_do_not_change_it():
    deal = with_products(DealFactory(kind=DealKindFactory(record_primary_demand=True)), ("2", "100.00"))
    deal = deal_record_primary_demand(actor=None, deal=deal, version=deal.version)
    deal = with_products(deal, ("5", "90.00"), ("1", "10.00"))

    with pytest.raises(ValidationError, match="recorded already"):
        deal_record_primary_demand(actor=None, deal=deal, version=deal.version)

    assert list(deal.primary_demand.values_list("quantity", flat=True)) == [Decimal("2.000")]


def test_a_kind_without_the_option_refuses_it():
    deal = with_products(DealFactory(kind=DealKindFactory(record_primary_demand=False)), ("1", "1.00"))

    with pytest.raises(ValidationError, match="do not record primary demand"):
        deal_record_primary_demand(actor=None, deal=deal, version=deal.version)


def test_it_needs_goods_of_interest():
    deal = DealFactory(kind=DealKindFactory(record_primary_demand=True))

    with pytest.raises(ValidationError, match="goods of interest first"):
        deal_record_primary_demand(actor=None, deal=deal, version=deal.version)


def test_a_line_with_zero_quantity_is_refused():
    deal = DealFactory()

    with pytest.raises(ValidationError):
        with_products(deal, ("0", "1.00"))
