"""Reads of mass mailings: the list, one mailing, and its recipients as the user may see them.

Mailings are shared (everyone reads them, marketers keep them); the recipient rows name partners and
contact persons, so a user sees only the rows of the partners in their scope.
"""

from __future__ import annotations

from django.db.models import QuerySet

from sdelka.marketing.mailing_models import Mailing, MailingRecipient
from sdelka.partners.selectors import partner_scope


def mailing_list() -> QuerySet[Mailing]:
    return Mailing.objects.select_related("email_template", "segment", "created_by")


def mailing_get(*, pk) -> Mailing:
    return mailing_list().get(pk=pk)


def mailing_recipient_list(*, user, mailing: Mailing, status: str = "") -> QuerySet[MailingRecipient]:
    rows = MailingRecipient.objects.filter(partner_scope(user, prefix="partner__"), mailing=mailing)
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("partner", "contact", "interaction").order_by("id")
