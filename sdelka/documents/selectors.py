"""Reads of contracts and of the documents of deals, always through the user's scope.

A document is seen by whoever sees its deal (the deal's manager and collaborators, their heads) or its
partner (the partner's manager and their head; unassigned partners by every seller). Expenses follow
their deal. The financial result of deals is summed in the database from the sales facts and expenses.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from sdelka.accounts.selectors import covered_user_ids
from sdelka.deals.models import Deal
from sdelka.deals.selectors import deal_scope
from sdelka.documents.choices import DocumentType
from sdelka.documents.models import (
    Contract,
    DealExpense,
    Document,
    PurchaseOrder,
    Quote,
    Sale,
    SalesFact,
    SalesOrder,
)
from sdelka.partners.models import Partner
from sdelka.partners.selectors import partner_scope

DOCUMENT_MODELS: dict[str, type[Document]] = {
    DocumentType.QUOTE: Quote,
    DocumentType.SALES_ORDER: SalesOrder,
    DocumentType.SALE: Sale,
    DocumentType.PURCHASE_ORDER: PurchaseOrder,
}
AMOUNT = DecimalField(max_digits=17, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=AMOUNT)


def contract_list(*, user) -> QuerySet[Contract]:
    return Contract.objects.filter(partner_scope(user, prefix="counterparty__partner__")).select_related(
        "counterparty", "counterparty__partner"
    )


def contract_get(*, user, pk) -> Contract:
    return contract_list(user=user).get(pk=pk)


def document_scope(user) -> Q:
    """Documents of a deal the user sees, or of a partner the user sees (subqueries, so one SQL query)."""
    if covered_user_ids(user) is None:
        return Q()
    deals = Deal.objects.filter(deal_scope(user)).values("pk")
    partners = Partner.objects.filter(partner_scope(user)).values("pk")
    return Q(deal__in=deals) | Q(partner__in=partners)


def document_list(model: type[Document], *, user) -> QuerySet:
    return model.objects.filter(document_scope(user)).select_related(
        "partner", "counterparty", "contract", "deal", "manager"
    )


def document_get(model: type[Document], *, user, pk) -> Document:
    return document_list(model, user=user).get(pk=pk)


def document_lines(document: Document) -> QuerySet:
    return document.lines.select_related("product").order_by("id")


def deal_documents(*, deal: Deal, user) -> list[Document]:
    """Every document of the deal the user may see, oldest first, each with its ``document_type``."""
    documents: list[Document] = []
    for model in DOCUMENT_MODELS.values():
        documents.extend(document_list(model, user=user).filter(deal=deal))
    return sorted(documents, key=lambda document: (document.date, document.created_at))


def expense_list(*, user) -> QuerySet[DealExpense]:
    return DealExpense.objects.filter(
        deal__in=Deal.objects.filter(deal_scope(user)).values("pk")
    ).select_related("deal", "created_by")


def expense_get(*, user, pk) -> DealExpense:
    return expense_list(user=user).get(pk=pk)


def _sum_of(queryset: QuerySet, field: str) -> Subquery:
    """The sum of ``field`` over the rows of ``queryset`` (filtered by ``deal=OuterRef("pk")``), 0 if none."""
    total = queryset.filter(deal=OuterRef("pk")).order_by().values("deal").annotate(total=Sum(field))
    return Coalesce(Subquery(total.values("total"), output_field=AMOUNT), ZERO, output_field=AMOUNT)


def with_financial_result(deals: QuerySet[Deal], *, date_from=None, date_to=None) -> QuerySet[Deal]:
    """Deals annotated with ``revenue``, ``cost``, ``gross_profit`` (posted sales), ``expenses_amount``
    (``expenses`` is the deal's relation) and ``result`` = gross profit − expenses, all in the base currency,
    computed by the database. With ``date_from``/``date_to`` only the sales and expenses dated within
    the period count."""
    facts = SalesFact.objects.all()
    expense_rows = DealExpense.objects.all()
    if date_from:
        facts, expense_rows = facts.filter(date__gte=date_from), expense_rows.filter(date__gte=date_from)
    if date_to:
        facts, expense_rows = facts.filter(date__lte=date_to), expense_rows.filter(date__lte=date_to)
    gross_profit = _sum_of(facts, "gross_profit")
    expenses = _sum_of(expense_rows, "amount")
    return deals.annotate(
        revenue=_sum_of(facts, "revenue"),
        cost=_sum_of(facts, "cost"),
        gross_profit=gross_profit,
        expenses_amount=expenses,
        result=ExpressionWrapper(gross_profit - expenses, output_field=AMOUNT),
    )


def deals_with_operations(deals: QuerySet[Deal], *, date_from=None, date_to=None) -> QuerySet[Deal]:
    """The deals having a posted sale or an expense dated within the period."""
    facts, expense_rows = SalesFact.objects.all(), DealExpense.objects.all()
    if date_from:
        facts, expense_rows = facts.filter(date__gte=date_from), expense_rows.filter(date__gte=date_from)
    if date_to:
        facts, expense_rows = facts.filter(date__lte=date_to), expense_rows.filter(date__lte=date_to)
    return deals.filter(Q(pk__in=facts.values("deal_id")) | Q(pk__in=expense_rows.values("deal_id")))


def deal_financial_result(*, deal: Deal) -> dict[str, Decimal]:
    """Revenue, cost, gross profit, expenses and result of one deal."""
    row = with_financial_result(Deal.objects.filter(pk=deal.pk)).values(
        "revenue", "cost", "gross_profit", "expenses_amount", "result"
    )[0]
    row["expenses"] = row.pop("expenses_amount")
    return {key: Decimal(value).quantize(Decimal("0.01")) for key, value in row.items()}


def deal_sold_by_product(*, deal: Deal) -> dict[int, dict]:
    """Quantity and revenue (without VAT, base currency) per product in the deal's posted sales."""
    rows = (
        SalesFact.objects.filter(deal=deal)
        .order_by()
        .values("product_id")
        .annotate(quantity=Sum("quantity"), amount=Sum("revenue"))
    )
    return {row["product_id"]: row for row in rows}


def deal_posted_sales(*, deal: Deal) -> list[dict]:
    """The posted sales behind a deal's result: number, date, revenue, cost, gross profit, oldest first."""
    return list(
        SalesFact.objects.filter(deal=deal)
        .order_by()
        .values("sale_id", "sale__number", "sale__date")
        .annotate(revenue=Sum("revenue"), cost=Sum("cost"), gross_profit=Sum("gross_profit"))
        .order_by("sale__date", "sale_id")
    )
