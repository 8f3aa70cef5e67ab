"""Our own company, the seller on documents: its one record, read by everyone and kept by administrators.

``company_get`` is the selector every print form uses; ``company_update`` the only write. The record is
created by its first update, so an installation without requisites simply has no row yet (print forms
then say so instead of inventing a seller).
"""

from __future__ import annotations

from django.db import transaction

from sdelka.core.models import Company
from sdelka.core.services import ensure_role_can, model_assign, validate_and_save

#: what a user may set; timestamps and the id are the model's own business
COMPANY_FIELDS = (
    "name",
    "full_name",
    "inn",
    "kpp",
    "ogrn",
    "legal_address",
    "phone",
    "email",
    "bank_name",
    "bik",
    "bank_account",
    "correspondent_account",
    "director",
    "chief_accountant",
    "vat_payer",
)


def company_get() -> Company | None:
    """The stored company, or None while nobody has filled in the requisites."""
    return Company.objects.filter(pk=Company.COMPANY_PK).first()


def company_or_blank() -> Company:
    """The stored company, or an unsaved blank one (for a form or an API answer before the first save)."""
    return company_get() or Company(pk=Company.COMPANY_PK)


def _normalized(data: dict) -> dict:
    """Ids and accounts as digits only ("7714 538206" → "7714538206"), so that retyping a number with
    spaces is no change, and a spaced 20-digit account is not refused as too long."""
    data = dict(data)
    for field in Company.ID_FIELDS:
        if isinstance(data.get(field), str):
            data[field] = "".join(data[field].split()).upper()
    if isinstance(data.get("name"), str):
        data["name"] = data["name"].strip()
    return data


@transaction.atomic
def company_update(*, actor, data: dict) -> Company:
    """Set the requisites given in ``data`` (any subset of ``COMPANY_FIELDS``), creating the record if needed.

    Administrators only. Every field is validated before anything is written (tax ids and accounts by
    their checksums), so a refused update leaves the stored requisites as they were. A save that changes
    nothing writes no history row.
    """
    ensure_role_can(actor, "change", "company")
    company = Company.objects.select_for_update().filter(pk=Company.COMPANY_PK).first()
    creating = company is None
    if creating:
        company = Company(pk=Company.COMPANY_PK)
    changed = model_assign(company, _normalized(data), COMPANY_FIELDS)
    if not changed and not creating:
        return company
    validate_and_save(company, actor=actor)
    return company
