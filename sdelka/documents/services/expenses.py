"""Writes of the expenses of a deal; the deal must be one the actor sees."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sdelka.accounts.models import User
from sdelka.core.services import ensure_role_can, model_assign, validate_and_save
from sdelka.deals.models import Deal
from sdelka.deals.selectors import deal_scope
from sdelka.documents.models import DealExpense

EXPENSE_FIELDS = ("deal", "date", "kind", "amount", "comment")


def _ensure_deal_in_scope(actor, expense: DealExpense) -> None:
    if isinstance(actor, User) and not Deal.objects.filter(deal_scope(actor), pk=expense.deal_id).exists():
        raise ValidationError({"deal": _("Deal not found.")})


@transaction.atomic
def expense_create(*, actor, data: dict) -> DealExpense:
    ensure_role_can(actor, "add", "deal_expense")
    expense = DealExpense(created_by=actor if isinstance(actor, User) else None)
    model_assign(expense, data, EXPENSE_FIELDS)
    if expense.deal_id:
        _ensure_deal_in_scope(actor, expense)
    validate_and_save(expense, actor=actor)
    return expense


@transaction.atomic
def expense_update(*, actor, expense: DealExpense, data: dict) -> DealExpense:
    ensure_role_can(actor, "change", "deal_expense")
    changed = model_assign(expense, data, EXPENSE_FIELDS)
    if "deal" in changed:
        _ensure_deal_in_scope(actor, expense)
    if changed:
        validate_and_save(expense, actor=actor)
    return expense


@transaction.atomic
def expense_delete(*, actor, expense: DealExpense) -> None:
    ensure_role_can(actor, "delete", "deal_expense")
    expense._history_user = actor
    expense.delete()
