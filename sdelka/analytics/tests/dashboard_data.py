"""A small hand-made sales story the funnel, manager and dashboard tests compute their expected figures from.

Kind "Supply" with four stages (10 %, 30 %, 60 %, 90 %); the period is the first quarter of 2026.

manager (team North, headed by head):
    A  started 10 Jan: stage 1 → 14 Jan stage 2 → 24 Jan stage 3 → 29 Jan won   (stays 4, 10, 5 days)
    B  started  1 Feb: stage 1 →  3 Feb stage 2 →  9 Feb lost, "Price"          (stays 2, 6 days)
    C  started 10 Feb: stage 1, in progress, 1 000 RUB at 10 %
    D  started  1 Mar: stage 1 →  5 Mar stage 3 (skipping 2), in progress, 2 000 RUB at 60 %  (stay 4 days)
    H  started  3 Mar: stage 1, in progress, 500 KZT at 10 %
    G  started 20 Dec 2025, won 28 Dec 2025 (before the period)
teammate:  E started 2 Mar: stage 1 → 4 Mar lost, "Timing"                      (stay 2 days)
outsider (team South): F started 5 Jan: stage 1 → 20 Jan won

Sales facts (revenue / cost / gross profit):
    manager: 15 Feb client of A, deal A  1 000 / 600 / 400
             1 Mar "Old client"          500 / 300 / 200  (it bought on 31 Dec 2025 too: 999 / 0 / 999)
    teammate: 10 Mar "Team client"     4 000 / 1 000 / 3 000
    outsider: 20 Jan client of F       7 000 / 2 000 / 5 000
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from django.utils import timezone

from sdelka.activities.models import Task, TaskStatus
from sdelka.catalog.tests.factories import ProductFactory
from sdelka.claims.models import Claim
from sdelka.deals.choices import DealEventKind, DealStatus
from sdelka.deals.models import Deal, DealEvent, DealKind
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, LostReasonFactory, stages_of
from sdelka.documents.choices import SaleStatus
from sdelka.documents.models import Sale, SalesFact
from sdelka.interactions.choices import InteractionKind, PlannedStatus
from sdelka.interactions.tests.factories import InteractionFactory
from sdelka.partners.tests.factories import PartnerFactory

Q1_START, Q1_END = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
_numbers = count(1)


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def d(month: int, day: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, day)


def history_deal(kind: DealKind, manager, start, moves=(), outcome=None, reason=None, **fields) -> Deal:
    """A deal of ``kind`` created at its first stage on ``start``, moved to ``(stage index, day)`` in turn,
    and won or lost on ``outcome = (status, day)``; its events are written as the services would."""
    stages = stages_of(kind)
    deal = DealFactory(kind=kind, manager=manager, start_date=start, stage=stages[0], **fields)
    DealEvent.objects.create(
        deal=deal,
        at=at(start),
        user=manager,
        kind=DealEventKind.CREATED,
        to_stage=stages[0],
        to_status="in_progress",
    )
    current = stages[0]
    for index, day in moves:
        DealEvent.objects.create(
            deal=deal,
            at=at(day),
            user=manager,
            kind=DealEventKind.STAGE_CHANGED,
            from_stage=current,
            to_stage=stages[index],
        )
        current = stages[index]
    status = DealStatus.IN_PROGRESS
    if outcome:
        status, day = outcome
        DealEvent.objects.create(
            deal=deal,
            at=at(day),
            user=manager,
            kind=DealEventKind.STATUS_CHANGED,
            from_status=DealStatus.IN_PROGRESS,
            to_status=status,
            from_stage=current,
            to_stage=current,
        )
    probability = {DealStatus.WON: 100, DealStatus.LOST: 0}.get(status, current.probability)
    Deal.objects.filter(pk=deal.pk).update(
        stage=current,
        status=status,
        probability=probability,
        lost_reason=LostReasonFactory(name=reason) if reason else None,
    )
    deal.refresh_from_db()
    return deal


def fact(*, partner, manager, day, revenue, cost, deal=None) -> SalesFact:
    """A posted sale of one line and its sales fact, as posting would record it."""
    revenue, cost = Decimal(revenue), Decimal(cost)
    sale = Sale.objects.create(
        number=f"S-{next(_numbers):05d}",
        year=day.year,
        date=day,
        partner=partner,
        manager=manager,
        deal=deal,
        status=SaleStatus.POSTED,
        amount_net=revenue,
        amount_gross=revenue,
    )
    return SalesFact.objects.create(
        date=day,
        sale=sale,
        partner=partner,
        product=ProductFactory(),
        deal=deal,
        manager=manager,
        quantity=Decimal("1"),
        revenue=revenue,
        cost=cost,
        gross_profit=revenue - cost,
    )


@dataclass
class Story:
    kind: DealKind
    deals: dict[str, Deal]
    old_client: object
    team_client: object


def sales_story(*, manager, teammate, outsider) -> Story:
    kind = DealKindFactory(name="Supply")
    deals = {
        "A": history_deal(
            kind, manager, d(1, 10), [(1, d(1, 14)), (2, d(1, 24))], (DealStatus.WON, d(1, 29))
        ),
        "B": history_deal(kind, manager, d(2, 1), [(1, d(2, 3))], (DealStatus.LOST, d(2, 9)), reason="Price"),
        "C": history_deal(kind, manager, d(2, 10), expected_amount=Decimal("1000.00")),
        "D": history_deal(kind, manager, d(3, 1), [(2, d(3, 5))], expected_amount=Decimal("2000.00")),
        "H": history_deal(kind, manager, d(3, 3), expected_amount=Decimal("500.00"), currency="KZT"),
        "G": history_deal(kind, manager, d(12, 20, 2025), outcome=(DealStatus.WON, d(12, 28, 2025))),
        "E": history_deal(kind, teammate, d(3, 2), outcome=(DealStatus.LOST, d(3, 4)), reason="Timing"),
        "F": history_deal(kind, outsider, d(1, 5), outcome=(DealStatus.WON, d(1, 20))),
    }
    fact(
        partner=deals["A"].partner, manager=manager, day=d(2, 15), revenue="1000", cost="600", deal=deals["A"]
    )
    old_client = PartnerFactory(name="Old client", manager=manager)
    fact(partner=old_client, manager=manager, day=d(3, 1), revenue="500", cost="300")
    fact(partner=old_client, manager=manager, day=d(12, 31, 2025), revenue="999", cost="0")
    team_client = PartnerFactory(name="Team client", manager=teammate)
    fact(partner=team_client, manager=teammate, day=d(3, 10), revenue="4000", cost="1000")
    fact(
        partner=deals["F"].partner,
        manager=outsider,
        day=d(1, 20),
        revenue="7000",
        cost="2000",
        deal=deals["F"],
    )
    return Story(kind=kind, deals=deals, old_client=old_client, team_client=team_client)


def activity_story(*, manager, teammate, outsider) -> None:
    """Interactions, tasks and claims: manager 2 interactions, 1 overdue task, 1 claim in the period."""
    InteractionFactory(responsible=manager, starts_at=at(d(1, 15)))
    InteractionFactory(
        responsible=manager, starts_at=at(d(3, 31), 23), kind=InteractionKind.MEETING, direction=""
    )
    InteractionFactory(  # planned and not done yet: not an interaction that happened
        responsible=manager,
        starts_at=at(d(2, 1)),
        kind=InteractionKind.PLANNED,
        direction="",
        status=PlannedStatus.PLANNED,
    )
    InteractionFactory(responsible=manager, starts_at=at(d(12, 31, 2025)))  # before the period
    InteractionFactory(responsible=teammate, starts_at=at(d(2, 2)))
    InteractionFactory(responsible=outsider, starts_at=at(d(2, 2)))
    now = timezone.now()
    day = datetime.timedelta(days=1)
    Task.objects.create(title="Call back", assignee=manager, due_at=now - day)
    Task.objects.create(title="Done already", assignee=manager, due_at=now - day, status=TaskStatus.DONE)
    Task.objects.create(title="Not yet due", assignee=manager, due_at=now + day)
    Task.objects.create(title="Teammate's", assignee=teammate, due_at=now - 2 * day)
    Task.objects.create(title="Outsider's", assignee=outsider, due_at=now - 3 * day)
    for responsible, registered in ((manager, d(2, 20)), (manager, d(4, 2)), (outsider, d(2, 20))):
        Claim.objects.create(
            number=f"C-{next(_numbers)}",
            year=2026,
            partner=PartnerFactory(manager=responsible),
            responsible=responsible,
            registered_at=at(registered),
            deadline=registered + 10 * day,
            description="Broken pump",
        )
