"""The demo company's deals, written through the deal services so every rule and the event timeline hold.

About 120 deals over the managers, each with the manager's own clients: mostly typical sales (some of the
kind "Поставка под заказ", which keeps separate goods accounting), some with manual stages and some without
stages; in progress (~60 %), won (~25 %) and lost (~15 %, with a reason and sometimes a competitor). Every
action is taken by the deal's manager, passing the version the services require, and each deal gets its
documents and expenses (``deal_documents``). The draws come from one ``random.Random(seed)`` consumed in a
fixed order.

The services stamp every event "now"; the demo is the only writer that back-dates. Once a deal is made,
its events are re-dated over the 24 months before ``today`` so the timeline is plausible: created on the
start date, stage moves spread between the start and the close (or yesterday), won/lost/closed on the
actual close date. The deals are then numbered by the year they were created in, as they would have been.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.catalog.models import Product
from sdelka.core.choices import Currency
from sdelka.core.demo.deal_documents import DealStory, Paperwork
from sdelka.core.demo.specs import TEAM_ALMATY
from sdelka.core.demo.timeline import Clock, history_start, spread_days
from sdelka.deals.choices import DealEventKind, DealStatus, ProcessType
from sdelka.deals.models import Deal, DealEvent, DealKind, DealNumberCounter, LostReason, Stage
from sdelka.deals.services import (
    deal_close,
    deal_create,
    deal_kind_create,
    deal_mark_lost,
    deal_mark_won,
    deal_move_to_stage,
    deal_record_primary_demand,
    deal_set_products,
    stage_create,
)
from sdelka.partners.models import Partner

DEALS_PER_MANAGER = 20
SUPPLY_KIND = "Поставка под заказ"
SUPPLY_STAGES = (
    ("Первичный контакт", 10),
    ("Коммерческое предложение", 30),
    ("Согласование условий", 60),
    ("Исполнение обязательств", 90),
)
#: weights of the kinds: a process type, or SUPPLY_KIND for the kind with separate goods accounting
KIND_WEIGHTS = {ProcessType.TYPICAL: 55, SUPPLY_KIND: 15, ProcessType.MANUAL: 20, ProcessType.NON_PROCESS: 10}
STATUS_WEIGHTS = {DealStatus.IN_PROGRESS: 60, DealStatus.WON: 25, DealStatus.LOST: 15}
AMOUNT_RANGE = (50_000, 5_000_000)
KZT_PER_RUB = 6  # list prices of the catalog are in roubles; a tenge deal shows them in tenge
COMPETITOR_REASON = "Выбран конкурент"
IN_PROGRESS_MAX_AGE = 300  # days: a deal still open started within the last ten months or so


def _noop(message: str) -> None:
    pass


@dataclass
class _Dated:
    """What the demo back-dates on a deal once the services are done with it."""

    deal_id: int
    created: datetime
    actual_close_date: date | None
    event_days: dict[str, list[date]] = field(default_factory=dict)


def ensure_supply_kind(*, actor: User) -> DealKind:
    """The typical-sale kind with separate goods accounting, created with the default stages if missing."""
    existing = (
        DealKind.objects.filter(active=True, separate_goods_accounting=True, process_type=ProcessType.TYPICAL)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    kind = deal_kind_create(
        actor=actor,
        data={
            "name": SUPPLY_KIND,
            "process_type": ProcessType.TYPICAL,
            "separate_goods_accounting": True,
            "record_primary_demand": True,
        },
    )
    for order, (name, probability) in enumerate(SUPPLY_STAGES, start=1):
        stage_create(
            actor=actor, data={"kind": kind, "name": name, "order": order, "probability": probability}
        )
    return kind


def _kinds(actor: User) -> dict[str, DealKind]:
    """The kind of each key of ``KIND_WEIGHTS`` present in the database."""
    supply = ensure_supply_kind(actor=actor)
    kinds: dict[str, DealKind] = {SUPPLY_KIND: supply}
    for kind in DealKind.objects.filter(active=True).exclude(pk=supply.pk).order_by("pk"):
        kinds.setdefault(kind.process_type, kind)
    return {key: kinds[key] for key in KIND_WEIGHTS if key in kinds}


def create_demo_deals(
    *, seed: int, today: date | None = None, progress: Callable[[str], None] = _noop
) -> int:
    """Create the deals with their documents and expenses; returns how many deals were made."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    kinds = _kinds(admin) if admin else {}
    kind_keys = list(kinds)
    stages = {key: list(kinds[key].stages.order_by("order", "id")) for key in kind_keys}
    reasons = list(LostReason.objects.filter(active=True).order_by("pk"))
    competitors = list(Partner.objects.filter(is_competitor=True).order_by("pk"))
    products = list(Product.objects.filter(active=True).order_by("pk"))
    managers = list(
        User.objects.filter(role=Role.MANAGER, is_active=True).select_related("team").order_by("pk")
    )
    paperwork = Paperwork(rng=rng, today=today, suppliers=suppliers_by_country())
    dated: list[_Dated] = []
    for manager in managers:
        clients = list(
            Partner.objects.filter(manager=manager, is_client=True)
            .prefetch_related("counterparties")
            .order_by("pk")
        )
        if not clients or not products or not kinds:
            continue
        kazakh = manager.team is not None and manager.team.name == TEAM_ALMATY
        for _ in range(DEALS_PER_MANAGER):
            key = rng.choices(kind_keys, [KIND_WEIGHTS[k] for k in kind_keys])[0]
            status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
            dated.append(
                _one_deal(
                    rng,
                    today=today,
                    manager=manager,
                    partner=rng.choice(clients),
                    kind=kinds[key],
                    stages=stages[key],
                    status=status,
                    products=products,
                    reasons=reasons,
                    competitors=competitors,
                    kazakh=kazakh,
                    paperwork=paperwork,
                )
            )
        progress(f"{len(dated)} deals with their documents")
    _back_date(rng, dated)
    paperwork.stamp_postings()
    return len(dated)


