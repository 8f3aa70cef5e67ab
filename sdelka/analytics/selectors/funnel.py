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
from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

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


def _totals(deals: QuerySet[Deal], stages: list[Stage]) -> dict:
    """The cohort's deals by status, and per stage how many reached it (by the furthest stage their history
    shows, or their current one if further): one query, the furthest stages grouped once, not looked up
    per deal."""
    quote = connection.ops.quote_name
    cohort_sql, cohort_params = deals.values("pk", "status", "stage__order").query.sql_with_params()
    events, stage_table, order = (
        quote(DealEvent._meta.db_table),
        quote(Stage._meta.db_table),
        quote("order"),
    )
    reached = ", ".join(
        f"SUM(CASE WHEN reached >= %s THEN 1 ELSE 0 END) AS r{index}" for index in range(len(stages))
    )
    sql = (
        f"WITH cohort (id, status, stage_order) AS ({cohort_sql}), "
        f"furthest AS (SELECT e.deal_id, MAX(s.{order}) AS furthest FROM {events} e "
        f"JOIN {stage_table} s ON s.id = e.to_stage_id JOIN cohort c ON c.id = e.deal_id "
        "GROUP BY e.deal_id), "
        "reach AS (SELECT c.status, CASE WHEN f.furthest > COALESCE(c.stage_order, 0) THEN f.furthest "
        "ELSE COALESCE(c.stage_order, 0) END AS reached FROM cohort c LEFT JOIN furthest f ON f.deal_id = c.id) "
        "SELECT COUNT(*), SUM(CASE WHEN status = %s THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN status = %s THEN 1 ELSE 0 END), SUM(CASE WHEN status = %s THEN 1 ELSE 0 END)"
        f"{', ' + reached if stages else ''} FROM reach"
    )
    params = [
        *cohort_params,
        str(DealStatus.IN_PROGRESS),
        str(DealStatus.WON),
        str(DealStatus.LOST),
        *(stage.order for stage in stages),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    totals = {
        "deals": row[0],
        "in_progress": row[1] or 0,
        "won": row[2] or 0,
        "lost": row[3] or 0,
    }
    for index, stage in enumerate(stages):
        totals[f"reached_{stage.pk}"] = row[4 + index] or 0
    return totals


def _stays(deals: QuerySet[Deal]) -> dict[int, dict]:
    """Per stage: the completed stays of the cohort's deals and their average length.

    A stay starts with an event entering a stage (created at it, moved to it) and ends with the deal's next
    move, win or loss. Among a deal's entering and ending events in time order, the event after an entering
    one is always an ending one (only the first event, "created", enters without ending), so the end of each
    stay is the next of those events — one window function (``LEAD``) over the cohort's events, not a lookup
    per event.
    """
    cohort_sql, cohort_params = deals.values("pk").query.sql_with_params()
    quote = connection.ops.quote_name
    events = quote(DealEvent._meta.db_table)
    if connection.vendor == "sqlite":
        seconds = "(julianday(next_at) - julianday(at)) * 86400.0"
    else:
        seconds = "EXTRACT(EPOCH FROM (next_at - at))"
    sql = (
        "WITH moves AS ("
        "SELECT kind, to_stage_id, at, LEAD(at) OVER (PARTITION BY deal_id ORDER BY at, id) AS next_at "
        f"FROM {events} WHERE deal_id IN ({cohort_sql}) AND ("
        "(kind = %s AND to_stage_id IS NOT NULL) OR kind = %s OR (kind = %s AND to_status IN (%s, %s)))"
        ") "
        f"SELECT to_stage_id, COUNT(*), AVG({seconds}) FROM moves "
        "WHERE kind IN (%s, %s) AND to_stage_id IS NOT NULL AND next_at IS NOT NULL GROUP BY to_stage_id"
    )
    codes = [
        DealEventKind.CREATED,
        DealEventKind.STAGE_CHANGED,
        DealEventKind.STATUS_CHANGED,
        DealStatus.WON,
        DealStatus.LOST,
        *ENTERED_STAGE,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*cohort_params, *(str(code) for code in codes)])
        rows = cursor.fetchall()
    return {
        stage_id: {"stays": stays, "average": None if average is None else timedelta(seconds=float(average))}
        for stage_id, stays, average in rows
    }


def sales_funnel(*, user, kind: DealKind, period: Period, manager: User | None = None) -> FunnelReport:
    """The funnel of ``kind``'s deals started within ``period`` that ``user`` sees (see the module)."""
    currency = settings.SDELKA_BASE_CURRENCY
    report = FunnelReport(kind=kind, period=period, manager=manager, currency=currency)
    stages: list[Stage] = list(kind.stages.order_by("order", "pk"))
    deals = funnel_deals(user=user, kind=kind, period=period, manager=manager)

    totals = _totals(deals, stages)
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
