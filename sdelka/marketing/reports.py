"""The two marketing reports, read from the database with grouped aggregates (never record by record).

**Primary interest analysis** for a period, per channel and source:
  - new partners: partners created in the period with that primary interest;
  - deals: deals started in the period with that primary interest (their own, which defaults to the
    client's); won: those of them won; conversion = won / deals;
  - revenue and gross profit: sales facts in the period of those new partners;
  - revenue per new client = revenue / new partners.

**Marketing event effectiveness**, for the events that start in the period, each counted from its start
date to the end of the period:
  - participants (rows) and attended;
  - deals started by participants' partners on or after the start; won: those of them won;
  - revenue and gross profit of the participants' partners' sales on or after the start;
  - expenses (all of the event's); new clients: partners whose primary interest source is the event;
  - cost per new client = expenses / new clients; ROI = (gross profit − expenses) / expenses, blank
    without expenses.

Partners and deals are those the user sees (``partner_scope`` / ``deal_scope``); sales facts are of those
partners.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from sdelka.core.tree import build_tree, flatten_tree
from sdelka.deals.choices import DealStatus
from sdelka.deals.models import Deal
from sdelka.deals.selectors import deal_scope
from sdelka.documents.models import SalesFact
from sdelka.marketing.choices import ParticipantStatus, SourceType
from sdelka.marketing.interest import CHANNEL_FIELD, SOURCE_FIELDS
from sdelka.marketing.models import (
    AdChannel,
    MarketingEvent,
    MarketingEventExpense,
    MarketingEventParticipant,
)
from sdelka.partners.models import Partner
from sdelka.partners.selectors import partner_scope

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY_FIELD = DecimalField(max_digits=20, decimal_places=2)
KEY_FIELDS = (CHANNEL_FIELD, *SOURCE_FIELDS.values())


def _ratio(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"))


def _money_ratio(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.01"))


# --- primary interest analysis -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InterestKey:
    """A channel (None: no primary interest) and a source of one type (None: no source)."""

    channel_id: int | None
    source_type: str | None
    source_id: int | None

    @classmethod
    def of(cls, row: dict, prefix: str = "") -> InterestKey:
        for source_type, name in SOURCE_FIELDS.items():
            if row[f"{prefix}{name}"]:
                return cls(row[f"{prefix}{CHANNEL_FIELD}"], source_type, row[f"{prefix}{name}"])
        return cls(row[f"{prefix}{CHANNEL_FIELD}"], None, None)

    def filter(self, prefix: str = "") -> Q:
        """The records with exactly this primary interest."""
        condition = Q(**{f"{prefix}{CHANNEL_FIELD}": self.channel_id})
        for source_type, name in SOURCE_FIELDS.items():
            if source_type == self.source_type:
                condition &= Q(**{f"{prefix}{name}": self.source_id})
            else:
                condition &= Q(**{f"{prefix}{name}__isnull": True})
        return condition

    def as_query(self) -> dict:
        return {
            "channel": self.channel_id or "none",
            "source_type": self.source_type or "",
            "source": self.source_id or "",
        }


@dataclass
class InterestRow:
    key: InterestKey
    channel_name: str = ""
    channel_depth: int = 0
    source_label: str = ""
    new_partners: int = 0
    deals: int = 0
    won: int = 0
    revenue: Decimal = ZERO
    gross_profit: Decimal = ZERO

    @property
    def conversion(self) -> Decimal | None:
        """Won deals as a share of deals (0.25 is 25 %); None without deals."""
        return _ratio(self.won, self.deals)

    @property
    def revenue_per_client(self) -> Decimal | None:
        return _money_ratio(self.revenue, self.new_partners)


@dataclass
class InterestReport:
    date_from: date
    date_to: date
    rows: list[InterestRow] = field(default_factory=list)
    total: InterestRow = field(default_factory=lambda: InterestRow(InterestKey(None, None, None)))


def source_labels(keys) -> dict[tuple[str, int], str]:
    """Names of the sources named by ``keys``: one query per source type present."""
    from django.apps import apps

    from sdelka.marketing.interest import SOURCE_MODELS

    wanted: dict[str, set[int]] = {}
    for key in keys:
        if key.source_type:
            wanted.setdefault(key.source_type, set()).add(key.source_id)
    labels = {}
    for source_type, ids in wanted.items():
        model = apps.get_model(SOURCE_MODELS[source_type])
        for record in model._default_manager.filter(pk__in=ids):
            labels[(source_type, record.pk)] = str(record)
    return labels


def primary_interest_report(
    *, user, date_from: date, date_to: date, channel: AdChannel | None = None
) -> InterestReport:
    """The analysis for the period; ``channel`` narrows it to that channel and its subchannels."""
    partners = Partner.objects.filter(
        partner_scope(user), created_at__date__gte=date_from, created_at__date__lte=date_to
    )
    deals = Deal.objects.filter(deal_scope(user), start_date__gte=date_from, start_date__lte=date_to)
    if channel is not None:
        partners = partners.filter(primary_interest_channel__path__startswith=channel.path)
        deals = deals.filter(primary_interest_channel__path__startswith=channel.path)
    rows: dict[InterestKey, InterestRow] = {}

    def row(key: InterestKey) -> InterestRow:
        return rows.setdefault(key, InterestRow(key))

    for values in partners.values(*KEY_FIELDS).annotate(n=Count("id")).order_by():
        row(InterestKey.of(values)).new_partners += values["n"]
    sales = (
        SalesFact.objects.filter(date__gte=date_from, date__lte=date_to, partner__in=partners.values("pk"))
        .values(*(f"partner__{name}" for name in KEY_FIELDS))
        .annotate(revenue=Sum("revenue"), gross_profit=Sum("gross_profit"))
        .order_by()
    )
    for values in sales:
        target = row(InterestKey.of(values, prefix="partner__"))
        target.revenue += values["revenue"] or ZERO
        target.gross_profit += values["gross_profit"] or ZERO
    grouped_deals = (
        deals.values(*KEY_FIELDS)
        .annotate(n=Count("id"), won=Count("id", filter=Q(status=DealStatus.WON)))
        .order_by()
    )
    for values in grouped_deals:
        target = row(InterestKey.of(values))
        target.deals += values["n"]
        target.won += values["won"]

    # Channels are few: all of them in one query give the tree order (by name at every level).
    nodes = flatten_tree(build_tree(AdChannel.objects.all(), {}))
    channels = {node.group.pk: node.group for node in nodes}
    position = {node.group.pk: index for index, node in enumerate(nodes)}
    labels = source_labels(rows)
    for key, item in rows.items():
        found = channels.get(key.channel_id)
        item.channel_name = found.name if found else ""
        item.channel_depth = found.depth if found else 0
        item.source_label = labels.get((key.source_type, key.source_id), "") if key.source_type else ""
        item.revenue = item.revenue.quantize(CENT)
        item.gross_profit = item.gross_profit.quantize(CENT)
    report = InterestReport(date_from=date_from, date_to=date_to)
    report.rows = sorted(
        rows.values(),
        key=lambda r: (
            r.key.channel_id is None,
            position.get(r.key.channel_id, 0),
            r.key.source_type is not None,
            r.source_label.lower(),
        ),
    )
    total = report.total
    for item in report.rows:
        total.new_partners += item.new_partners
        total.deals += item.deals
        total.won += item.won
        total.revenue += item.revenue
        total.gross_profit += item.gross_profit
    return report


def primary_interest_partners(*, user, date_from: date, date_to: date, key: InterestKey) -> QuerySet[Partner]:
    """The drill-down of one row: the new partners with that primary interest, each with its revenue and
    gross profit in the period."""
    facts = SalesFact.objects.filter(
        partner=OuterRef("pk"), date__gte=date_from, date__lte=date_to
    ).order_by()
    return (
        Partner.objects.filter(
            partner_scope(user), key.filter(), created_at__date__gte=date_from, created_at__date__lte=date_to
        )
        .select_related("manager")
        .annotate(
            revenue=Coalesce(
                Subquery(
                    facts.values("partner").annotate(s=Sum("revenue")).values("s"), output_field=MONEY_FIELD
                ),
                Value(ZERO, output_field=MONEY_FIELD),
            ),
            gross_profit=Coalesce(
                Subquery(
                    facts.values("partner").annotate(s=Sum("gross_profit")).values("s"),
                    output_field=MONEY_FIELD,
                ),
                Value(ZERO, output_field=MONEY_FIELD),
            ),
        )
        .order_by("name", "pk")
    )


# --- event effectiveness -------------------------------------------------------------------------------------


@dataclass
class EventRow:
    event: MarketingEvent
    participants: int
    attended: int
    deals: int
    won: int
    revenue: Decimal
    gross_profit: Decimal
    expenses: Decimal
    new_clients: int

    @property
    def cost_per_new_client(self) -> Decimal | None:
        return _money_ratio(self.expenses, self.new_clients)

    @property
    def roi(self) -> Decimal | None:
        """(gross profit − expenses) / expenses: 0.5 is +50 %; None without expenses."""
        if not self.expenses:
            return None
        return _ratio(self.gross_profit - self.expenses, self.expenses)


def _count(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().annotate(_one=Value(1)).values("_one").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _sum(queryset: QuerySet, name: str) -> Coalesce:
    summed = queryset.order_by().annotate(_one=Value(1)).values("_one").annotate(s=Sum(name)).values("s")
    return Coalesce(Subquery(summed, output_field=MONEY_FIELD), Value(ZERO, output_field=MONEY_FIELD))


def event_effectiveness_report(
    *, user, date_from: date, date_to: date, event: MarketingEvent | None = None
) -> list[EventRow]:
    """One row per event starting in the period (only ``event`` when given), every figure a subquery of
    the one SQL query."""
    participants = MarketingEventParticipant.objects.filter(event=OuterRef("pk"))
    participant_partners = MarketingEventParticipant.objects.filter(event=OuterRef(OuterRef("pk"))).values(
        "partner"
    )
    visible_partners = Partner.objects.filter(partner_scope(user)).values("pk")
    deals = Deal.objects.filter(
        deal_scope(user),
        partner__in=participant_partners,
        start_date__gte=OuterRef("start_date"),
        start_date__lte=date_to,
    )
    facts = SalesFact.objects.filter(
        partner__in=participant_partners, date__gte=OuterRef("start_date"), date__lte=date_to
    ).filter(partner__in=visible_partners)
    events = MarketingEvent.objects.filter(start_date__gte=date_from, start_date__lte=date_to)
    if event is not None:
        events = events.filter(pk=event.pk)
    events = (
        events.select_related("channel", "responsible")
        .annotate(
            r_participants=_count(participants),
            r_attended=_count(participants.filter(status=ParticipantStatus.ATTENDED)),
            r_deals=_count(deals),
            r_won=_count(deals.filter(status=DealStatus.WON)),
            r_revenue=_sum(facts, "revenue"),
            r_gross_profit=_sum(facts, "gross_profit"),
            r_expenses=_sum(MarketingEventExpense.objects.filter(event=OuterRef("pk")), "amount"),
            r_new_clients=_count(
                Partner.objects.filter(partner_scope(user), primary_interest_source_event=OuterRef("pk"))
            ),
        )
        .order_by("start_date", "id")
    )
    return [
        EventRow(
            event=event,
            participants=event.r_participants,
            attended=event.r_attended,
            deals=event.r_deals,
            won=event.r_won,
            revenue=event.r_revenue.quantize(CENT),
            gross_profit=event.r_gross_profit.quantize(CENT),
            expenses=event.r_expenses.quantize(CENT),
            new_clients=event.r_new_clients,
        )
        for event in events
    ]


def source_type_label(source_type: str | None) -> str:
    return str(SourceType(source_type).label) if source_type else ""
