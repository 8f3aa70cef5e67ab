"""The sales funnel of a deal kind: how far the deals started in a period got, how long they stayed at each
stage, how they ended and what is still in the pipeline.

The deals counted are the *cohort*: the deals of the kind the user sees (``deal_scope``) whose start date is
in the period (optionally of one manager). A deal *reached* a stage when its history (``DealEvent``) shows it
at that stage or at a later one — a deal moved by hand past a stage counts as having passed it, so the
funnel narrows from stage to stage and a conversion is never above 100 %. A deal without history (made
before events were kept) counts up to its current stage.

*Days in stage* are the completed stays only: from entering a stage (created at it, or moved to it) to the
next move or to its win or loss; a deal still at a stage has not finished its stay. The pipeline is the
expected amounts of the cohort's deals still in progress, in the deal's own currency (amounts in different
currencies are never added up), and weighted by each deal's probability.

Every figure is one grouped query in the database, so the number of queries does not grow with the deals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from sdelka.accounts.models import User
from sdelka.analytics.selectors.dashboard_period import Period
from sdelka.deals.choices import DealEventKind, DealStatus
from sdelka.deals.models import Deal, DealEvent, DealKind, Stage
from sdelka.deals.selectors import deal_scope

ENTERED_STAGE = (DealEventKind.CREATED, DealEventKind.STAGE_CHANGED)
PRODUCT = DecimalField(max_digits=22, decimal_places=2)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` of ``whole`` in percent with one decimal; None when there is no whole to take a part of."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"))


def days(duration: timedelta | None) -> Decimal | None:
    if duration is None:
        return None
    return (Decimal(duration.total_seconds()) / Decimal(86400)).quantize(Decimal("0.1"))


@dataclass
class FunnelStage:
    id: int
    name: str
    order: int
    probability: int
    reached: int = 0
    #: of the deals that reached the previous stage (the first stage: of all the deals), percent
    conversion: Decimal | None = None
    #: of the deals that reached the first stage, percent
    conversion_from_start: Decimal | None = None
    average_days: Decimal | None = None
    #: completed stays the average is taken over
    stays: int = 0
    #: deals of the cohort at this stage now, in progress
    in_progress: int = 0
    #: pipeline of those deals in the base currency
    amount: Decimal = Decimal("0.00")
    weighted_amount: Decimal = Decimal("0.00")


@dataclass
class LostReasonRow:
    id: int | None
    name: str
    deals: int
    share: Decimal | None


@dataclass
class PipelineRow:
    """The deals in progress at one stage in one currency."""

    stage_id: int | None
    stage: str
    currency: str
    deals: int
    amount: Decimal
    weighted_amount: Decimal


@dataclass
class FunnelReport:
    kind: DealKind
    period: Period
    manager: User | None
    currency: str
    deals: int = 0
    in_progress: int = 0
    won: int = 0
    lost: int = 0
    #: won of the decided deals (won + lost), percent
    win_rate: Decimal | None = None
    #: won of all the deals started, percent
    conversion_to_won: Decimal | None = None
    stages: list[FunnelStage] = field(default_factory=list)
    lost_reasons: list[LostReasonRow] = field(default_factory=list)
    pipeline: list[PipelineRow] = field(default_factory=list)

    @property
    def pipeline_amount(self) -> Decimal:
        """The pipeline in the base currency (deals in other currencies are in ``pipeline`` by currency)."""
        return sum((row.amount for row in self.pipeline if row.currency == self.currency), Decimal("0.00"))

    @property
    def weighted_amount(self) -> Decimal:
        return sum(
            (row.weighted_amount for row in self.pipeline if row.currency == self.currency), Decimal("0.00")
        )

    @property
    def other_currencies(self) -> list[PipelineRow]:
        return [row for row in self.pipeline if row.currency != self.currency]


def funnel_deals(*, user, kind: DealKind, period: Period, manager: User | None = None) -> QuerySet[Deal]:
    """The cohort: deals of ``kind`` the user sees, started within ``period`` (of ``manager`` if given)."""
    deals = Deal.objects.filter(deal_scope(user), kind=kind, start_date__range=(period.start, period.end))
    if manager is not None:
        deals = deals.filter(manager=manager)
    return deals.order_by()


def _with_reached_order(deals: QuerySet[Deal]) -> QuerySet[Deal]:
    """Deals annotated with ``reached_order``: the order of the furthest stage their history shows."""
    furthest = (
        DealEvent.objects.filter(deal=OuterRef("pk"), to_stage__isnull=False)
        .order_by()
        .values("deal")
        .annotate(furthest=Max("to_stage__order"))
        .values("furthest")
    )
    current = Coalesce(F("stage__order"), Value(0), output_field=IntegerField())
    from_events = Coalesce(
        Subquery(furthest, output_field=IntegerField()), current, output_field=IntegerField()
    )
    return deals.annotate(reached_order=Greatest(from_events, current, output_field=IntegerField()))


def _left_stage_at() -> Subquery:
    """When the stay that an event started ended: the deal's next move, win or loss."""
    later = Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), pk__gt=OuterRef("pk"))
    ends = Q(kind=DealEventKind.STAGE_CHANGED) | Q(
        kind=DealEventKind.STATUS_CHANGED, to_status__in=(DealStatus.WON, DealStatus.LOST)
    )
    following = DealEvent.objects.filter(later, ends, deal=OuterRef("deal")).order_by("at", "pk").values("at")
    return Subquery(following[:1])


