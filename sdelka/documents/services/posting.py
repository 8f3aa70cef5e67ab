"""Posting a sale: its lines become sales facts, the rows every sales report reads.

A fact is written per sale line, in the base currency: revenue is the line's amount without VAT times the
sale's exchange rate; cost is the quantity times the unit cost. The unit cost is the product's cost price —
or, when the deal's kind keeps separate goods accounting, the average price (without VAT, in the base
currency) of that product in the deal's own supplier orders that are not drafts or cancelled; a product the
deal never ordered from a supplier falls back to its cost price. Unposting deletes the facts again.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sdelka.analytics.services.aggregates import sales_aggregates_refresh
from sdelka.core.services import ensure_role_can
from sdelka.documents.amounts import to_kopecks
from sdelka.documents.choices import PurchaseOrderStatus, SaleStatus
from sdelka.documents.models import PurchaseOrderLine, Sale, SalesFact
from sdelka.documents.services.documents import _save

UNIT_COST = DecimalField(max_digits=28, decimal_places=10)


def _deal_purchase_costs(sale: Sale) -> dict[int, Decimal]:
    """Unit cost per product from the deal's supplier orders, when its kind keeps goods separately."""
    deal = sale.deal
    if deal is None or not deal.kind.separate_goods_accounting:
        return {}
    rows = (
        PurchaseOrderLine.objects.filter(document__deal=deal)
        .exclude(document__status__in=[PurchaseOrderStatus.DRAFT, PurchaseOrderStatus.CANCELLED])
        .values("product_id")
        .annotate(
            quantity=Sum("quantity"),
            amount=Sum(
                ExpressionWrapper(F("amount_net") * F("document__exchange_rate"), output_field=UNIT_COST)
            ),
        )
    )
    return {
        row["product_id"]: Decimal(row["amount"]) / Decimal(row["quantity"])
        for row in rows
        if row["quantity"]
    }


@transaction.atomic
def sale_post(sale: Sale, *, actor) -> Sale:
    """Post a draft sale: it cannot be changed any more and its sales facts are recorded."""
    ensure_role_can(actor, "change", "sale")
    sale = Sale.objects.select_for_update(of=("self",)).select_related("deal__kind").get(pk=sale.pk)
    if sale.status != SaleStatus.DRAFT:
        raise ValidationError(_("The sale is posted already."))
    lines = list(sale.lines.select_related("product").order_by("id"))
    if not lines:
        raise ValidationError(_("Add at least one line first."))
    if sale.currency != settings.SDELKA_BASE_CURRENCY and not sale.exchange_rate:
        raise ValidationError(
            {
                "exchange_rate": _("Give the exchange rate of %(currency)s to %(base)s to post the sale.")
                % {"currency": sale.currency, "base": settings.SDELKA_BASE_CURRENCY}
            }
        )
    rate = sale.exchange_rate or Decimal("1")
    purchase_costs = _deal_purchase_costs(sale)
    facts = []
    for line in lines:
        unit_cost = purchase_costs.get(line.product_id, line.product.cost_price)
        revenue = to_kopecks(line.amount_net * rate)
        cost = to_kopecks(unit_cost * line.quantity)
        facts.append(
            SalesFact(
                date=sale.date,
                sale=sale,
                partner_id=sale.partner_id,
                counterparty_id=sale.counterparty_id,
                product_id=line.product_id,
                deal_id=sale.deal_id,
                manager_id=sale.manager_id,
                quantity=line.quantity,
                revenue=revenue,
                cost=cost,
                gross_profit=revenue - cost,
            )
        )
    SalesFact.objects.bulk_create(facts)
    sales_aggregates_refresh(
        months=[sale.date], partner_ids=[sale.partner_id], product_ids=[fact.product_id for fact in facts]
    )
    sale.status = SaleStatus.POSTED
    sale.posted_at = timezone.now()
    _save(sale, actor=actor)
    return sale


@transaction.atomic
def sale_unpost(sale: Sale, *, actor) -> Sale:
    """Cancel the posting ("отмена проведения"): the facts go, the sale is a draft again."""
    ensure_role_can(actor, "change", "sale")
    sale = Sale.objects.select_for_update(of=("self",)).get(pk=sale.pk)
    if sale.status != SaleStatus.POSTED:
        raise ValidationError(_("The sale is not posted."))
    product_ids = list(sale.facts.values_list("product_id", flat=True).distinct())
    months = list(sale.facts.values_list("date", flat=True).distinct())
    sale.facts.all().delete()
    sales_aggregates_refresh(months=months, partner_ids=[sale.partner_id], product_ids=product_ids)
    sale.status = SaleStatus.DRAFT
    sale.posted_at = None
    _save(sale, actor=actor)
    return sale
