"""Regular clients' repeat purchases over the 24 months: material for ABC/XYZ and the sales reports.

Sales without a deal (``document_create(Sale, …)``), posted, as a manager enters the monthly shipments
of a standing client. The shape is that of a real wholesaler's book:
- a long tail of clients: a few key accounts buying a lot every month, regular clients buying most
  months, quarterly clients, and many occasional ones buying once to four times;
- each client has a basket of products it keeps buying; among the products some sell steadily, some only
  in their season (five months of the year) and some now and then;
- prices creep up about half a percent a month; key accounts get a discount; tenge clients pay in tenge
  at the month's rate; now and then a client sends part of a shipment back (a sale with a minus).

``plan_repeat_sales`` decides everything from one ``Random`` without touching the database;
``create_repeat_sales`` writes the plan through the services in date order.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sdelka.accounts.choices import Role
from sdelka.catalog.models import Product
from sdelka.core.choices import Currency
from sdelka.core.demo.deal_documents import PostedSale, stamp_postings
from sdelka.core.demo.specs import TEAM_ALMATY
from sdelka.core.demo.timeline import kzt_rate, month_end, months
from sdelka.documents.models import Sale
from sdelka.documents.services import document_create, sale_post
from sdelka.partners.models import Partner

KZT_PER_RUB = 6


@dataclass(frozen=True)
class Tier:
    name: str
    clients: int
    rhythm: str  # "monthly", "quarterly" or "occasional"
    skip: float  # the chance a month (or quarter) passes without a purchase
    scale: tuple[int, int]  # quantity multiplier, in tenths
    basket: tuple[int, int]  # how many products the client keeps buying
    discount: Decimal


TIERS = (
    Tier("key", 4, "monthly", 0.04, (50, 90), (7, 11), Decimal("7")),
    Tier("regular", 10, "monthly", 0.15, (15, 35), (4, 7), Decimal("3")),
    Tier("quarterly", 24, "quarterly", 0.1, (8, 20), (3, 6), Decimal("0")),
    Tier("occasional", 36, "occasional", 0.0, (5, 15), (2, 5), Decimal("0")),
)
STEADY, SEASONAL, SPORADIC = "steady", "seasonal", "sporadic"
PATTERN_WEIGHTS = {STEADY: 50, SEASONAL: 30, SPORADIC: 20}
SEASON_MONTHS = 5
PRICE_CREEP = Decimal("0.005")  # a month
RETURN_SHARE = 0.03
RETURN_COMMENTS = ("Возврат: брак", "Возврат: не подошёл типоразмер", "Возврат излишне отгруженного")


@dataclass(frozen=True)
class ClientRef:
    pk: int
    kazakh: bool


@dataclass(frozen=True)
class ProductRef:
    pk: int
    price: Decimal  # list price in roubles, VAT included


@dataclass(frozen=True)
class LinePlan:
    product: int
    quantity: Decimal
    price: Decimal
    discount_percent: Decimal


@dataclass(frozen=True)
class SalePlan:
    day: date
    client: int
    tier: str
    currency: str
    lines: tuple[LinePlan, ...]
    comment: str = ""

    @property
    def is_return(self) -> bool:
        return any(line.quantity < 0 for line in self.lines)


@dataclass(frozen=True)
class ProductPattern:
    kind: str
    season: frozenset[int]  # months (1-12) a seasonal product sells in


def product_patterns(rng: random.Random, products: list[ProductRef]) -> dict[int, ProductPattern]:
    patterns = {}
    for product in products:
        kind = rng.choices(list(PATTERN_WEIGHTS), list(PATTERN_WEIGHTS.values()))[0]
        first = rng.randint(1, 12)
        season = (
            frozenset((first + n - 1) % 12 + 1 for n in range(SEASON_MONTHS))
            if kind == SEASONAL
            else frozenset()
        )
        patterns[product.pk] = ProductPattern(kind, season)
    return patterns


def _base_quantity(rng: random.Random, price: Decimal) -> int:
    if price < 5_000:
        return rng.randint(5, 40)
    if price < 50_000:
        return rng.randint(1, 10)
    return rng.randint(1, 3)


def _purchase_months(rng: random.Random, tier: Tier, history: list[date]) -> list[int]:
    """Indexes into ``history`` of the months the client buys in."""
    if tier.rhythm == "monthly":
        return [n for n in range(len(history)) if rng.random() >= tier.skip]
    if tier.rhythm == "quarterly":
        offset = rng.randrange(3)
        return [n for n in range(offset, len(history), 3) if rng.random() >= tier.skip]
    return sorted(rng.sample(range(len(history)), rng.randint(1, 4)))


def plan_repeat_sales(
    rng: random.Random, *, today: date, clients: list[ClientRef], products: list[ProductRef]
) -> list[SalePlan]:
    """The repeat sales (and their returns) of the first clients of ``clients`` shuffled, in date order."""
    history = months(today)
    yesterday = today - timedelta(days=1)
    patterns = product_patterns(rng, products)
    prices = {product.pk: product.price for product in products}
    steady = [p for p in products if patterns[p.pk].kind == STEADY]
    pool = list(clients)
    rng.shuffle(pool)
    plans: list[SalePlan] = []
    for tier in TIERS:
        chosen, pool = pool[: tier.clients], pool[tier.clients :]
        for client in chosen:
            scale = Decimal(rng.randint(*tier.scale)) / 10
            basket = rng.sample(products, min(rng.randint(*tier.basket), len(products)))
            if steady and not any(patterns[p.pk].kind == STEADY for p in basket):
                basket[0] = rng.choice(steady)
            usual = {p.pk: _base_quantity(rng, p.price) for p in basket}
            for index in _purchase_months(rng, tier, history):
                first = history[index]
                last = min(month_end(first), yesterday)
                if last < first:
                    continue
                day = first + timedelta(days=rng.randint(0, (last - first).days))
                lines = []
                for product in basket:
                    pattern = patterns[product.pk]
                    if pattern.kind == SEASONAL:
                        wanted = rng.random() < (0.9 if day.month in pattern.season else 0.03)
                    elif pattern.kind == SPORADIC:
                        wanted = rng.random() < 0.25
                    else:
                        wanted = rng.random() < 0.9
                    if not wanted:
                        continue
                    quantity = max(1, round(usual[product.pk] * scale * Decimal(rng.randint(80, 120)) / 100))
                    price = prices[product.pk] * (1 + PRICE_CREEP * index)
                    if client.kazakh:
                        price *= KZT_PER_RUB
                    lines.append(
                        LinePlan(
                            product.pk, Decimal(quantity), price.quantize(Decimal("0.01")), tier.discount
                        )
                    )
                if not lines:
                    continue
                currency = Currency.KZT if client.kazakh else Currency.RUB
                plans.append(SalePlan(day, client.pk, tier.name, currency, tuple(lines)))
                if rng.random() < RETURN_SHARE:
                    back = day + timedelta(days=rng.randint(3, 20))
                    line = rng.choice(lines)
                    if back <= yesterday:
                        quantity = Decimal(rng.randint(1, max(int(line.quantity) // 3, 1)))
                        plans.append(
                            SalePlan(
                                back,
                                client.pk,
                                tier.name,
                                currency,
                                (LinePlan(line.product, -quantity, line.price, line.discount_percent),),
                                rng.choice(RETURN_COMMENTS),
                            )
                        )
    plans.sort(key=lambda plan: (plan.day, plan.client, plan.is_return))
    return plans


def _noop(message: str) -> None:
    pass


def repeat_sale_clients() -> list[Partner]:
    """Clients a salesperson looks after, with a counterparty: the ones that can buy on their own."""
    return list(
        Partner.objects.filter(
            is_client=True,
            manager__is_active=True,
            manager__role__in=[Role.MANAGER, Role.HEAD],
            counterparties__isnull=False,
        )
        .distinct()
        .select_related("manager__team")
        .prefetch_related("counterparties")
        .order_by("pk")
    )


def create_repeat_sales(*, rng: random.Random, today: date, progress: Callable[[str], None] = _noop) -> int:
    """Write the planned repeat sales through the document services and post them; returns how many."""
    partners = {partner.pk: partner for partner in repeat_sale_clients()}
    products = {p.pk: p for p in Product.objects.filter(active=True).order_by("pk")}
    refs = [
        ClientRef(pk, partner.manager.team is not None and partner.manager.team.name == TEAM_ALMATY)
        for pk, partner in partners.items()
    ]
    plans = plan_repeat_sales(
        rng,
        today=today,
        clients=refs,
        products=[ProductRef(p.pk, p.price) for p in products.values()],
    )
    posted: list[PostedSale] = []
    for number, plan in enumerate(plans, start=1):
        partner = partners[plan.client]
        counterparty = min(partner.counterparties.all(), key=lambda c: c.pk)
        data = {
            "date": plan.day,
            "partner": partner,
            "counterparty": counterparty,
            "manager": partner.manager,
            "currency": plan.currency,
            "comment": plan.comment,
        }
        if plan.currency == Currency.KZT:
            data["exchange_rate"] = kzt_rate(plan.day)
        sale = document_create(
            Sale,
            actor=partner.manager,
            data=data,
            lines=[
                {
                    "product": products[line.product],
                    "quantity": line.quantity,
                    "price": line.price,
                    "discount_percent": line.discount_percent,
                }
                for line in plan.lines
            ],
        )
        sale_post(sale, actor=partner.manager)
        posted.append(PostedSale(sale.pk, sale.date))
        if number % 200 == 0 or number == len(plans):
            progress(f"{number}/{len(plans)} repeat sales")
    stamp_postings(rng, posted)
    return len(plans)
