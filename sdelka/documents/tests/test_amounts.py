"""The arithmetic of document lines: half-up rounding to kopecks, VAT in or on top, totals = sums of lines."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sdelka.catalog.choices import VatRate, vat_percent
from sdelka.documents.amounts import line_amounts

quantities = st.decimals(min_value=Decimal("-999.999"), max_value=Decimal("99999.999"), places=3).filter(
    lambda q: q != 0
)
prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("9999999.99"), places=2)
discounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=2)
rates = st.sampled_from(VatRate.values)


@given(quantity=quantities, price=prices, discount=discounts, rate=rates, include=st.booleans())
@settings(max_examples=300, deadline=None)
def test_a_line_adds_up_and_is_rounded_to_kopecks(quantity, price, discount, rate, include):
    amounts = line_amounts(
        quantity=quantity, price=price, discount_percent=discount, vat_rate=rate, prices_include_vat=include
    )
    for value in (amounts.net, amounts.vat, amounts.gross, amounts.discount):
        assert value == value.quantize(Decimal("0.01"))
    assert amounts.net + amounts.vat == amounts.gross
    exact = quantity * price * (100 - discount) / 100
    assert abs((amounts.gross if include else amounts.net) - exact) <= Decimal("0.005")
    percent = vat_percent(rate)
    if include:
        assert abs(amounts.vat - amounts.gross * percent / (100 + percent)) <= Decimal("0.005")
    else:
        assert abs(amounts.vat - amounts.net * percent / 100) <= Decimal("0.005")
    # A return mirrors a sale of the same goods.
    mirrored = line_amounts(
        quantity=-quantity, price=price, discount_percent=discount, vat_rate=rate, prices_include_vat=include
    )
    assert (mirrored.net, mirrored.vat, mirrored.gross) == (-amounts.net, -amounts.vat, -amounts.gross)


@pytest.mark.parametrize(
    ("quantity", "price", "discount", "rate", "include", "expected"),
    [
        # half a kopeck goes up: 0.125 → 0.13 (banker's rounding would give 0.12)
        ("1", "0.125", "0", "without", True, ("0.13", "0.00", "0.13")),
        ("1", "122.00", "0", "22", True, ("100.00", "22.00", "122.00")),
        ("1", "100.00", "0", "22", False, ("100.00", "22.00", "122.00")),
        ("3", "33.33", "10", "20", True, ("74.99", "15.00", "89.99")),
        ("-1", "0.125", "0", "without", True, ("-0.13", "0.00", "-0.13")),
    ],
)
def test_known_lines(quantity, price, discount, rate, include, expected):
    amounts = line_amounts(
        quantity=Decimal(quantity),
        price=Decimal(price),
        discount_percent=Decimal(discount),
        vat_rate=rate,
        prices_include_vat=include,
    )
    assert (str(amounts.net), str(amounts.vat), str(amounts.gross)) == expected


@pytest.mark.django_db
@given(
    lines=st.lists(
        st.tuples(
            st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000"), places=3),
            st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=2),
            st.decimals(min_value=Decimal("0"), max_value=Decimal("50"), places=2),
        ),
        min_size=1,
        max_size=6,
    ),
    include=st.booleans(),
)
@settings(max_examples=25, deadline=None)
def test_document_totals_are_the_sums_of_its_lines(lines, include):
    from sdelka.accounts.tests.factories import UserFactory
    from sdelka.catalog.tests.factories import ProductFactory
    from sdelka.documents.models import Quote
    from sdelka.documents.services import document_create
    from sdelka.partners.tests.factories import PartnerFactory

    product = ProductFactory(vat_rate="20")
    quote = document_create(
        Quote,
        actor=None,
        data={"partner": PartnerFactory(), "manager": UserFactory(), "prices_include_vat": include},
        lines=[{"product": product, "quantity": q, "price": p, "discount_percent": d} for q, p, d in lines],
    )
    stored = list(quote.lines.all())
    assert quote.amount_net == sum(line.amount_net for line in stored)
    assert quote.amount_vat == sum(line.amount_vat for line in stored)
    assert quote.amount_gross == sum(line.amount_gross for line in stored)
    assert quote.amount_net + quote.amount_vat == quote.amount_gross
    entered = sum(
        (q * p * (100 - d) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for q, p, d in lines
    )
    assert (quote.amount_gross if include else quote.amount_net) == entered
