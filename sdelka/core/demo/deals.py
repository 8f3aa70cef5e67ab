"""The demo company's deals, written through the deal services so every rule and the event timeline hold.

About 120 deals over the managers, each with the manager's own clients: mostly typical sales, some with
manual stages and some without stages; in progress (~60 %), won (~25 %) and lost (~15 %, with a reason and
sometimes a competitor). Every action is taken by the deal's manager, passing the version the services
require. The draws come from one ``random.Random(seed)`` consumed in a fixed order; dates are spread over
the 12 months before ``today``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.catalog.models import Product
from sdelka.core.choices import Currency
from sdelka.core.demo.specs import TEAM_ALMATY
from sdelka.deals.choices import DealStatus, ProcessType
from sdelka.deals.models import DealKind, LostReason
from sdelka.deals.services import (
    deal_close,
    deal_create,
    deal_mark_lost,
    deal_mark_won,
    deal_move_to_stage,
    deal_record_primary_demand,
    deal_set_products,
)
from sdelka.partners.models import Partner

DEALS_PER_MANAGER = 20
KIND_WEIGHTS = {ProcessType.TYPICAL: 70, ProcessType.MANUAL: 20, ProcessType.NON_PROCESS: 10}
STATUS_WEIGHTS = {DealStatus.IN_PROGRESS: 60, DealStatus.WON: 25, DealStatus.LOST: 15}
AMOUNT_RANGE = (50_000, 5_000_000)
KZT_PER_RUB = 6  # list prices of the catalog are in roubles; a tenge deal shows them in tenge
COMPETITOR_REASON = "Выбран конкурент"


def _noop(message: str) -> None:
    pass


def create_demo_deals(
    *, seed: int, today: date | None = None, progress: Callable[[str], None] = _noop
) -> int:
    """Create the deals; returns how many were made."""
    rng = random.Random(seed)
    today = today or date.today()
    kinds = {
        kind.process_type: kind
        for kind in DealKind.objects.filter(active=True).order_by("pk").prefetch_related("stages")
    }
    kind_types = [t for t in KIND_WEIGHTS if t in kinds]
    stages = {t: list(kinds[t].stages.order_by("order", "id")) for t in kind_types}
    reasons = list(LostReason.objects.filter(active=True).order_by("pk"))
    competitors = list(Partner.objects.filter(is_competitor=True).order_by("pk"))
    products = list(Product.objects.filter(active=True).order_by("pk"))
    managers = list(
        User.objects.filter(role=Role.MANAGER, is_active=True).select_related("team").order_by("pk")
    )
    created = 0
    for manager in managers:
        clients = list(
            Partner.objects.filter(manager=manager, is_client=True)
            .prefetch_related("counterparties")
            .order_by("pk")
        )
        if not clients or not products:
            continue
        kazakh = manager.team is not None and manager.team.name == TEAM_ALMATY
        for _ in range(DEALS_PER_MANAGER):
            process = rng.choices(kind_types, [KIND_WEIGHTS[t] for t in kind_types])[0]
            status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
            _one_deal(
                rng,
                today=today,
                manager=manager,
                partner=rng.choice(clients),
                kind=kinds[process],
                stages=stages[process],
                status=status,
                products=products,
                reasons=reasons,
                competitors=competitors,
                currency=Currency.KZT if kazakh else Currency.RUB,
            )
            created += 1
        progress(f"{created} deals")
    return created


def _one_deal(
    rng: random.Random,
    *,
    today: date,
    manager: User,
    partner: Partner,
    kind: DealKind,
    stages: list,
    status: str,
    products: list[Product],
    reasons: list[LostReason],
    competitors: list[Partner],
    currency: str,
) -> None:
    start = today - timedelta(days=rng.randint(0, 364))
    planned = min(start + timedelta(days=rng.randint(14, 150)), today + timedelta(days=90))
    chosen = rng.sample(products, rng.randint(2, 4))
    rate = KZT_PER_RUB if currency == Currency.KZT else 1
    lines = [
        {
            "product": product,
            "quantity": Decimal(rng.randint(1, 20)),
            "price": (product.price * rate * Decimal(rng.randint(90, 100)) / 100).quantize(Decimal("0.01")),
        }
        for product in chosen
    ]
    counterparties = list(partner.counterparties.all())
    deal = deal_create(
        actor=manager,
        data={
            "name": f"{chosen[0].name} — {partner.name}"[:255],
            "partner": partner,
            "counterparty": counterparties[0] if counterparties else None,
            "kind": kind,
            "manager": manager,
            "expected_amount": Decimal(rng.randint(*AMOUNT_RANGE) // 1000 * 1000),
            "currency": currency,
            "start_date": start,
            "planned_close_date": planned,
        },
    )
    deal = deal_set_products(actor=manager, deal=deal, lines=lines, version=deal.version)
    if kind.record_primary_demand:
        deal = deal_record_primary_demand(actor=manager, deal=deal, version=deal.version)

    if stages:
        # Won deals reached the last stage; the others stopped anywhere along the way.
        target = len(stages) - 1 if status == DealStatus.WON else rng.randrange(len(stages))
        if kind.process_type == ProcessType.TYPICAL:
            for stage in stages[1 : target + 1]:  # a typical sale never skips a stage
                deal = deal_move_to_stage(actor=manager, deal=deal, stage=stage, version=deal.version)
        elif target:
            deal = deal_move_to_stage(actor=manager, deal=deal, stage=stages[target], version=deal.version)

    if status == DealStatus.WON:
        deal = deal_mark_won(actor=manager, deal=deal, version=deal.version)
    elif status == DealStatus.LOST:
        reason = rng.choice(reasons)
        competitor = None
        if competitors and (reason.name == COMPETITOR_REASON or rng.random() < 0.2):
            competitor = rng.choice(competitors)
        deal = deal_mark_lost(
            actor=manager, deal=deal, version=deal.version, lost_reason=reason, competitor=competitor
        )
    if status != DealStatus.IN_PROGRESS and rng.random() < 0.7:
        deal_close(actor=manager, deal=deal, version=deal.version)
