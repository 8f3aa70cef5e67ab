"""The arithmetic of a document line, in one place so every document, export and test agrees.

A line's amount is quantity × price less the discount, rounded half-up to kopecks; its VAT is taken out of
that amount (prices with VAT) or added to it (prices without VAT) and rounded the same way. A document's
totals are the sums of its rounded lines, never recomputed from unrounded figures, so they always add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sdelka.catalog.choices import vat_percent

KOPECK = Decimal("0.01")
HUNDRED = Decimal(100)


def to_kopecks(value: Decimal) -> Decimal:
    rounded = value.quantize(KOPECK, rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)  # no "-0.00" on a return's zero VAT


@dataclass(frozen=True)
class LineAmounts:
    discount: Decimal
    net: Decimal
    vat: Decimal
    gross: Decimal


def line_amounts(
    *, quantity: Decimal, price: Decimal, discount_percent: Decimal, vat_rate: str, prices_include_vat: bool
) -> LineAmounts:
    """Amounts of one line; a negative quantity (a return) gives negative amounts of the same size."""
    full = quantity * price
    amount = to_kopecks(full * (HUNDRED - discount_percent) / HUNDRED)
    discount = to_kopecks(full) - amount
    rate = vat_percent(vat_rate)
    if prices_include_vat:
        gross = amount
        vat = to_kopecks(gross * rate / (HUNDRED + rate))
        net = gross - vat
    else:
        net = amount
        vat = to_kopecks(net * rate / HUNDRED)
        gross = net + vat
    return LineAmounts(discount=discount, net=net, vat=vat, gross=gross)
