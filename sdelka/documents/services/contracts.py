"""Writes of contracts: role check, the counterparty in the actor's scope, model rules, history."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from sdelka.accounts.models import User
from sdelka.core.services import ensure_role_can, model_assign, validate_and_save
from sdelka.documents.models import Contract
from sdelka.partners.selectors import counterparty_list

CONTRACT_FIELDS = (
    "counterparty",
    "number",
    "date",
    "valid_from",
    "valid_to",
    "status",
    "currency",
    "amount_limit",
    "subject",
    "comment",
)


def _ensure_counterparty_in_scope(actor, contract: Contract) -> None:
    if actor is not None and not counterparty_list(user=actor).filter(pk=contract.counterparty_id).exists():
        raise ValidationError({"counterparty": _("Counterparty not found.")})


def _save(contract: Contract, *, actor) -> None:
    try:
        with transaction.atomic():
            validate_and_save(contract, actor=actor)
    except IntegrityError as error:
        # Two people saving the same number at once: the constraint decides, the message explains.
        raise ValidationError(
            {"number": _("This counterparty already has a contract with this number.")}
        ) from error


@transaction.atomic
def contract_create(*, actor, data: dict) -> Contract:
    ensure_role_can(actor, "add", "contract")
    contract = Contract(created_by=actor if isinstance(actor, User) else None)
    model_assign(contract, data, CONTRACT_FIELDS)
    if contract.counterparty_id:
        _ensure_counterparty_in_scope(actor, contract)
    _save(contract, actor=actor)
    return contract


@transaction.atomic
def contract_update(*, actor, contract: Contract, data: dict) -> Contract:
    ensure_role_can(actor, "change", "contract")
    changed = model_assign(contract, data, CONTRACT_FIELDS)
    if "counterparty" in changed:
        _ensure_counterparty_in_scope(actor, contract)
    if changed:
        _save(contract, actor=actor)
    return contract


@transaction.atomic
def contract_delete(*, actor, contract: Contract) -> None:
    ensure_role_can(actor, "delete", "contract")
    contract._history_user = actor
    try:
        contract.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("The contract is used in documents and cannot be deleted; close it instead.")
        ) from error