def suppliers_by_country() -> dict[str, list[Partner]]:
    """Suppliers with a counterparty, by the country of their first counterparty."""
    found: dict[str, list[Partner]] = defaultdict(list)
    for supplier in (
        Partner.objects.filter(is_supplier=True, counterparties__isnull=False)
        .distinct()
        .prefetch_related("counterparties")
        .order_by("pk")
    ):
        counterparties = sorted(supplier.counterparties.all(), key=lambda c: c.pk)
        found[counterparties[0].country].append(supplier)
    return dict(found)


def _one_deal(
    rng: random.Random,
    *,
    today: date,
    manager: User,
    partner: Partner,
    kind: DealKind,
    stages: list[Stage],
    status: str,
    products: list[Product],
    reasons: list[LostReason],
    competitors: list[Partner],
    kazakh: bool,
    paperwork: Paperwork,
) -> _Dated:
    first, yesterday = history_start(today), today - timedelta(days=1)
    if status == DealStatus.IN_PROGRESS:
        start = max(today - timedelta(days=rng.randint(1, IN_PROGRESS_MAX_AGE)), first)
    else:
        start = first + timedelta(days=rng.randint(0, (today - first).days - 20))
    planned_days = rng.randint(14, 150)
    planned = min(start + timedelta(days=planned_days), today + timedelta(days=90))
    close_day = None
    if status != DealStatus.IN_PROGRESS:
        actual_days = max(7, round(planned_days * rng.uniform(0.6, 1.5)))
        close_day = min(start + timedelta(days=actual_days), yesterday)
    will_close = status != DealStatus.IN_PROGRESS and rng.random() < 0.7

    chosen = rng.sample(products, rng.randint(2, 4))
    rate = KZT_PER_RUB if kazakh else 1
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
            "currency": Currency.KZT if kazakh else Currency.RUB,
            "start_date": start,
            "planned_close_date": planned,
        },
    )
    deal = deal_set_products(actor=manager, deal=deal, lines=lines, version=deal.version)
    if kind.record_primary_demand:
        deal = deal_record_primary_demand(actor=manager, deal=deal, version=deal.version)

    moves: list[Stage] = []
    target = 0
    if stages:
        # Won deals reached the last stage; the others stopped anywhere along the way.
        target = len(stages) - 1 if status == DealStatus.WON else rng.randrange(len(stages))
        if kind.process_type == ProcessType.TYPICAL:
            moves = stages[1 : target + 1]  # a typical sale never skips a stage
        elif target:
            moves = [stages[target]]
    move_days = spread_days(rng, start, close_day or yesterday, len(moves))
    for stage in moves:
        deal = deal_move_to_stage(actor=manager, deal=deal, stage=stage, version=deal.version)

    reached = {stage.pk: day for stage, day in zip(moves, move_days, strict=True)}
    story = DealStory(
        status=status,
        stages=len(stages),
        reached=target,
        proposal_day=move_days[0] if moves else None,
        last_stage_day=reached.get(stages[-1].pk) if stages else None,
        close_day=close_day,
        will_close=will_close,
    )
    paperwork.make(deal, story=story, kazakh=kazakh)

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
    if will_close:
        deal_close(actor=manager, deal=deal, version=deal.version)
    return _Dated(
        deal_id=deal.pk,
        created=timezone.now(),  # replaced by the start moment in ``_back_date``
        actual_close_date=close_day if will_close else None,
        event_days={
            DealEventKind.CREATED: [start],
            DealEventKind.STAGE_CHANGED: move_days,
            DealEventKind.STATUS_CHANGED: [close_day] if close_day else [],
            DealEventKind.CLOSED: [close_day] if will_close and close_day else [],
        },
    )


