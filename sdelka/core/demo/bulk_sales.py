"""Deals and posted sales in bulk, for load tests and the analytics benchmarks (``manage.py populate``).

Rows are built in Python and written with ``bulk_create``, one transaction a batch, skipping the services
(and their history rows) — but never their rules:
- numbers are taken from the same counters the services use (``DealNumberCounter``,
  ``DocumentNumberCounter``), a block at a time inside the batch's transaction, so they stay unique per
  year (per type) and the next number a user gets continues the sequence;
- every line's amounts come from ``amounts.line_amounts`` and a sale's totals are the sums of its lines;
- a sale is posted: each line has its sales fact with the sale's date, parties, deal and manager, revenue
  = the line's amount without VAT × the sale's rate (to kopecks), cost = the product's cost price × the
  quantity, gross profit = revenue − cost — what ``sale_post`` writes for a deal without separate goods
  accounting;
- a deal starts at the first stage of its kind with a "created" event; a typical sale moves stage by
  stage, a manual one jumps, each move an event; won and lost deals have their status event (a lost one a
  reason), closed ones a "closed" event and an actual close date.
The first rows of every batch go through ``full_clean``, so a generator bug stops the run at once.
"""

from __future__ import annotations

import random
import time
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as day_time
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.catalog.models import Product
from sdelka.core.choices import Currency
from sdelka.core.demo.timeline import kzt_rate
from sdelka.deals.choices import DealEventKind, DealStatus, ProcessType
from sdelka.deals.models import Deal, DealEvent, DealKind, DealNumberCounter, LostReason
from sdelka.documents.amounts import line_amounts, to_kopecks
from sdelka.documents.bulk import FACT_COLUMNS, LINE_COLUMNS, insert_rows, number_sales, reserve_numbers
from sdelka.documents.choices import SaleStatus
from sdelka.documents.models import Sale, SaleLine, SalesFact
from sdelka.partners.choices import Country
from sdelka.partners.models import Counterparty

LINES_PER_SALE = (1, 8)
KZT_PER_RUB = 6
STATUS_WEIGHTS = {DealStatus.IN_PROGRESS: 60, DealStatus.WON: 25, DealStatus.LOST: 15}
DEAL_SALE_SHARE = 0.1  # of the sales, made in a won deal of this run
RETURN_SHARE = 0.01


class NothingToSellError(Exception):
    """The database lacks what the rows refer to (clients, products, salespeople, deal kinds)."""


@dataclass
class SalesCounts:
    deals: int = 0
    events: int = 0
    sales: int = 0
    lines: int = 0
    facts: int = 0


@dataclass(frozen=True)
class _Client:
    partner_id: int
    counterparty_id: int
    manager_id: int | None
    kazakh: bool


def _noop(message: str) -> None:
    pass


def _clients() -> list[_Client]:
    """Every client with a counterparty (its first), in a fixed order."""
    seen: set[int] = set()
    clients = []
    rows = (
        Counterparty.objects.filter(partner__is_client=True)
        .order_by("partner_id", "pk")
        .values_list("partner_id", "pk", "partner__manager_id", "country")
    )
    for partner_id, counterparty_id, manager_id, country in rows.iterator(chunk_size=10_000):
        if partner_id in seen:
            continue
        seen.add(partner_id)
        clients.append(_Client(partner_id, counterparty_id, manager_id, country == Country.KAZAKHSTAN))
    return clients


def _aware(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, day_time(9))) + timedelta(minutes=rng.randint(0, 480))


class _Maker:
    def __init__(self, rng: random.Random, *, today: date, months: int):
        self.rng = rng
        self.today = today
        self.first = today - timedelta(days=round(months * 30.44))
        self.days = (today - timedelta(days=1) - self.first).days

    def day(self) -> date:
        return self.first + timedelta(days=self.rng.randint(0, self.days))


