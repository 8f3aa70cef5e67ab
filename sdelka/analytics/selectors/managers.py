"""Manager performance on one screen: the figures of every manager the user covers, for a period.

The rows are the sales people the user covers (``covered_user_ids``): a manager sees their own row, a head
their team's, an administrator everyone's. Each figure counts only records in the user's scope:

* *in progress* — deals of the manager in progress now that started by the end of the period;
* *won* and *lost* — deals whose current status was decided within the period (the date of the last
  status change to it; a deal with no history falls back to its close date);
* *win rate* — won ÷ (won + lost);
* *revenue* and *gross profit* — the posted sales facts of the manager dated within the period;
* *average deal* — the revenue of those facts that belong to a deal ÷ the number of such deals;
* *average cycle* — days from the start of a deal to its win, over the deals won in the period;
* *interactions* — calls, e-mails, meetings and SMS of the period they are responsible for (a planned
  interaction counts once done);
* *overdue tasks* — their open tasks past due now;
* *claims* — customer claims registered in the period they are responsible for.

Each group of figures is one grouped query, so the number of queries is the same for ten deals or a million.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    Q,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from sdelka.accounts.choices import Role
from sdelka.accounts.models import User
from sdelka.accounts.selectors import covered_user_ids
from sdelka.activities.models import OPEN_STATUSES, Task
from sdelka.activities.selectors.tasks import task_scope
from sdelka.analytics.selectors.dashboard_period import Period
from sdelka.analytics.selectors.funnel import CENT, days, percent
from sdelka.claims.models import Claim
from sdelka.claims.selectors import claim_scope
from sdelka.deals.choices import DealEventKind, DealStatus
from sdelka.deals.models import Deal, DealEvent
from sdelka.deals.selectors import deal_scope
from sdelka.documents.models import SalesFact
from sdelka.documents.selectors import AMOUNT, ZERO, document_scope
from sdelka.interactions.choices import InteractionKind, PlannedStatus
from sdelka.interactions.models import Interaction
from sdelka.interactions.selectors import interaction_scope

SALES_ROLES = (Role.MANAGER, Role.HEAD)


@dataclass
class ManagerRow:
    id: int
    name: str
    in_progress: int = 0
    won: int = 0
    lost: int = 0
    win_rate: Decimal | None = None
    revenue: Decimal = Decimal("0.00")
    gross_profit: Decimal = Decimal("0.00")
    average_deal: Decimal | None = None
    average_cycle_days: Decimal | None = None
    interactions: int = 0
    overdue_tasks: int = 0
    claims: int = 0


#: the columns a screen can be sorted by, in the order they are shown
COLUMNS = tuple(f.name for f in fields(ManagerRow) if f.name != "id")
DEFAULT_SORT = "-revenue"
SUMMED = ("in_progress", "won", "lost", "revenue", "gross_profit", "interactions", "overdue_tasks", "claims")


@dataclass
class ManagerReport:
    period: Period
    rows: list[ManagerRow]
    totals: ManagerRow
    sort: str
    #: the base currency of the money figures
    currency: str = ""


def managers_covered(user) -> list[User]:
    """The active sales people whose rows ``user`` may see: themself, a head's team, or every manager and
    head (an administrator or a marketer who sells nothing gets no row of zeros)."""
    covered = covered_user_ids(user)
    people = User.objects.filter(is_active=True)
    people = people.filter(role__in=SALES_ROLES) if covered is None else people.filter(pk__in=covered)
    return list(people.order_by("last_name", "first_name", "username", "pk"))


def _deal_figures(user, ids: list[int], period: Period) -> dict[int, dict]:
    """Per manager: deals in progress, and the deals won and lost in ``period`` with the average cycle of
    those won. A deal was decided on the day of its last status change to its current status (else its
    close date): the last changes are grouped once, not looked up per deal."""
    quote, ops = connection.ops.quote_name, connection.ops
    scoped_sql, scoped_params = (
        Deal.objects.filter(deal_scope(user), manager__in=ids)
        .order_by()
        .values("pk", "manager", "status", "closed", "start_date", "actual_close_date")
        .query.sql_with_params()
    )
    day_sql, day_params = ops.datetime_cast_date_sql("d.at", (), timezone.get_current_timezone_name())
    if connection.vendor == "sqlite":
        cycle = "julianday(decided_on) - julianday(start_date)"
    else:
        cycle = "decided_on - start_date"
    start, end = ops.adapt_datefield_value(period.start), ops.adapt_datefield_value(period.end)
    decided = "decided_on >= %s AND decided_on <= %s"
    sql = (
        f"WITH scoped (id, manager, status, closed, start_date, actual_close_date) AS ({scoped_sql}), "
        # A join, not "deal_id IN (SELECT id FROM scoped)": PostgreSQL guesses a CTE's IN-list small and
        # looks the events up deal by deal.
        "decided AS (SELECT e.deal_id, e.to_status, MAX(e.at) AS at "
        f"FROM {quote(DealEvent._meta.db_table)} e JOIN scoped c ON c.id = e.deal_id AND c.status = e.to_status "
        "WHERE e.kind = %s AND e.to_status IN (%s, %s) "
        "GROUP BY e.deal_id, e.to_status), "
        f"figures AS (SELECT s.manager, s.status, s.closed, s.start_date, "
        f"COALESCE({day_sql}, s.actual_close_date) AS decided_on "
        "FROM scoped s LEFT JOIN decided d ON d.deal_id = s.id AND d.to_status = s.status) "
        "SELECT manager, "
        "SUM(CASE WHEN status = %s AND NOT closed AND start_date <= %s THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN status = %s AND {decided} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN status = %s AND {decided} THEN 1 ELSE 0 END), "
        f"AVG(CASE WHEN status = %s AND {decided} THEN {cycle} END) "
        "FROM figures GROUP BY manager"
    )
    won, lost = str(DealStatus.WON), str(DealStatus.LOST)
    params = [
        *scoped_params,
        str(DealEventKind.STATUS_CHANGED),
        won,
        lost,
        *day_params,
        str(DealStatus.IN_PROGRESS),
        end,
        won,
        start,
        end,
        lost,
        start,
        end,
        won,
        start,
        end,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        manager: {
            "in_progress": in_progress or 0,
            "won": won_count or 0,
            "lost": lost_count or 0,
            "cycle": None if cycle_days is None else timedelta(days=float(cycle_days)),
        }
        for manager, in_progress, won_count, lost_count, cycle_days in rows
    }


def _sales_figures(user, ids: list[int], period: Period) -> dict[int, dict]:
    rows = (
        SalesFact.objects.filter(
            document_scope(user), manager__in=ids, date__range=(period.start, period.end)
        )
        .order_by()
        .values("manager")
        .annotate(
            # The deals' share first: an annotation named like a field hides the field from later ones.
            deal_revenue=Coalesce(Sum("revenue", filter=Q(deal__isnull=False)), ZERO, output_field=AMOUNT),
            revenue=Coalesce(Sum("revenue"), ZERO, output_field=AMOUNT),
            gross_profit=Coalesce(Sum("gross_profit"), ZERO, output_field=AMOUNT),
            deals_sold=Count("deal", distinct=True),
        )
    )
    return {row["manager"]: row for row in rows}


def _counts(queryset, field: str) -> dict[int, int]:
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))


def manager_performance(*, user, period: Period, sort: str | None = None) -> ManagerReport:
    """One row per manager ``user`` covers with the figures of ``period`` (see the module), sorted by
    ``sort`` (a key of ``COLUMNS``, ``-`` in front for descending; anything else: revenue descending)."""
    people = managers_covered(user)
    ids = [person.pk for person in people]
    deals = _deal_figures(user, ids, period)
    sales = _sales_figures(user, ids, period)
    happened = ~Q(kind=InteractionKind.PLANNED) | Q(status=PlannedStatus.DONE)
    interactions = _counts(
        Interaction.objects.filter(
            interaction_scope(user),
            happened,
            responsible__in=ids,
            starts_at__gte=period.start_at,
            starts_at__lt=period.end_before,
        ),
        "responsible",
    )
    overdue = _counts(
        Task.objects.filter(
            task_scope(user), assignee__in=ids, status__in=OPEN_STATUSES, due_at__lt=timezone.now()
        ),
        "assignee",
    )
    claims = _counts(
        Claim.objects.filter(
            claim_scope(user),
            responsible__in=ids,
            registered_at__gte=period.start_at,
            registered_at__lt=period.end_before,
        ),
        "responsible",
    )

    rows = []
    for person in people:
        deal, sale = deals.get(person.pk, {}), sales.get(person.pk, {})
        won, lost = deal.get("won", 0), deal.get("lost", 0)
        deals_sold = sale.get("deals_sold", 0)
        rows.append(
            ManagerRow(
                id=person.pk,
                name=str(person),
                in_progress=deal.get("in_progress", 0),
                won=won,
                lost=lost,
                win_rate=percent(won, won + lost),
                revenue=Decimal(sale.get("revenue", 0)).quantize(CENT),
                gross_profit=Decimal(sale.get("gross_profit", 0)).quantize(CENT),
                average_deal=(sale["deal_revenue"] / deals_sold).quantize(CENT) if deals_sold else None,
                average_cycle_days=days(deal.get("cycle")),
                interactions=interactions.get(person.pk, 0),
                overdue_tasks=overdue.get(person.pk, 0),
                claims=claims.get(person.pk, 0),
            )
        )
    key = _sort_key(sort)
    return ManagerReport(
        period=period,
        rows=_sorted(rows, key),
        totals=_totals(rows, sales),
        sort=key,
        currency=settings.SDELKA_BASE_CURRENCY,
    )


def _sort_key(sort: str | None) -> str:
    key = (sort or "").strip()
    return key if key.lstrip("-") in COLUMNS else DEFAULT_SORT


def _sorted(rows: list[ManagerRow], key: str) -> list[ManagerRow]:
    """Sorted by the column; empty figures last either way, then by name so equal rows keep one order."""
    column, descending = key.lstrip("-"), key.startswith("-")
    rows = sorted(rows, key=lambda row: (row.name.lower(), row.id))
    present = [row for row in rows if getattr(row, column) is not None]
    missing = [row for row in rows if getattr(row, column) is None]
    if column == "name":
        present.sort(key=lambda row: row.name.lower(), reverse=descending)
    else:
        present.sort(key=lambda row: getattr(row, column), reverse=descending)
    return present + missing


def _totals(rows: list[ManagerRow], sales: dict[int, dict]) -> ManagerRow:
    total = ManagerRow(id=0, name="")
    for row in rows:
        for name in SUMMED:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    total.win_rate = percent(total.won, total.won + total.lost)
    deal_revenue = sum((row["deal_revenue"] for row in sales.values()), Decimal("0.00"))
    deals_sold = sum(row["deals_sold"] for row in sales.values())
    total.average_deal = (deal_revenue / deals_sold).quantize(CENT) if deals_sold else None
    cycles = [row for row in rows if row.average_cycle_days is not None]
    if cycles:
        weighted = sum(row.average_cycle_days * row.won for row in cycles)
        won = sum(row.won for row in cycles)
        total.average_cycle_days = (weighted / won).quantize(Decimal("0.1")) if won else None
    return total
