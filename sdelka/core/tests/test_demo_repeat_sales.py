"""The plan of the demo's repeat sales: reproducible, inside the 24 months, a long tail, seasons and returns.

``plan_repeat_sales`` touches no database, so these run in milliseconds; ``test_command_demo`` checks what
the demo writes from it.
"""

import random
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal

from sdelka.core.demo.repeat_sales import (
    SEASONAL,
    STEADY,
    TIERS,
    ClientRef,
    ProductRef,
    plan_repeat_sales,
    product_patterns,
)
from sdelka.core.demo.timeline import history_start

TODAY = date(2025, 12, 15)
CLIENTS = [ClientRef(pk, kazakh=pk % 3 == 0) for pk in range(1, 201)]
PRODUCTS = [ProductRef(pk, Decimal(1_000 + 997 * pk % 150_000)) for pk in range(1, 151)]


def plan(seed: int = 7, today: date = TODAY):
    return plan_repeat_sales(random.Random(seed), today=today, clients=CLIENTS, products=PRODUCTS)


def revenue(sale) -> Decimal:
    return sum(
        (line.quantity * line.price * (100 - line.discount_percent) / 100 for line in sale.lines), Decimal(0)
    )


def test_the_same_seed_gives_the_same_plan_and_another_seed_another():
    assert plan(7) == plan(7)
    assert plan(7) != plan(8)


def test_sales_are_in_date_order_within_the_24_months_before_today():
    sales = plan()
    days = [sale.day for sale in sales]
    assert days == sorted(days)
    assert days[0] >= history_start(TODAY) and days[-1] < TODAY
    assert len({(d.year, d.month) for d in days}) == 24


def test_the_volume_is_about_two_thousand_lines():
    lines = sum(len(sale.lines) for sale in plan())
    assert 1500 <= lines <= 3000


def test_only_as_many_clients_as_the_tiers_hold_buy_and_a_few_hold_most_of_the_revenue():
    sales = plan()
    by_client = defaultdict(Decimal)
    for sale in sales:
        by_client[sale.client] += revenue(sale) / (6 if sale.currency == "KZT" else 1)
    assert len(by_client) == sum(tier.clients for tier in TIERS)
    ranked = sorted(by_client.values(), reverse=True)
    total = sum(ranked)
    assert sum(ranked[:10]) > total / 2
    assert sum(ranked[len(ranked) // 2 :]) < total / 10


def test_key_accounts_buy_nearly_every_month_and_occasional_clients_at_most_four_times():
    months = defaultdict(set)
    tiers = {}
    for sale in plan():
        if not sale.is_return:
            months[sale.client].add((sale.day.year, sale.day.month))
            tiers[sale.client] = sale.tier
    for client, tier in tiers.items():
        if tier == "key":
            assert len(months[client]) >= 20
        elif tier == "occasional":
            assert 1 <= len(months[client]) <= 4


def test_seasonal_products_sell_mostly_in_their_season():
    patterns = product_patterns(random.Random(7), PRODUCTS)  # the first draws of the plan's generator
    kinds = Counter(pattern.kind for pattern in patterns.values())
    assert kinds[STEADY] > kinds[SEASONAL] > 0
    in_season = out_of_season = 0
    for sale in plan():
        for line in sale.lines:
            pattern = patterns[line.product]
            if pattern.kind == SEASONAL and line.quantity > 0:
                if sale.day.month in pattern.season:
                    in_season += 1
                else:
                    out_of_season += 1
    assert in_season > 10 * out_of_season


def test_tenge_clients_pay_in_tenge_and_key_accounts_get_a_discount():
    for sale in plan():
        client = CLIENTS[sale.client - 1]
        assert sale.currency == ("KZT" if client.kazakh else "RUB")
        tier = next(tier for tier in TIERS if tier.name == sale.tier)
        assert {line.discount_percent for line in sale.lines} == {tier.discount}
    assert {tier.name: tier.discount for tier in TIERS}["key"] > 0


def test_prices_creep_up_over_the_months():
    first_prices, last_prices = {}, {}
    for sale in plan():
        if sale.currency != "RUB":
            continue
        for line in sale.lines:
            first_prices.setdefault(line.product, line.price)
            last_prices[line.product] = line.price
    assert any(last_prices[p] > first_prices[p] for p in first_prices)
    assert all(last_prices[p] >= first_prices[p] for p in first_prices)


def test_a_return_gives_back_part_of_what_the_client_just_bought():
    sales = plan()
    returns = [sale for sale in sales if sale.is_return]
    assert returns
    for sale in returns:
        (line,) = sale.lines
        assert line.quantity < 0 and sale.comment
        bought = [
            other
            for other in sales
            if other.client == sale.client
            and not other.is_return
            and sale.day - timedelta(days=20) <= other.day <= sale.day
            and any(ln.product == line.product and ln.quantity >= -line.quantity for ln in other.lines)
        ]
        assert bought, sale


def test_no_sale_is_planned_for_today_or_later_even_early_in_a_month():
    sales = plan(today=date(2025, 12, 1))
    assert max(sale.day for sale in sales) <= date(2025, 11, 30)
