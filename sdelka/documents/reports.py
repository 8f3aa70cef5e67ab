"""The "Deal financial results" report: revenue − cost of goods sold − expenses of every deal the user sees.

A read-only query over the deals, annotated by ``selectors.with_financial_result`` (posted sales and the
deals' expenses, in the base currency). The totals are summed by the database over the whole filtered set,
so they are right whatever page is shown, and the page, the export and the API share this one function.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from sdelka.deals.models import Deal
from sdelka.deals.selectors import deal_scope
from sdelka.documents.selectors import AMOUNT, ZERO, deals_with_operations, with_financial_result


class PeriodBy(models.TextChoices):
    """Which date of a deal the report's period applies to."""

    START_DATE = "start_date", _("Start date")
    ACTUAL_CLOSE_DATE = "actual_close_date", _("Actual close date")
    # Not a date of the deal: the sales and expenses dated within the period, and the deals that have them.
    OPERATIONS = "operations", _("Dates of sales and expenses")


#: The money columns: the key used in sorting, totals and the API, and the annotation it reads.
MONEY_COLUMNS = {
    "revenue": "revenue",
    "cost": "cost",
    "gross_profit": "gross_profit",
    "expenses": "expenses_amount",
    "result": "result",
}
SORTS = {"number": "number", "partner": "partner__name", **MONEY_COLUMNS}
DEFAULT_SORT = "-number"


@dataclass(frozen=True)
class DealFinancialReport:
    """The deals of the report in their order (a lazy queryset, to be paginated), the sort key used, and
    the totals of the whole filtered set."""

    deals: QuerySet[Deal]
    totals: dict[str, Decimal]
    sort: str


def _filtered(deals: QuerySet[Deal], filters: dict) -> QuerySet[Deal]:
    text = (filters.get("deal") or "").strip()
    if text:
        deals = deals.filter(Q(number__icontains=text) | Q(name__icontains=text))
    for name in ("kind", "manager", "partner", "status"):
        if filters.get(name):
            deals = deals.filter(**{name: filters[name]})
    if filters.get("closed") is not None:
        deals = deals.filter(closed=filters["closed"])
    date_field = filters.get("period_by") or PeriodBy.START_DATE
    if date_field not in PeriodBy.values:
        raise ValueError(f"Unknown period field {date_field!r}")
    if date_field == PeriodBy.OPERATIONS:
        if filters.get("date_from") or filters.get("date_to"):
            deals = deals_with_operations(
                deals, date_from=filters.get("date_from"), date_to=filters.get("date_to")
            )
        return deals
    if filters.get("date_from"):
        deals = deals.filter(**{f"{date_field}__gte": filters["date_from"]})
    if filters.get("date_to"):
        deals = deals.filter(**{f"{date_field}__lte": filters["date_to"]})
    return deals


def _ordered(deals: QuerySet[Deal], sort: str | None) -> tuple[QuerySet[Deal], str]:
    key = (sort or "").strip()
    if key.lstrip("-") not in SORTS:
        key = DEFAULT_SORT
    field = F(SORTS[key.lstrip("-")])
    # The id breaks ties, so pages never overlap.
    if key.startswith("-"):
        return deals.order_by(field.desc(nulls_last=True), "-pk"), key
    return deals.order_by(field.asc(nulls_last=True), "pk"), key


def deal_financial_results(*, user, filters: dict, sort: str | None = None) -> DealFinancialReport:
    """The deals ``user`` sees that match ``filters`` (the cleaned data of
    ``DealFinancialResultFilterForm``), each with revenue, cost, gross profit, expenses and result.

    ``sort`` is a key of ``SORTS``, ``-`` in front for descending; anything else sorts by number descending.
    """
    deals = Deal.objects.filter(deal_scope(user)).select_related("partner", "manager", "kind")
    if filters.get("period_by") == PeriodBy.OPERATIONS:
        period = {"date_from": filters.get("date_from"), "date_to": filters.get("date_to")}
    else:
        period = {}
    deals = with_financial_result(_filtered(deals, filters), **period)
    totals = deals.order_by().aggregate(
        **{
            f"total_{key}": Coalesce(Sum(annotation), ZERO, output_field=AMOUNT)
            for key, annotation in MONEY_COLUMNS.items()
        }
    )
    deals, key = _ordered(deals, sort)
    return DealFinancialReport(
        deals=deals,
        totals={key: totals[f"total_{key}"] for key in MONEY_COLUMNS},
        sort=key,
    )
