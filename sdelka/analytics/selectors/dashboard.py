"""The KPI dashboard: revenue and gross profit by month, the pipeline by stage, new clients, top clients and
overdue tasks — of the user alone, of the team they head, or of the whole company.

Which of the three a user may choose follows their role: everyone has "me"; a head (or whoever heads a
team) also "my team"; whoever sees every record (administrators, marketers) also "the company". A figure
is attributed by the record's person — the manager of a sale fact, deal or client, the assignee of a task —
and still counts only records in the user's scope.

* revenue, gross profit and top clients — posted sales facts dated within the period;
* new clients — clients whose first sale ever (anyone's) is dated within the period, by month;
* pipeline — deals in progress now, by kind and stage, in their own currency (never added across
  currencies), with the amount weighted by each deal's probability;
* overdue tasks — open tasks past due now.

Each panel is one or two grouped queries, whatever the number of sales or deals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import (
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.accounts.selectors import covered_user_ids
from sdelka.activities.models import OPEN_STATUSES, Task
from sdelka.activities.selectors.tasks import task_scope
from sdelka.analytics.selectors.dashboard_period import Period
from sdelka.analytics.selectors.funnel import CENT, HUNDRED, PRODUCT, percent
from sdelka.deals.choices import DealStatus
from sdelka.deals.models import Deal
from sdelka.deals.selectors import deal_scope
from sdelka.documents.models import SalesFact
from sdelka.documents.selectors import AMOUNT, ZERO, document_scope
from sdelka.partners.models import Partner
from sdelka.partners.selectors import partner_scope

TOP_CLIENTS = 10
OVERDUE_LISTED = 10


class DashboardScope(models.TextChoices):
    ME = "me", _("Me")
    TEAM = "team", _("My team")
    COMPANY = "company", _("The company")


def dashboard_scopes(user: User) -> list[str]:
    """The scopes ``user`` may choose, narrowest first; the last one is the default."""
    scopes = [DashboardScope.ME]
    if user.effective_role == Role.HEAD or user.headed_teams.exists():
        scopes.append(DashboardScope.TEAM)
    if covered_user_ids(user) is None:
        scopes.append(DashboardScope.COMPANY)
    return scopes


def _people(user: User, scope: str) -> QuerySet | None:
    """Ids of the people whose figures the scope shows; None for the whole company."""
    if scope == DashboardScope.COMPANY:
        return None
    if scope == DashboardScope.TEAM:
        return User.objects.filter(Q(pk=user.pk) | Q(team__head=user)).values("pk")
    return User.objects.filter(pk=user.pk).values("pk")


def _of(people: QuerySet | None, field_name: str) -> Q:
    return Q() if people is None else Q(**{f"{field_name}__in": people})


@dataclass
class MonthRow:
    month: date
    revenue: Decimal = Decimal("0.00")
    gross_profit: Decimal = Decimal("0.00")
    new_clients: int = 0


@dataclass
class PipelineStageRow:
    kind: str
    stage: str
    order: int
    currency: str
    deals: int
    amount: Decimal
    weighted_amount: Decimal


@dataclass
class TopClientRow:
    id: int
    name: str
    revenue: Decimal
    gross_profit: Decimal
    #: of the scope's revenue in the period, percent
    share: Decimal | None


@dataclass
class OverdueRow:
    """Overdue tasks of one assignee."""

    id: int
    name: str
    tasks: int


@dataclass
class OverdueTask:
    id: int
    title: str
    assignee: str
    due_at: datetime


@dataclass
class AbcShareRow:
    """Revenue of the period from the clients of one ABC class (blank: not classified, e.g. new clients)."""

    abc: str
    revenue: Decimal
    clients: int
    share: Decimal | None


@dataclass
class Dashboard:
    scope: str
    period: Period
    currency: str
    months: list[MonthRow] = field(default_factory=list)
    pipeline: list[PipelineStageRow] = field(default_factory=list)
    top_clients: list[TopClientRow] = field(default_factory=list)
    overdue_by_assignee: list[OverdueRow] = field(default_factory=list)
    overdue_tasks: list[OverdueTask] = field(default_factory=list)
    overdue_total: int = 0
    abc_shares: list[AbcShareRow] = field(default_factory=list)
    #: the stored classification the classes come from (clients by revenue), or None before the first one
    abc_basis: object = None

    @property
    def revenue(self) -> Decimal:
        return sum((row.revenue for row in self.months), Decimal("0.00"))

    @property
    def gross_profit(self) -> Decimal:
        return sum((row.gross_profit for row in self.months), Decimal("0.00"))

    @property
    def new_clients(self) -> int:
        return sum(row.new_clients for row in self.months)

    @property
    def pipeline_amount(self) -> Decimal:
        return sum((row.amount for row in self.pipeline if row.currency == self.currency), Decimal("0.00"))

    @property
    def weighted_amount(self) -> Decimal:
        return sum(
            (row.weighted_amount for row in self.pipeline if row.currency == self.currency), Decimal("0.00")
        )


def _months(user: User, people, period: Period, report: Dashboard) -> None:
    by_month = {month: MonthRow(month=month) for month in period.months()}
    sales = (
        SalesFact.objects.filter(
            document_scope(user), _of(people, "manager"), date__range=(period.start, period.end)
        )
        .order_by()
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(
            revenue=Coalesce(Sum("revenue"), ZERO, output_field=AMOUNT),
            gross_profit=Coalesce(Sum("gross_profit"), ZERO, output_field=AMOUNT),
        )
    )
    for row in sales:
        month = by_month[_as_date(row["month"])]
        month.revenue, month.gross_profit = _money(row["revenue"]), _money(row["gross_profit"])
    first_sale = (
        SalesFact.objects.filter(partner=OuterRef("pk"))
        .order_by()
        .values("partner")
        .annotate(first=Min("date"))
        .values("first")
    )
    new = (
        Partner.objects.filter(partner_scope(user), _of(people, "manager"), is_client=True)
        .annotate(first_sale=Subquery(first_sale, output_field=DateField()))
        .filter(first_sale__range=(period.start, period.end))
        .annotate(month=TruncMonth("first_sale", output_field=DateField()))
        .order_by()
        .values("month")
        .annotate(clients=Count("pk"))
    )
    for row in new:
        by_month[_as_date(row["month"])].new_clients = row["clients"]
    report.months = list(by_month.values())


def _money(value) -> Decimal:
    # SQLite sums decimals without their scale; the reports always show cents.
    return Decimal(value).quantize(CENT)


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _pipeline(user: User, people, report: Dashboard) -> None:
    rows = (
        Deal.objects.filter(deal_scope(user), _of(people, "manager"), status=DealStatus.IN_PROGRESS)
        .order_by()
        .values("kind__name", "stage__name", "stage__order", "currency")
        .annotate(
            deals=Count("pk"),
            amount=Coalesce(Sum("expected_amount"), Value(Decimal("0.00")), output_field=PRODUCT),
            weighted=Coalesce(
                Sum(ExpressionWrapper(F("expected_amount") * F("probability"), output_field=PRODUCT)),
                Value(Decimal("0.00")),
                output_field=PRODUCT,
            ),
        )
        .order_by("kind__name", F("stage__order").asc(nulls_first=True), "currency")
    )
    report.pipeline = [
        PipelineStageRow(
            kind=row["kind__name"],
            stage=row["stage__name"] or "—",
            order=row["stage__order"] or 0,
            currency=row["currency"],
            deals=row["deals"],
            amount=Decimal(row["amount"]).quantize(CENT),
            weighted_amount=(Decimal(row["weighted"]) / HUNDRED).quantize(CENT),
        )
        for row in rows
    ]


def _top_clients(user: User, people, period: Period, report: Dashboard) -> None:
    rows = (
        SalesFact.objects.filter(
            document_scope(user), _of(people, "manager"), date__range=(period.start, period.end)
        )
        .order_by()
        .values("partner", "partner__name")
        .annotate(
            revenue=Coalesce(Sum("revenue"), ZERO, output_field=AMOUNT),
            gross_profit=Coalesce(Sum("gross_profit"), ZERO, output_field=AMOUNT),
        )
        .order_by("-revenue", "partner__name", "partner")[:TOP_CLIENTS]
    )
    total = report.revenue
    report.top_clients = [
        TopClientRow(
            id=row["partner"],
            name=row["partner__name"],
            revenue=_money(row["revenue"]),
            gross_profit=_money(row["gross_profit"]),
            share=percent(row["revenue"], total) if total > 0 else None,
        )
        for row in rows
    ]


def _overdue(user: User, people, report: Dashboard) -> None:
    overdue = Task.objects.filter(
        task_scope(user), _of(people, "assignee"), status__in=OPEN_STATUSES, due_at__lt=timezone.now()
    )
    counts = (
        overdue.order_by()
        .values("assignee", "assignee__username", "assignee__first_name", "assignee__last_name")
        .annotate(tasks=Count("pk"))
        .order_by("-tasks", "assignee__last_name", "assignee__first_name", "assignee")
    )
    report.overdue_by_assignee = [
        OverdueRow(
            id=row["assignee"],
            name=" ".join(filter(None, (row["assignee__first_name"], row["assignee__last_name"])))
            or row["assignee__username"],
            tasks=row["tasks"],
        )
        for row in counts
    ]
    report.overdue_total = sum(row.tasks for row in report.overdue_by_assignee)
    report.overdue_tasks = [
        OverdueTask(id=task.pk, title=task.title, assignee=str(task.assignee), due_at=task.due_at)
        for task in overdue.select_related("assignee").order_by("due_at", "pk")[:OVERDUE_LISTED]
    ]


def _abc_shares(user: User, people, period: Period, report: Dashboard) -> None:
    """The period's revenue split by each client's class in the latest stored yearly (else quarterly)
    classification of clients by revenue that ended by the period's end — the company-wide classes."""
    from sdelka.analytics.models import ClassificationResult, ClassifiedPeriod
    from sdelka.analytics.periods import add_months

    after = period.end + timedelta(days=1)
    # The month after the last whole month of the dashboard's period: a period ending by then qualifies.
    bound = after if after.day == 1 else add_months(period.end, 0)
    basis = None
    for period_type, months in (("year", 12), ("quarter", 3)):
        # The last stored period of the type that had ended by the dashboard's end.
        basis = (
            ClassifiedPeriod.objects.filter(
                subject="clients",
                criterion="revenue",
                period_type=period_type,
                period_start__lte=add_months(bound, -months),
            )
            .order_by("-period_start")
            .first()
        )
        if basis is not None:
            break
    report.abc_basis = basis
    if basis is None:
        return
    abc = ClassificationResult.objects.filter(period=basis, subject_id=OuterRef("partner")).values("abc")[:1]
    rows = (
        SalesFact.objects.filter(
            document_scope(user), _of(people, "manager"), date__range=(period.start, period.end)
        )
        .annotate(abc=Coalesce(Subquery(abc), Value("")))
        .order_by()
        .values("abc")
        .annotate(
            revenue=Coalesce(Sum("revenue"), ZERO, output_field=AMOUNT),
            clients=Count("partner", distinct=True),
        )
    )
    by_class = {row["abc"]: row for row in rows}
    total = sum((row["revenue"] for row in rows), Decimal("0"))
    report.abc_shares = [
        AbcShareRow(
            abc=key,
            revenue=_money(by_class[key]["revenue"]),
            clients=by_class[key]["clients"],
            share=percent(by_class[key]["revenue"], total) if total > 0 else None,
        )
        for key in ("A", "B", "C", "")
        if key in by_class
    ]


def kpi_dashboard(*, user: User, scope: str, period: Period) -> Dashboard:
    """The dashboard of ``scope`` (one of ``dashboard_scopes(user)``, checked by the caller) for ``period``."""
    if scope not in dashboard_scopes(user):
        raise ValueError(f"Scope {scope!r} is not open to {user}")
    people = _people(user, scope)
    report = Dashboard(scope=scope, period=period, currency=settings.SDELKA_BASE_CURRENCY)
    _months(user, people, period, report)
    _pipeline(user, people, report)
    _top_clients(user, people, period, report)
    _overdue(user, people, report)
    _abc_shares(user, people, period, report)
    return report