def populate_sales(
    *,
    deals: int,
    sales_lines: int,
    seed: int = 1,
    months: int = 24,
    batch_size: int = 5000,
    today: date | None = None,
    progress: Callable[[str], None] = _noop,
) -> SalesCounts:
    """Add ``deals`` deals and posted sales of 1-8 lines, ``sales_lines`` lines in all, dated over the
    ``months`` months before ``today``.

    Clients are every partner marked client with a counterparty; the k-th of them (in a shuffled order)
    buys with a weight of 1/k, so a few buy a lot and most little and the reports see a long tail.
    """
    rng = random.Random(seed)
    today = today or timezone.localdate()
    maker = _Maker(rng, today=today, months=months)
    counts = SalesCounts()
    started = time.monotonic()

    def step(message: str) -> None:
        progress(f"  {message} ({time.monotonic() - started:.1f} s)")

    clients = _clients()
    if not clients:
        raise NothingToSellError("There are no clients with a counterparty: add partners first (--partners).")
    sellers = list(
        User.objects.filter(is_active=True, role__in=[Role.MANAGER, Role.HEAD])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not sellers:
        raise NothingToSellError(
            "There are no active managers or heads of sales to make the deals and sales."
        )
    # A client's own manager sells to it; an unassigned client gets a salesperson by its id.
    active = set(sellers)
    for index, client in enumerate(clients):
        if client.manager_id not in active:
            clients[index] = _Client(
                client.partner_id,
                client.counterparty_id,
                sellers[client.partner_id % len(sellers)],
                client.kazakh,
            )
    # Long tail: the weight of the k-th client (in a shuffled order) falls as 1/k.
    order = list(range(len(clients)))
    rng.shuffle(order)
    weights = [0.0] * len(clients)
    for rank, index in enumerate(order, start=1):
        weights[index] = 1 / rank
    cumulative = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)

    won_deals: list[tuple[int, _Client, date]] = []
    if deals:
        won_deals = _bulk_deals(rng, maker, clients, deals, batch_size, counts, step)

    if sales_lines:
        products = list(
            Product.objects.filter(active=True)
            .order_by("pk")
            .values_list("pk", "price", "cost_price", "vat_rate")
        )
        if not products:
            raise NothingToSellError("There are no active products to sell: add products first (--products).")
        done = 0
        while done < sales_lines:
            size = min(batch_size, sales_lines - done)
            _bulk_sales_batch(rng, maker, clients, cumulative, products, won_deals, size, counts)
            done += size
            step(f"{done}/{sales_lines} sale lines")
        # The analytics' per-month aggregates of every month the new sales fall in, once for the whole run.
        from sdelka.analytics.periods import months_between
        from sdelka.analytics.services.aggregates import sales_aggregates_refresh

        sales_aggregates_refresh(months=months_between(maker.first, maker.today - timedelta(days=1)))
        step("monthly sales aggregates refreshed")
    return counts


def _pick_client(rng: random.Random, clients: list[_Client], cumulative: list[float]) -> _Client:
    return clients[min(bisect_left(cumulative, rng.random() * cumulative[-1]), len(clients) - 1)]