def _back_date(rng: random.Random, dated: list[_Dated]) -> None:
    """Move every deal's events to the days of its story, then number the deals by their creation year."""
    events: list[DealEvent] = []
    by_deal: dict[int, list[DealEvent]] = defaultdict(list)
    for event in DealEvent.objects.filter(deal_id__in=[d.deal_id for d in dated]).order_by("pk"):
        by_deal[event.deal_id].append(event)
    for record in dated:
        clock = Clock(rng)
        days = {kind: list(values) for kind, values in record.event_days.items()}
        for event in by_deal[record.deal_id]:
            # The services wrote the events in the story's order, so each kind's days are taken in turn.
            event.at = clock.at(days[event.kind].pop(0))
            if event.kind == DealEventKind.CREATED:
                record.created = event.at
            events.append(event)
    DealEvent.objects.bulk_update(events, ["at"], batch_size=500)
    _renumber(dated)


def _renumber(dated: list[_Dated]) -> None:
    """ "<year>-<sequence>" by the year each deal was created in, in order of creation; counters follow."""
    counters: dict[int, int] = defaultdict(int)
    deals = []
    for record in sorted(dated, key=lambda r: (r.created, r.deal_id)):
        year = timezone.localtime(record.created).year
        counters[year] += 1
        deals.append(
            Deal(
                pk=record.deal_id,
                number=f"{year}-{counters[year]:06d}",
                created_at=record.created,
                actual_close_date=record.actual_close_date,
            )
        )
    # Two passes, so no number is ever held by two deals in the middle of the update.
    placeholders = [Deal(pk=deal.pk, number=f"demo-{deal.pk}") for deal in deals]
    Deal.objects.bulk_update(placeholders, ["number"], batch_size=500)
    Deal.objects.bulk_update(deals, ["number", "created_at", "actual_close_date"], batch_size=500)
    history = Deal.history.model
    for deal in deals:
        history.objects.filter(id=deal.pk).update(number=deal.number)
        if deal.actual_close_date:  # the versions from the closing on
            history.objects.filter(id=deal.pk, actual_close_date__isnull=False).update(
                actual_close_date=deal.actual_close_date
            )
    years = set(counters) | set(DealNumberCounter.objects.values_list("year", flat=True))
    for year in years:
        last = (
            counters.get(year, 0)
            + Deal.objects.filter(number__startswith=f"{year}-")
            .exclude(pk__in=[deal.pk for deal in deals])
            .count()
        )
        DealNumberCounter.objects.update_or_create(year=year, defaults={"last": last})