def _stays(deals: QuerySet[Deal]) -> dict[int, dict]:
    entries = (
        DealEvent.objects.filter(deal__in=deals.values("pk"), kind__in=ENTERED_STAGE, to_stage__isnull=False)
        .annotate(left_at=_left_stage_at())
        .filter(left_at__isnull=False)
        .order_by()
        .values("to_stage")
        .annotate(
            stays=Count("pk"),
            average=Avg(ExpressionWrapper(F("left_at") - F("at"), output_field=DurationField())),
        )
    )
    return {row["to_stage"]: row for row in entries}


def sales_funnel(*, user, kind: DealKind, period: Period, manager: User | None = None) -> FunnelReport:
    """The funnel of ``kind``'s deals started within ``period`` that ``user`` sees (see the module)."""
    currency = settings.SDELKA_BASE_CURRENCY
    report = FunnelReport(kind=kind, period=period, manager=manager, currency=currency)
    stages: list[Stage] = list(kind.stages.order_by("order", "pk"))
    deals = funnel_deals(user=user, kind=kind, period=period, manager=manager)

    reached = {
        f"reached_{stage.pk}": Count("pk", filter=Q(reached_order__gte=stage.order)) for stage in stages
    }
    totals = _with_reached_order(deals).aggregate(
        deals=Count("pk"),
        in_progress=Count("pk", filter=Q(status=DealStatus.IN_PROGRESS)),
        won=Count("pk", filter=Q(status=DealStatus.WON)),
        lost=Count("pk", filter=Q(status=DealStatus.LOST)),
        **reached,
    )
    report.deals, report.in_progress = totals["deals"], totals["in_progress"]
    report.won, report.lost = totals["won"], totals["lost"]
    report.win_rate = percent(report.won, report.won + report.lost)
    report.conversion_to_won = percent(report.won, report.deals)

    stays = _stays(deals) if stages else {}
    previous = report.deals
    first = totals[f"reached_{stages[0].pk}"] if stages else 0
    for stage in stages:
        count = totals[f"reached_{stage.pk}"]
        stay = stays.get(stage.pk, {})
        report.stages.append(
            FunnelStage(
                id=stage.pk,
                name=stage.name,
                order=stage.order,
                probability=stage.probability,
                reached=count,
                conversion=percent(count, previous),
                conversion_from_start=percent(count, first),
                average_days=days(stay.get("average")),
                stays=stay.get("stays", 0),
            )
        )
        previous = count

    open_deals = deals.filter(status=DealStatus.IN_PROGRESS)
    pipeline = (
        open_deals.values("stage", "stage__name", "stage__order", "currency")
        .annotate(
            deals=Count("pk"),
            amount=Coalesce(Sum("expected_amount"), Value(Decimal("0.00")), output_field=PRODUCT),
            weighted=Coalesce(
                Sum(ExpressionWrapper(F("expected_amount") * F("probability"), output_field=PRODUCT)),
                Value(Decimal("0.00")),
                output_field=PRODUCT,
            ),
        )
        .order_by("stage__order", "currency")
    )
    by_stage = {stage.id: stage for stage in report.stages}
    for row in pipeline:
        weighted = (Decimal(row["weighted"]) / HUNDRED).quantize(CENT)
        amount = Decimal(row["amount"]).quantize(CENT)
        report.pipeline.append(
            PipelineRow(
                stage_id=row["stage"],
                stage=row["stage__name"] or "—",
                currency=row["currency"],
                deals=row["deals"],
                amount=amount,
                weighted_amount=weighted,
            )
        )
        stage = by_stage.get(row["stage"])
        if stage is not None:
            stage.in_progress += row["deals"]
            if row["currency"] == currency:
                stage.amount += amount
                stage.weighted_amount += weighted

    lost = (
        deals.filter(status=DealStatus.LOST)
        .values("lost_reason", "lost_reason__name")
        .annotate(deals=Count("pk"))
        .order_by("-deals", "lost_reason__name", "lost_reason")
    )
    report.lost_reasons = [
        LostReasonRow(
            id=row["lost_reason"],
            name=row["lost_reason__name"] or "—",
            deals=row["deals"],
            share=percent(row["deals"], report.lost),
        )
        for row in lost
    ]
    return report
