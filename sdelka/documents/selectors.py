"""Reads of contracts, through the scope of their counterparty's partner."""

from __future__ import annotations

from django.db.models import QuerySet

from sdelka.documents.models import Contract
from sdelka.partners.selectors import partner_scope


def contract_list(*, user) -> QuerySet[Contract]:
    return Contract.objects.filter(partner_scope(user, prefix="counterparty__partner__")).select_related(
        "counterparty", "counterparty__partner"
    )


def contract_get(*, user, pk) -> Contract:
    return contract_list(user=user).get(pk=pk)
