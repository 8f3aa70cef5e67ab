"""The documents and expenses of a demo deal, made through the document services as its manager would.

What a deal has depends on how far it got (``DealStory``):
- past the proposal stage: a quote dated the day it reached that stage — accepted when the deal was won or
  went on to the last stage, rejected when it was lost, otherwise sent;
- won: a customer order from the quote on the day it reached its last stage (a deal without stages sells
  straight from the deal), for a kind with separate goods accounting a supplier order to a supplier of the
  team's country, confirmed and received before the sale, and the sale itself, posted on the close day;
  some won deals that stay open get a return of part of one product a few weeks later;
- in progress at the last stages: sometimes a customer order, a draft or confirmed;
- one to three expenses (delivery, travel, commission…) per won deal, and sometimes one for a lost deal.
Tenge documents carry the rate of their day (``timeline.kzt_rate``); documents made from one copy it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from sdelka.core.demo.timeline import kzt_rate
from sdelka.deals.choices import DealStatus
from sdelka.deals.models import Deal
from sdelka.documents.choices import (
    ExpenseKind,
    PurchaseOrderStatus,
    QuoteStatus,
    SalesOrderStatus,
)
from sdelka.documents.models import Quote, Sale, SalesOrder
from sdelka.documents.services import (
    document_create,
    document_set_lines,
    document_set_status,
    expense_create,
    purchase_order_from_sales_order,
    quote_from_deal,
    sale_from_deal,
    sale_from_sales_order,
    sale_post,
    sales_order_from_quote,
)
from sdelka.partners.models import Partner

QUOTE_VALIDITY_DAYS = 30
RETURN_SHARE = 0.3  # of the won deals left open
RETURN_REASONS = ("Возврат: брак при приёмке", "Возврат: пересортица", "Возврат излишне поставленного")
EXPENSE_COMMENTS = {
    ExpenseKind.DELIVERY: "Доставка до объекта клиента",
    ExpenseKind.INSTALLATION: "Шеф-монтаж и пусконаладка",
    ExpenseKind.TRAVEL: "Командировка на объект",
    ExpenseKind.COMMISSION: "Агентское вознаграждение",
    ExpenseKind.ENTERTAINMENT: "Представительские расходы",
    ExpenseKind.MARKETING: "Образцы и каталоги для клиента",
}


@dataclass
class DealStory:
    """How far a deal got and when: the days its documents are dated by."""

    status: str
    stages: int  # how many stages its kind has (0: none)
    reached: int  # the position (0-based) of the stage it got to
    proposal_day: date | None  # the day it first reached the second stage or later
    last_stage_day: date | None  # the day it reached the last stage
    close_day: date | None  # won or lost
    will_close: bool


@dataclass
class PostedSale:
    pk: int
    day: date


def stamp_postings(rng: random.Random, posted: list[PostedSale]) -> None:
    """The posting service stamps ``posted_at`` "now"; a demo sale was posted late on its own day."""
    sales = [
        Sale(
            pk=sale.pk,
            posted_at=timezone.make_aware(datetime.combine(sale.day, time(17)))
            + timedelta(minutes=rng.randint(0, 120)),
        )
        for sale in posted
    ]
    Sale.objects.bulk_update(sales, ["posted_at"], batch_size=500)
    posted.clear()


@dataclass
class Paperwork:
    """Documents and expenses of the demo deals; ``posted`` are the sales posted, for their ``posted_at``."""

    rng: random.Random
    today: date
    suppliers: dict[str, list[Partner]]  # by country
    posted: list[PostedSale] = field(default_factory=list)

    def make(self, deal: Deal, *, story: DealStory, kazakh: bool) -> None:
        rng, manager = self.rng, deal.manager
        rate = {"exchange_rate": kzt_rate(story.proposal_day or deal.start_date)} if kazakh else {}
        won, lost = story.status == DealStatus.WON, story.status == DealStatus.LOST
        quote = None
        if story.stages and story.reached >= 1 and story.proposal_day:
            quote = quote_from_deal(
                deal,
                actor=manager,
                data={
                    "date": story.proposal_day,
                    "valid_until": story.proposal_day + timedelta(days=QUOTE_VALIDITY_DAYS),
                    **rate,
                },
            )
            quote = document_set_status(quote, actor=manager, status=QuoteStatus.SENT)
            if won or (not lost and story.reached == story.stages - 1):
                quote = document_set_status(quote, actor=manager, status=QuoteStatus.ACCEPTED)
            elif lost:
                quote = document_set_status(quote, actor=manager, status=QuoteStatus.REJECTED)

        if won:
            self._fulfil(deal, story=story, quote=quote, kazakh=kazakh)
        elif quote is not None and not lost and story.reached >= story.stages - 2 and rng.random() < 0.6:
            # Still negotiating or fulfilling: the order is drafted, or confirmed and waiting for shipment.
            order_day = max(story.last_stage_day or story.proposal_day, story.proposal_day)
            order = sales_order_from_quote(
                quote,
                actor=manager,
                data={"date": order_day, "shipment_date": order_day + timedelta(days=14)},
            )
            if story.reached == story.stages - 1 and rng.random() < 0.5:
                document_set_status(order, actor=manager, status=SalesOrderStatus.CONFIRMED)
        self._expenses(deal, story=story)

    def stamp_postings(self) -> None:
        stamp_postings(self.rng, self.posted)

    def _fulfil(self, deal: Deal, *, story: DealStory, quote: Quote | None, kazakh: bool) -> None:
        rng, manager = self.rng, deal.manager
        close_day = story.close_day
        assert close_day is not None
        if quote is None:  # a deal without stages: sold straight from the deal
            rate = {"exchange_rate": kzt_rate(close_day)} if kazakh else {}
            sale = sale_from_deal(deal, actor=manager, data={"date": close_day, **rate})
        else:
            order_day = story.last_stage_day or close_day
            if order_day <= quote.date:
                order_day = quote.date + timedelta(days=(close_day - quote.date).days // 2)
            order = sales_order_from_quote(
                quote, actor=manager, data={"date": order_day, "shipment_date": close_day}
            )
            order = document_set_status(order, actor=manager, status=SalesOrderStatus.CONFIRMED)
            if deal.kind.separate_goods_accounting:
                self._purchase(deal, order=order, close_day=close_day)
            sale = sale_from_sales_order(order, actor=manager, data={"date": close_day})
            document_set_status(order, actor=manager, status=SalesOrderStatus.FULFILLED)
        sale_post(sale, actor=manager)
        self.posted.append(PostedSale(sale.pk, sale.date))
        if not story.will_close and rng.random() < RETURN_SHARE:
            self._return(deal, sale=sale)

    def _purchase(self, deal: Deal, *, order: SalesOrder, close_day: date) -> None:
        """Goods bought for this deal alone, at the supplier's price (near the cost price), before the sale."""
        rng, manager = self.rng, deal.manager
        country = "KZ" if deal.currency == "KZT" else "RU"
        supplier = rng.choice(self.suppliers.get(country) or self.suppliers["RU"])
        span = max((close_day - order.date).days, 0)
        day = order.date + timedelta(days=rng.randint(0, span // 2))
        purchase = purchase_order_from_sales_order(
            order,
            actor=manager,
            supplier=supplier,
            data={"date": day, "delivery_date": close_day},
        )
        lines = [
            {
                "product": line.product,
                "quantity": line.quantity,
                "price": (line.price * Decimal(rng.randint(88, 106)) / 100).quantize(Decimal("0.01")),
            }
            for line in purchase.lines.select_related("product").order_by("id")
        ]
        purchase = document_set_lines(purchase, actor=manager, lines=lines)
        purchase = document_set_status(purchase, actor=manager, status=PurchaseOrderStatus.CONFIRMED)
        document_set_status(purchase, actor=manager, status=PurchaseOrderStatus.RECEIVED)

    def _return(self, deal: Deal, *, sale: Sale) -> None:
        """The client sends back part of one product a few weeks after the sale: a sale with a minus."""
        rng, manager = self.rng, deal.manager
        day = min(sale.date + timedelta(days=rng.randint(5, 40)), self.today - timedelta(days=1))
        if day <= sale.date:
            return
        line = rng.choice(list(sale.lines.select_related("product").order_by("id")))
        quantity = Decimal(rng.randint(1, max(int(line.quantity) // 2, 1)))
        returned = document_create(
            Sale,
            actor=manager,
            data={
                "date": day,
                "partner": sale.partner,
                "counterparty": sale.counterparty,
                "deal": deal,
                "manager": sale.manager,
                "currency": sale.currency,
                "exchange_rate": sale.exchange_rate,
                "comment": rng.choice(RETURN_REASONS),
            },
            lines=[{"product": line.product, "quantity": -quantity, "price": line.price}],
        )
        sale_post(returned, actor=manager)
        self.posted.append(PostedSale(returned.pk, returned.date))

    def _expenses(self, deal: Deal, *, story: DealStory) -> None:
        rng = self.rng
        if story.status == DealStatus.WON:
            kinds = [ExpenseKind.DELIVERY]
            kinds += rng.sample(
                [ExpenseKind.TRAVEL, ExpenseKind.COMMISSION, ExpenseKind.INSTALLATION, ExpenseKind.MARKETING],
                rng.randint(0, 2),
            )
        elif story.status == DealStatus.LOST and rng.random() < 0.2:
            kinds = [rng.choice([ExpenseKind.TRAVEL, ExpenseKind.ENTERTAINMENT])]
        else:
            return
        end = story.close_day or self.today - timedelta(days=1)
        rate = Decimal(1) if deal.currency == settings.SDELKA_BASE_CURRENCY else kzt_rate(end)
        base = sum((line.quantity * line.price for line in deal.products.all()), Decimal(0)) * rate
        for kind in kinds:
            share = {
                ExpenseKind.DELIVERY: (5, 25),
                ExpenseKind.COMMISSION: (20, 50),
                ExpenseKind.INSTALLATION: (20, 60),
            }.get(kind, (3, 12))
            amount = (base * Decimal(rng.randint(*share)) / 1000).quantize(Decimal("10"))
            span = max((end - deal.start_date).days, 0)
            expense_create(
                actor=deal.manager,
                data={
                    "deal": deal,
                    "date": deal.start_date + timedelta(days=rng.randint(span // 2, span)),
                    "kind": kind,
                    "amount": max(amount, Decimal("500")),
                    "comment": EXPENSE_COMMENTS[kind],
                },
            )