def _bulk_deals(rng, maker: _Maker, clients, count: int, batch_size: int, counts: SalesCounts, step):
    kinds = list(DealKind.objects.filter(active=True).order_by("pk").prefetch_related("stages"))
    if not kinds:
        raise NothingToSellError("There are no active deal kinds.")
    stages = {kind.pk: sorted(kind.stages.all(), key=lambda s: (s.order, s.pk)) for kind in kinds}
    kinds = [kind for kind in kinds if not kind.has_stages or stages[kind.pk]]
    reasons = list(LostReason.objects.filter(active=True).order_by("pk").values_list("pk", flat=True))
    statuses = [s for s in STATUS_WEIGHTS if s != DealStatus.LOST or reasons]
    won: list[tuple[int, _Client, date]] = []
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        with transaction.atomic():
            planned = []
            for _ in range(size):
                client = clients[rng.randrange(len(clients))]
                kind = rng.choice(kinds)
                status = rng.choices(statuses, [STATUS_WEIGHTS[s] for s in statuses])[0]
                start = maker.day()
                planned.append((client, kind, status, start))
            by_year: dict[int, list[int]] = defaultdict(list)
            for index, (_c, _k, _s, start) in enumerate(planned):
                by_year[start.year].append(index)
            numbers: dict[int, str] = {}
            for year, indexes in by_year.items():
                taken = reserve_numbers(DealNumberCounter, year=year)(len(indexes))
                for index, number in zip(indexes, taken, strict=True):
                    numbers[index] = f"{year}-{number:06d}"
            rows, stories = [], []
            for index, (client, kind, status, start) in enumerate(planned):
                kind_stages = stages[kind.pk]
                target = 0
                if kind_stages:
                    target = (
                        len(kind_stages) - 1 if status == DealStatus.WON else rng.randrange(len(kind_stages))
                    )
                if kind.process_type == ProcessType.TYPICAL:
                    path = kind_stages[: target + 1]
                elif kind_stages:
                    path = [kind_stages[0]] + ([kind_stages[target]] if target else [])
                else:
                    path = []
                end = min(start + timedelta(days=rng.randint(7, 120)), maker.today - timedelta(days=1))
                closed = status != DealStatus.IN_PROGRESS and rng.random() < 0.7
                stage = path[-1] if path else None
                deal = Deal(
                    number=numbers[index],
                    name=f"Нагрузочная сделка {numbers[index]}",
                    partner_id=client.partner_id,
                    counterparty_id=client.counterparty_id,
                    kind_id=kind.pk,
                    stage=stage,
                    status=status,
                    closed=closed,
                    manager_id=client.manager_id,
                    probability=100
                    if status == DealStatus.WON
                    else 0
                    if status == DealStatus.LOST
                    else (stage.probability if stage else 0),
                    expected_amount=Decimal(rng.randint(50, 5000) * 1000),
                    currency=Currency.KZT if client.kazakh else Currency.RUB,
                    start_date=start,
                    planned_close_date=start + timedelta(days=rng.randint(14, 150)),
                    actual_close_date=end if closed else None,
                    lost_reason_id=rng.choice(reasons) if status == DealStatus.LOST else None,
                )
                rows.append(deal)
                stories.append((path, end))
            rows[0].full_clean(exclude=["number"])
            Deal.objects.bulk_create(rows)
            events = []
            for deal, (path, end) in zip(rows, stories, strict=True):
                moments = sorted(
                    _aware(
                        deal.start_date
                        + timedelta(days=rng.randint(0, max((end - deal.start_date).days, 0))),
                        rng,
                    )
                    for _ in range(len(path))
                )
                created = _aware(deal.start_date, rng)
                last = created
                events.append(
                    DealEvent(
                        deal_id=deal.pk,
                        at=created,
                        user_id=deal.manager_id,
                        kind=DealEventKind.CREATED,
                        to_stage=path[0] if path else None,
                        to_status=DealStatus.IN_PROGRESS,
                        to_value=str(deal.expected_amount),
                    )
                )
                for previous, stage, moment in zip(path, path[1:], moments[1:], strict=False):
                    last = max(moment, last + timedelta(minutes=1))
                    events.append(
                        DealEvent(
                            deal_id=deal.pk,
                            at=last,
                            user_id=deal.manager_id,
                            kind=DealEventKind.STAGE_CHANGED,
                            from_stage=previous,
                            to_stage=stage,
                        )
                    )
                if deal.status != DealStatus.IN_PROGRESS:
                    last = max(_aware(end, rng), last + timedelta(minutes=1))
                    events.append(
                        DealEvent(
                            deal_id=deal.pk,
                            at=last,
                            user_id=deal.manager_id,
                            kind=DealEventKind.STATUS_CHANGED,
                            from_status=DealStatus.IN_PROGRESS,
                            to_status=deal.status,
                            from_stage=deal.stage,
                            to_stage=deal.stage,
                        )
                    )
                if deal.closed:
                    last = last + timedelta(minutes=rng.randint(1, 30))
                    events.append(
                        DealEvent(
                            deal_id=deal.pk,
                            at=last,
                            user_id=deal.manager_id,
                            kind=DealEventKind.CLOSED,
                            from_status=deal.status,
                            to_status=deal.status,
                        )
                    )
                    deal.actual_close_date = timezone.localtime(last).date()
                if deal.status == DealStatus.WON:
                    client = _Client(
                        deal.partner_id, deal.counterparty_id, deal.manager_id, deal.currency == Currency.KZT
                    )
                    won.append((deal.pk, client, timezone.localtime(last).date()))
            DealEvent.objects.bulk_create(events)
            Deal.objects.bulk_update([d for d in rows if d.closed], ["actual_close_date"], batch_size=1000)
        done += size
        counts.deals += size
        counts.events += len(events)
        step(f"{done}/{count} deals")
    return won


