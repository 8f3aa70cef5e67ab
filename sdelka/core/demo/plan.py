"""The demo company as plain data: what ``manage.py demo`` will create, computed without touching the database.

Keeping the plan apart from the writer makes the demo reproducible by construction (one
``random.Random(seed)``, consumed in a fixed order, and no clock) and lets tests compare two plans cheaply.
"""

from __future__ import annotations

import random
from decimal import Decimal

from sdelka.catalog.choices import VatRate
from sdelka.core.demo import data
from sdelka.core.demo.partners_plan import PartnerPlanner
from sdelka.core.demo.specs import (
    COMPANY_NAME,
    DEMO_PASSWORD,
    DEMO_SEED,
    INDIVIDUALS,
    KZ_CLIENTS,
    PARTNER_GROUPS,
    RU_CLIENTS,
    RU_PRIVATE_CLIENTS,
    TEAM_ALMATY,
    TEAM_MOSCOW,
    USERS,
    DemoPlan,
    PartnerSpec,
    ProductSpec,
)

# The demo sells at 22 % VAT; list prices include it.
VAT_FACTOR = Decimal("1.22")

__all__ = ["COMPANY_NAME", "DEMO_PASSWORD", "DEMO_SEED", "USERS", "DemoPlan", "build_plan", "plan_products"]


def plan_products(rng: random.Random) -> tuple[list[tuple[str, ...]], list[ProductSpec]]:
    """The product group tree (paths of names) and the products, with prices and cost prices."""
    groups: list[tuple[str, ...]] = []
    products: list[ProductSpec] = []
    numbers: dict[str, int] = {}
    low, high = (int(bound * 100) for bound in data.MARKUP_RANGE)
    for family in data.PRODUCT_FAMILIES:
        for depth in range(1, len(family.group) + 1):
            if family.group[:depth] not in groups:
                groups.append(family.group[:depth])
        for size, price in family.sizes:
            numbers[family.sku_prefix] = numbers.get(family.sku_prefix, 0) + 1
            # One point inside each end, so rounding the cost to kopecks cannot leave the range.
            markup = Decimal(rng.randint(low + 1, high - 1)) / 100
            list_price = Decimal(price).quantize(Decimal("0.01"))
            # The list price includes VAT; the cost price does not (VAT paid to suppliers is recovered).
            cost = (list_price / VAT_FACTOR / (1 + markup)).quantize(Decimal("0.01"))
            products.append(
                ProductSpec(
                    data={
                        "sku": f"{family.sku_prefix}-{numbers[family.sku_prefix]:04d}",
                        "name": family.template.format(size=size),
                        "kind": family.kind,
                        "unit": family.unit,
                        "price": list_price,
                        "cost_price": cost,
                        "vat_rate": VatRate.TWENTY_TWO,
                        "active": rng.random() >= 0.02,
                        "description": family.description,
                    },
                    group=family.group,
                )
            )
    return groups, products


def build_plan(seed: int = DEMO_SEED) -> DemoPlan:
    """The whole demo company for ``seed``; the same seed always gives the same plan."""
    rng = random.Random(seed)
    builder = PartnerPlanner(rng)
    partners: list[PartnerSpec] = []
    partners += [builder.client("RU") for _ in range(RU_CLIENTS)]
    partners += [builder.client("KZ") for _ in range(KZ_CLIENTS)]
    partners += [builder.private_client() for _ in range(RU_PRIVATE_CLIENTS)]
    partners += [builder.supplier("RU", name) for name in data.SUPPLIERS_RU]
    partners += [builder.supplier("KZ", name) for name in data.SUPPLIERS_KZ]
    partners += [builder.competitor_or_other(c, n, competitor=True) for c, n in data.COMPETITORS]
    partners += [builder.competitor_or_other(c, n, competitor=False) for c, n in data.OTHERS]
    individuals = [builder.individual() for _ in range(INDIVIDUALS)]
    product_groups, products = plan_products(rng)
    return DemoPlan(
        users=list(USERS),
        teams=[TEAM_MOSCOW, TEAM_ALMATY],
        partner_groups=list(PARTNER_GROUPS),
        partners=partners,
        individuals=individuals,
        product_groups=product_groups,
        products=products,
    )