def _bulk_sales_batch(
    rng, maker: _Maker, clients, cumulative, products, won_deals, lines_wanted: int, counts
):
    """One transaction: sales with ``lines_wanted`` lines in all, their lines and their facts."""
    base = settings.SDELKA_BASE_CURRENCY
    yesterday = maker.today - timedelta(days=1)
    sales: list[Sale] = []
    sale_lines: list[list[tuple]] = []  # LINE_COLUMNS without the document
    left = lines_wanted
    zero = Decimal("0.00")
    while left > 0:
        if won_deals and rng.random() < DEAL_SALE_SHARE:
            # Shipped in the days after the deal was won.
            deal_id, client, won_on = won_deals[rng.randrange(len(won_deals))]
            day = min(won_on + timedelta(days=rng.randint(0, 10)), yesterday)
        else:
            deal_id, client = None, _pick_client(rng, clients, cumulative)
            day = maker.day()
        kazakh = client.kazakh
        count = min(rng.randint(*LINES_PER_SALE), left)
        sign = -1 if rng.random() < RETURN_SHARE else 1
        lines = []
        for product_id, price, _cost, vat_rate in rng.sample(products, min(count, len(products))):
            quantity = Decimal(rng.randint(1, 20) * sign)
            unit_price = (price * KZT_PER_RUB).quantize(Decimal("0.01")) if kazakh else price
            discount = Decimal(rng.choice((0, 0, 0, 3, 5, 10)))
            amounts = line_amounts(
                quantity=quantity,
                price=unit_price,
                discount_percent=discount,
                vat_rate=vat_rate,
                prices_include_vat=True,
            )
            lines.append(
                (
                    product_id,
                    quantity,
                    unit_price,
                    discount,
                    vat_rate,
                    amounts.discount,
                    amounts.net,
                    amounts.vat,
                    amounts.gross,
                )
            )
        sales.append(
            Sale(
                date=day,
                year=day.year,
                partner_id=client.partner_id,
                counterparty_id=client.counterparty_id,
                deal_id=deal_id,
                manager_id=client.manager_id,
                currency=Currency.KZT if kazakh else base,
                exchange_rate=kzt_rate(day) if kazakh else Decimal("1"),
                prices_include_vat=True,
                status=SaleStatus.POSTED,
                posted_at=_aware(day, rng),
                amount_net=sum((line[6] for line in lines), zero),
                amount_vat=sum((line[7] for line in lines), zero),
                amount_gross=sum((line[8] for line in lines), zero),
            )
        )
        sale_lines.append(lines)
        left -= len(lines)

    costs = {product_id: cost for product_id, _p, cost, _v in products}
    with transaction.atomic():
        number_sales(sales)
        sales[0].full_clean()
        Sale.objects.bulk_create(sales, batch_size=2000)
        line_rows, fact_rows = [], []
        for sale, lines in zip(sales, sale_lines, strict=True):
            rate = sale.exchange_rate
            for line in lines:
                line_rows.append((sale.pk, *line))
                product_id, quantity, net = line[0], line[1], line[6]
                revenue = to_kopecks(net * rate)
                cost = to_kopecks(costs[product_id] * quantity)
                fact_rows.append(
                    (
                        sale.date,
                        sale.pk,
                        sale.partner_id,
                        sale.counterparty_id,
                        product_id,
                        sale.deal_id,
                        sale.manager_id,
                        quantity,
                        revenue,
                        cost,
                        revenue - cost,
                    )
                )
        SaleLine(**dict(zip(LINE_COLUMNS, line_rows[0], strict=True))).full_clean()
        SalesFact(**dict(zip(FACT_COLUMNS, fact_rows[0], strict=True))).full_clean()
        insert_rows(SaleLine, LINE_COLUMNS, line_rows)
        insert_rows(SalesFact, FACT_COLUMNS, fact_rows)
    counts.sales += len(sales)
    counts.lines += len(line_rows)
    counts.facts += len(fact_rows)
